"""The life of a submission: draft → ready → queued → sending → received → returned /
accepted, and the words every view uses for it.

A revision that has been sent or exported is frozen; editing it opens a new revision
(``revision + 1``, back to ``draft``).  The office may return a received report for
revision, which also reopens it.  Exporting is not a state: it is recorded beside the
state (:class:`ExportNote`) and never reads as sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

from qmclient.core.work import QmError

DRAFT: Final = "draft"
READY: Final = "ready"
QUEUED: Final = "queued"
SENDING: Final = "sending"
RECEIVED: Final = "received"
RETURNED: Final = "returned"
ACCEPTED: Final = "accepted"

STATUSES: Final = (DRAFT, READY, QUEUED, SENDING, RECEIVED, RETURNED, ACCEPTED)
EDITABLE: Final = frozenset({DRAFT, READY})
FROZEN: Final = frozenset({QUEUED, SENDING, RECEIVED, RETURNED, ACCEPTED})

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    DRAFT: frozenset({READY, QUEUED}),
    READY: frozenset({DRAFT, QUEUED}),
    QUEUED: frozenset({SENDING, DRAFT}),
    SENDING: frozenset({QUEUED, RECEIVED}),
    RECEIVED: frozenset({ACCEPTED, RETURNED}),
    RETURNED: frozenset(),
    ACCEPTED: frozenset(),
}

# One set of words for the list, the editor, the status bar and the command line:
# 草稿 → 待发送 → 发送中 → 已送达 → 退回修改 / 已通过.  "已送达" only ever follows a receipt;
# an export is recorded beside the state and never reads as sent.
LABELS: Final[dict[str, tuple[str, str]]] = {
    DRAFT: ("草稿", "Draft"),
    READY: ("草稿（已检查）", "Draft (checked)"),
    QUEUED: ("待发送", "Waiting to send"),
    SENDING: ("发送中", "Sending"),
    RECEIVED: ("已送达", "Received"),
    RETURNED: ("退回修改", "Returned for revision"),
    ACCEPTED: ("已通过", "Accepted"),
}


class TransitionError(QmError, ValueError):
    """A change of status the lifecycle does not allow."""

    code = "transition"


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def check_transition(current: str, new: str) -> None:
    if not can_transition(current, new):
        zh_from, zh_to = (LABELS.get(s, (s, s))[0] for s in (current, new))
        raise TransitionError(
            zh=f"报告当前状态为“{zh_from}”，不能改为“{zh_to}”。",
            en=f"a {current} submission cannot become {new}",
        )


def is_frozen(status: str) -> bool:
    return status in FROZEN


class ExportNote(NamedTuple):  # not a dataclass: defining one costs a millisecond a start
    """The latest formal export of a submission, as recorded beside its status."""

    made_at: dt.datetime  # aware (UTC in the store)
    revision: int  # the revision exported
    mail_count: int = 0  # .eml drafts written; 0 when none were
    kinds: tuple[str, ...] = ()  # docx, xlsx, eml, package
    report_hash: str = ""


def export_words(
    note: ExportNote | None,
    status: str,
    revision: int,
    tz: dt.tzinfo | None = None,
    *,
    short: bool = False,
) -> tuple[str, str] | None:
    """The words beside the status, "已导出 2022-09-28 14:03 · 邮件 3 封", or ``None`` when
    there is nothing to say: no export, or an export of an older revision of a report sent since.
    An export of an older revision of a report not yet sent says that it was changed
    after (the files no longer match it).  ``tz``: the zone to show the time in (the
    computer's when ``None``); ``short``: without the time and the mails, for the report
    list's narrow column (已导出 / 导出后有修改)."""
    if note is None:
        return None
    changed = note.revision < revision
    if changed and status not in EDITABLE:
        return None
    if short:  # a narrow column: the time and the mails are in its tooltip
        return ("导出后有修改", "changed since export") if changed else ("已导出", "exported")
    stamp = note.made_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    zh, en = f"已导出 {stamp}", f"exported {stamp}"
    if note.mail_count:
        zh += f" · 邮件 {note.mail_count} 封"
        en += f" · {note.mail_count} mail" + ("s" if note.mail_count != 1 else "")
    if changed:
        zh += "（之后有修改）"
        en += " (changed since)"
    return zh, en


def status_words(
    status: str,
    note: ExportNote | None = None,
    revision: int = 0,
    tz: dt.tzinfo | None = None,
    *,
    short: bool = False,
) -> tuple[str, str]:
    """The state in Chinese and English, with the export beside it when there is one:
    the same text for the list (``short`` in its column, whole in its tooltip), the
    editor, the status bar and the command line."""
    zh, en = LABELS.get(status, (status, status))
    beside = export_words(note, status, revision, tz, short=short)
    if beside is None:
        return zh, en
    return f"{zh} · {beside[0]}", f"{en} · {beside[1]}"
