"""E-mail reminders to units that have not reported: select, preview, send, log.

A batch is a list of units and an id.  Each reminder has an idempotency key made of the
campaign, the unit and the batch; the database row with that key says what happened to
it (``sending`` → ``sent`` or ``failed``).  Sending a batch again (after a mail server
refused or timed out) sends only the reminders that were not sent; a reminder whose
outcome is unknown (the connection broke while the server was taking it) is never sent
again automatically — it is listed, so a person can check.  Mails go out over the
office's account (:mod:`.smtpaccount`) at most ``per_minute`` a minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
import time
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from qmclient.core.identifiers import is_valid_email
from qmclient.core.rollup import ExpectedUnit
from qmclient.core.work import Cancelled, QmError, Work
from qmclient.export.smtp import SMTP_ERRORS, SendError, connect, failure
from qmintake.models import ReminderRow
from qmintake.office.smtpaccount import load_account
from qmintake.rollup import not_reported, rollup_rows
from qmintake.settings import IntakeState

# the server's refusal of one mail (anything else ends the connection)
_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class ReminderError(QmError):
    pass


@dataclass(frozen=True)
class ReminderTarget:
    """A unit to remind: ``unit_key`` is the roster's id for it (stable across batches)."""

    unit_key: str
    name: str
    email: str
    district: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Draft:
    target: ReminderTarget
    subject: str
    body: str


@dataclass
class NotSent:
    target: ReminderTarget
    zh: str
    en: str


@dataclass
class BatchResult:
    batch_id: str
    sent: list[ReminderTarget] = field(default_factory=list)
    already_sent: list[ReminderTarget] = field(default_factory=list)
    not_sent: list[NotSent] = field(default_factory=list)
    uncertain: list[NotSent] = field(default_factory=list)


def targets_from_roster(units: Sequence[ExpectedUnit]) -> list[ReminderTarget]:
    """Roster units as reminder targets (keyed by credit code, else by name)."""
    return [
        ReminderTarget(u.credit_code or u.name, u.name, u.email, u.district, u.contact)
        for u in units
    ]


def not_yet_reported(
    st: IntakeState, campaign_id: str, roster: Sequence[ExpectedUnit], district: str = ""
) -> list[ExpectedUnit]:
    """The roster's units (of ``district``, when given) with no received report."""
    wanted = [u for u in roster if not district or u.district == district]
    return not_reported(wanted, list(rollup_rows(st, campaign_id)))


def preview(st: IntakeState, campaign_id: str, targets: Sequence[ReminderTarget]) -> list[Draft]:
    """The mails a batch would send, for the office to read first."""
    served = st.campaigns.get(campaign_id)
    if served is None:
        raise ReminderError(
            zh=f"服务器上没有活动“{campaign_id}”；请检查活动编号",
            en=f"this server has no campaign {campaign_id!r}; check the campaign id",
            code="campaign-unknown",
        )
    c = served.campaign
    due = c.due.astimezone(c.tz)
    left = due - st.now().astimezone(c.tz)
    when = f"{due.year}年{due.month}月{due.day}日 {due:%H:%M}"
    if left.total_seconds() > 0:
        days = left.days
        remain = f"距截止还有 {days} 天" if days else "今天截止"
    else:
        remain = "已过截止时间，请尽快报送，逾期报送将注明逾期"
    subject = f"【提醒】请报送{c.year}年“质量月”{c.report_title}"
    out = []
    for t in targets:
        body = (
            f"{t.name}：\n\n"
            f"贵单位尚未报送{c.year}年“质量月”{c.report_title}。报送截止时间为{when}"
            f"（{remain}）。\n\n"
            "请使用“质量月报送”桌面程序填写并发送；如已通过区县汇总报送，请忽略本邮件。\n"
            "如有疑问，请与我们联系。\n\n"
            "（本邮件由报送系统发送，请勿直接回复）\n"
        )
        out.append(Draft(t, subject, body))
    return out


def new_batch_id() -> str:
    return uuidlib.uuid4().hex


def idem_key(campaign_id: str, unit_key: str, batch_id: str) -> str:
    return hashlib.sha256(f"{campaign_id}\0{unit_key}\0{batch_id}".encode()).hexdigest()


def _message(draft: Draft, sender: str, key: str) -> bytes:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = draft.target.email
    msg["Subject"] = draft.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=key[:24], domain=sender.rpartition("@")[2] or None)
    msg.set_content(draft.body)
    return msg.as_bytes()


def _claim(st: IntakeState, campaign_id: str, batch_id: str, t: ReminderTarget) -> str:
    """Mark the reminder as being sent; returns its state before ('' when new)."""
    key = idem_key(campaign_id, t.unit_key, batch_id)
    with st.db.session() as s:
        row = s.scalars(
            select(ReminderRow).where(ReminderRow.idem_key == key).with_for_update()
        ).first()
        if row is None:
            try:
                with s.begin_nested():
                    s.add(
                        ReminderRow(
                            idem_key=key,
                            campaign_id=campaign_id,
                            unit_key=t.unit_key,
                            batch_id=batch_id,
                            unit_name=t.name,
                            email=t.email,
                            state="sending",
                            created_at=st.now(),
                        )
                    )
            except IntegrityError:  # another process claimed it a moment ago
                return "sending"
            return ""
        if row.state == "failed":
            row.state, row.error, row.email = "sending", "", t.email
            return "failed"
        return row.state


def _settle(
    st: IntakeState, campaign_id: str, batch_id: str, t: ReminderTarget, state: str, error: str
) -> None:
    key = idem_key(campaign_id, t.unit_key, batch_id)
    with st.db.session() as s:
        row = s.scalars(select(ReminderRow).where(ReminderRow.idem_key == key)).one()
        row.state, row.error = state, error
        if state == "sent":
            row.sent_at = st.now()


