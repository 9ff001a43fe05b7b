"""The reminders pages: choose units (the dashboard's filters and a checkbox per unit),
read the mail first, send it in the background at the account's rate, then see what was
sent and what was not; and the office's mail account form (administrators only; the
password is write-only).  The work is :mod:`qmintake.office.reminders`; the JSON routes
of :mod:`qmintake.console.reminders` do the same for scripts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from qmclient.core.identifiers import is_valid_email
from qmclient.core.work import QmError, Work
from qmclient.export.smtp import SmtpSettings
from qmintake import dashboard
from qmintake.console.accounts import audit
from qmintake.console.auth import Admin, Reviewer, client_address
from qmintake.console.pages import render
from qmintake.console.reminders import SmtpForm
from qmintake.console.routes_campaigns import board_for, campaign_or_404
from qmintake.office import reminders as rem
from qmintake.office.smtpaccount import SmtpAccount, load_account, save_account
from qmintake.settings import IntakeState

router = APIRouter(prefix="/console", include_in_schema=False)
MAX_UNITS = 2000  # one batch; more: narrow the filters


@dataclass
class Job:
    """One batch being sent in the background (kept in this process's memory)."""

    batch_id: str
    campaign_id: str
    total: int
    done: int = 0
    result: rem.BatchResult | None = None
    error: QmError | None = None
    finished: threading.Event = field(default_factory=threading.Event)


def unit_key(line: dashboard.UnitLine) -> str:
    """The key a roster unit's reminders are logged under (as ``targets_from_roster``)."""
    return line.credit_code or line.name


def _target(line: dashboard.UnitLine) -> rem.ReminderTarget:
    return rem.ReminderTarget(
        unit_key(line), line.name, line.email, line.district, line.contact_person
    )


def _jobs(request: Request) -> dict[str, Job]:
    jobs: dict[str, Job] = request.app.state.reminder_jobs
    return jobs


def _chosen(request: Request, campaign_id: str, keys: list[str]) -> list[rem.ReminderTarget]:
    """The roster units whose keys the form sent, in the dashboard's order."""
    st: IntakeState = request.app.state.intake
    board = board_for(request, campaign_or_404(st, campaign_id))
    wanted = set(keys[:MAX_UNITS])
    return [_target(u) for u in board.lines if unit_key(u) in wanted]


@router.get("/campaigns/{campaign_id}/reminders")
async def reminders_page(
    request: Request,
    user: Reviewer,
    campaign_id: str,
    q: str = "",
    district: str = "",
    kind: str = "",
    status: str = dashboard.MISSING,
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    board = await run_in_threadpool(board_for, request, campaign)
    lines = dashboard.search(board, q[:200], district, kind, status)
    log = await run_in_threadpool(rem.reminder_log, st, campaign.id)
    account = await run_in_threadpool(_account_or_none, st)
    return render(
        request,
        "reminders.html",
        campaign=campaign,
        lines=lines[:MAX_UNITS],
        total=len(lines),
        max_units=MAX_UNITS,
        log=log,
        key=unit_key,
        valid_email=is_valid_email,
        account=account,
        q=q,
        district=district,
        kind=kind,
        status=status,
        statuses=dashboard.STATUSES,
        districts={d.id: d for d in campaign.districts},
        kinds={k.id: k for k in campaign.submitter_kinds},
    )


def _account_or_none(st: IntakeState) -> SmtpAccount | None:
    try:
        loaded = load_account(st)
    except QmError:
        return None
    return loaded[0] if loaded else None


@router.post("/campaigns/{campaign_id}/reminders/compose")
async def preview_page(
    request: Request,
    user: Reviewer,
    campaign_id: str,
    unit: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI reads the default)
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    targets = await run_in_threadpool(_chosen, request, campaign.id, unit)
    drafts = rem.preview(st, campaign.id, targets)
    return render(
        request,
        "reminders_preview.html",
        campaign=campaign,
        drafts=drafts,
        sendable=[d for d in drafts if is_valid_email(d.target.email)],
        no_email=[d for d in drafts if not is_valid_email(d.target.email)],
        batch_id=rem.new_batch_id(),
        account=await run_in_threadpool(_account_or_none, st),
        districts={d.id: d for d in campaign.districts},
    )


@router.post("/campaigns/{campaign_id}/reminders/batches")
async def send_page(
    request: Request,
    user: Reviewer,
    campaign_id: str,
    batch_id: Annotated[str, Form(pattern=r"^[0-9a-f]{32}$")],
    unit: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    jobs = _jobs(request)
    running = jobs.get(batch_id)
    if running is None or running.finished.is_set():  # a batch sent again: only what is left
        targets = await run_in_threadpool(_chosen, request, campaign.id, unit)
        job = Job(batch_id, campaign.id, len(targets))
        for old in [k for k, j in jobs.items() if j.finished.is_set()][:-50]:
            del jobs[old]  # keep the latest finished ones (the log keeps them all)
        jobs[batch_id] = job
        who, address = user.name, client_address(request)
        detail = f"batch {batch_id}: {len(targets)} unit(s)"
        await run_in_threadpool(audit, st.db, who, "reminders-send", campaign.id, detail, address)
        threading.Thread(
            target=_run, args=(st, job, targets, who, address), name="reminders", daemon=True
        ).start()
    return RedirectResponse(
        f"/console/campaigns/{campaign.id}/reminders/batches/{batch_id}", status_code=303
    )


def _run(
    st: IntakeState, job: Job, targets: list[rem.ReminderTarget], who: str, address: str
) -> None:
    def progress(p: object) -> None:
        job.done = int(getattr(p, "done", 0))

    try:
        job.result = rem.send_batch(st, job.campaign_id, targets, job.batch_id, Work(progress))
        r = job.result
        detail = (
            f"batch {job.batch_id}: sent {len(r.sent)}, already sent {len(r.already_sent)}, "
            f"not sent {len(r.not_sent)}, unknown {len(r.uncertain)}"
        )
        audit(st.db, who, "reminders-sent", job.campaign_id, detail, address)
    except QmError as exc:
        job.error = exc
        audit(st.db, who, "reminders-failed", job.campaign_id, exc.message_en, address)
    except Exception as exc:  # shown on the batch's page, not lost in a thread
        job.error = QmError(
            zh=f"发送提醒时出错：{exc}；请查看服务器日志后重试（已发送的不会重发）",
            en=f"sending the reminders failed: {exc}; see the server's log and send again "
            "(what was sent is not sent twice)",
            code="reminders-failed",
        )
    finally:
        job.finished.set()


@router.get("/campaigns/{campaign_id}/reminders/batches/{batch_id}")
async def batch_page(request: Request, user: Reviewer, campaign_id: str, batch_id: str) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    job = _jobs(request).get(batch_id[:64])
    stored = []
    if job is None:  # sent by another process, or before a restart: what the log says
        log = await run_in_threadpool(rem.reminder_log, st, campaign.id)
        stored = [e for items in log.values() for e in items if e.batch_id == batch_id]
    return render(
        request,
        "reminders_batch.html",
        campaign=campaign,
        job=job,
        stored=stored,
        batch_id=batch_id[:64],
    )


@router.get("/settings/mail")
async def mail_settings_page(request: Request, user: Admin, done: str = "") -> Response:
    st: IntakeState = request.app.state.intake
    account, error = None, None
    try:
        loaded = await run_in_threadpool(load_account, st)
        account = loaded[0] if loaded else None
    except QmError as exc:
        error = exc
    return render(request, "mail_settings.html", account=account, error=error, done=done)


@router.post("/settings/mail")
async def mail_settings_save(
    request: Request,
    user: Admin,
    host: Annotated[str, Form()] = "",
    port: Annotated[str, Form()] = "465",
    security: Annotated[str, Form()] = "ssl",
    username: Annotated[str, Form()] = "",
    sender: Annotated[str, Form()] = "",
    per_minute: Annotated[str, Form()] = "20",
    timeout: Annotated[str, Form()] = "60",
    password: Annotated[str, Form()] = "",
) -> Response:
    st: IntakeState = request.app.state.intake
    given = {
        "host": host.strip(),
        "port": port.strip(),
        "security": security,
        "username": username.strip(),
        "sender": sender.strip(),
        "per_minute": per_minute.strip(),
        "timeout": timeout.strip(),
        "password": password or None,
    }
    try:
        form = SmtpForm.model_validate(given)
        if form.sender and not is_valid_email(form.sender):
            raise QmError(
                zh=f"发件人地址“{form.sender}”不是有效的电子邮箱；请改正",
                en=f"the sender {form.sender!r} is not a valid e-mail address; correct it",
                code="bad-sender",
            )
        settings = SmtpSettings(
            form.host, form.port, form.security, form.username, form.sender, form.timeout
        )
        await run_in_threadpool(save_account, st, settings, form.password, form.per_minute)
    except (ValidationError, QmError) as exc:
        error = exc if isinstance(exc, QmError) else _form_error(exc)
        shown = {k: v for k, v in given.items() if k != "password"}  # never sent back
        return render(
            request, "mail_settings.html", http_status=422, account=None, error=error, form=shown
        )
    detail = f"{form.host}:{form.port} {form.security} user={form.username!r} " + (
        "password changed" if form.password else "password kept"
    )
    address = client_address(request)
    await run_in_threadpool(audit, st.db, user.name, "smtp-settings", form.host, detail, address)
    return RedirectResponse("/console/settings/mail?done=saved", status_code=303)


_FIELDS_ZH = {
    "host": "邮件服务器",
    "port": "端口",
    "security": "加密方式",
    "username": "用户名",
    "sender": "发件人",
    "per_minute": "每分钟最多发送",
    "timeout": "超时（秒）",
    "password": "密码",
}


def _form_error(exc: ValidationError) -> QmError:
    bad = [str(e["loc"][0]) for e in exc.errors() if e.get("loc")]
    zh = "、".join(_FIELDS_ZH.get(b, b) for b in bad)
    return QmError(
        zh=f"以下各项填写有误：{zh}。端口为 1–65535，每分钟 1–600 封，超时 1–300 秒；请改正后保存",
        en=f"these fields are not valid: {', '.join(bad)}. The port is 1–65535, 1–600 mails a "
        "minute, a timeout of 1–300 s; correct them and save",
        code="bad-smtp-form",
    )
