"""The life of a submission: draft → ready → queued → sending → received / exported.

A revision that has been sent or exported is frozen; editing it opens a new revision
(``revision + 1``, back to ``draft``).  The office may return a received report for
revision, which also reopens it.
"""

from __future__ import annotations

from typing import Final

from qmclient.core.work import QmError

DRAFT: Final = "draft"
READY: Final = "ready"
QUEUED: Final = "queued"
SENDING: Final = "sending"
RECEIVED: Final = "received"
EXPORTED: Final = "exported"
RETURNED: Final = "returned"
ACCEPTED: Final = "accepted"

STATUSES: Final = (DRAFT, READY, QUEUED, SENDING, RECEIVED, EXPORTED, RETURNED, ACCEPTED)
EDITABLE: Final = frozenset({DRAFT, READY})
FROZEN: Final = frozenset({QUEUED, SENDING, RECEIVED, EXPORTED, RETURNED, ACCEPTED})

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    DRAFT: frozenset({READY, QUEUED, EXPORTED}),
    READY: frozenset({DRAFT, QUEUED, EXPORTED}),
    QUEUED: frozenset({SENDING, DRAFT}),
    SENDING: frozenset({QUEUED, RECEIVED}),
    RECEIVED: frozenset({ACCEPTED, RETURNED}),
    EXPORTED: frozenset({QUEUED, EXPORTED}),
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
    EXPORTED: ("已导出（未报送）", "Exported (not sent)"),
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