def send_batch(
    st: IntakeState,
    campaign_id: str,
    targets: Sequence[ReminderTarget],
    batch_id: str,
    work: Work | None = None,
) -> BatchResult:
    """Send the batch's reminders that have not gone yet; see the module's rules."""
    work = work or Work()
    loaded = load_account(st)
    if loaded is None:
        raise ReminderError(
            zh="还没有设置发信邮箱；请先在控制台“邮件设置”中（或用 qmintake smtp set）设置",
            en="no mail account is set up; set one in the console or with `qmintake smtp set`",
            code="no-smtp",
        )
    account, password = loaded
    drafts = preview(st, campaign_id, targets)
    result = BatchResult(batch_id)
    todo: list[Draft] = []
    for d in drafts:
        if not is_valid_email(d.target.email):
            why = (
                NotSent(
                    d.target,
                    f"电子邮箱“{d.target.email}”无效，请在名单中改正",
                    f"the e-mail address {d.target.email!r} is not valid; correct it in the roster",
                )
                if d.target.email.strip()
                else NotSent(
                    d.target,
                    "名单中没有该单位的电子邮箱，请在名单中补上",
                    "the roster has no e-mail address for this unit; add it to the roster",
                )
            )
            result.not_sent.append(why)
            if _claim(st, campaign_id, batch_id, d.target) in ("", "failed"):  # on its row
                _settle(st, campaign_id, batch_id, d.target, "failed", why.en)
        else:
            todo.append(d)
    sender = account.settings.from_addr
    interval = 60.0 / account.per_minute
    last = 0.0
    pending = list(todo)
    try:
        with connect(account.settings, password) as client:
            while pending:
                d = pending[0]
                before = _claim(st, campaign_id, batch_id, d.target)
                if before in ("sent", "sending"):
                    pending.pop(0)
                    if before == "sent":
                        result.already_sent.append(d.target)
                    else:
                        result.uncertain.append(_uncertain(d.target))
                    continue
                try:  # rate limit; a cancel here leaves the reminder to send another time
                    work.sleep(max(0.0, last + interval - time.monotonic()))
                    work.progress(len(todo) - len(pending), len(todo), d.target.name)
                except Cancelled:
                    _settle(st, campaign_id, batch_id, d.target, "failed", "cancelled")
                    raise
                data = _message(d, sender, idem_key(campaign_id, d.target.unit_key, batch_id))
                last = time.monotonic()
                try:
                    client.sendmail(sender, [d.target.email], data)
                except _REFUSED as exc:  # this mail refused; the connection goes on
                    why = _refused(exc, d.target)
                    _settle(st, campaign_id, batch_id, d.target, "failed", why.en)
                    result.not_sent.append(why)
                    pending.pop(0)
                    continue
                except SMTP_ERRORS:  # the connection broke: did this one arrive? unknown
                    result.uncertain.append(_uncertain(d.target))
                    pending.pop(0)
                    raise
                _settle(st, campaign_id, batch_id, d.target, "sent", "")
                result.sent.append(d.target)
                pending.pop(0)
    except SendError as exc:
        _rest_not_sent(result, pending, exc)
    except SMTP_ERRORS as exc:
        _rest_not_sent(result, pending, failure(exc, account.settings, len(result.sent)))
    return result


def _refused(exc: Exception, t: ReminderTarget) -> NotSent:
    """The server's own answer, readable: ``550 5.1.1 mailbox unavailable``."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = [(c, m) for c, m in exc.recipients.values()]
    else:
        answers = [(getattr(exc, "smtp_code", 0), getattr(exc, "smtp_error", b""))]
    said = "; ".join(
        f"{code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}".strip()
        for code, msg in answers
    )
    return NotSent(
        t,
        f"邮件服务器拒收（服务器答复：{said}）；请核对该单位的电子邮箱（{t.email}）后重新发送",
        f"the mail server refused it (it said: {said}); check the unit's address ({t.email}) "
        "and send again",
    )


def _uncertain(t: ReminderTarget) -> NotSent:
    return NotSent(
        t,
        "与邮件服务器的连接在发送时中断，无法确认是否已送达；为免重复，不会自动重发，请向该单位核实",
        "the connection broke while this mail was being sent, so it may have arrived; it is "
        "not sent again automatically — check with the unit",
    )


def _rest_not_sent(result: BatchResult, pending: list[Draft], exc: SendError) -> None:
    for d in pending:
        result.not_sent.append(
            NotSent(d.target, f"未发送：{exc.message_zh}", f"not sent: {exc.message_en}")
        )


@dataclass(frozen=True)
class ReminderLog:
    unit_key: str
    state: str  # sent | failed | sending (outcome unknown)
    at: dt.datetime
    batch_id: str
    error: str = ""


def reminder_log(st: IntakeState, campaign_id: str) -> dict[str, list[ReminderLog]]:
    """Every reminder of the campaign by unit key, newest first (for the unit's row)."""
    out: dict[str, list[ReminderLog]] = {}
    with st.db.session() as s:
        rows = s.scalars(
            select(ReminderRow)
            .where(ReminderRow.campaign_id == campaign_id)
            .order_by(ReminderRow.created_at.desc(), ReminderRow.id.desc())
        )
        for r in rows:
            out.setdefault(r.unit_key, []).append(
                ReminderLog(r.unit_key, r.state, r.sent_at or r.created_at, r.batch_id, r.error)
            )
    return out
