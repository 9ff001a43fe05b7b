"""What can go wrong while sending, with a message for people in Chinese and English.

Every failure of the network, the server or a local file is raised as :class:`SyncError`
with a stable ``code`` and a ``kind`` that tells the outbox what to do next:

- ``retry``: the network or the server had trouble; try again later without help.
- ``action``: the user must do something first (log in again, fix the report, free disk
  space, re-attach a file); the message says what.
- ``cancelled``: the user paused or cancelled; nothing is wrong.

Messages never contain a token: they are built from codes, URLs and numbers only.
"""

from __future__ import annotations

from typing import Any, Literal

from qmclient.core.work import Cancelled as WorkCancelled
from qmclient.core.work import QmError

Kind = Literal["retry", "action", "cancelled"]

# the server was not reached at all (as opposed to an answer such as 423 or 503)
UNREACHED_CODES = frozenset(
    {
        "tls",
        "proxy",
        "dns",
        "connect-timeout",
        "read-timeout",
        "connection-refused",
        "connection-lost",
        "captive-portal",
    }
)


class SyncError(QmError):
    def __init__(
        self,
        code: str,
        *,
        zh: str,
        en: str,
        kind: Kind = "retry",
        status: int | None = None,
        retry_after: float | None = None,
        problem: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(zh=zh, en=en, code=code)
        self.kind: Kind = kind
        self.status = status
        self.retry_after = retry_after
        self.problem: dict[str, Any] = problem or {}

    @property
    def retryable(self) -> bool:
        return self.kind == "retry"

    @property
    def unreached(self) -> bool:
        """The server was not reached (offline, a proxy, a portal), not a server's answer."""
        return self.code in UNREACHED_CODES

    def __str__(self) -> str:
        return f"{self.code}: {self.message_en}"


class Cancelled(SyncError, WorkCancelled):
    """The user paused or cancelled the transfer; what was sent is kept.

    It is the one :class:`qmclient.core.work.Cancelled` (``code == "cancelled"``) and also
    a :class:`SyncError` of kind ``cancelled``, so the outbox records a paused transfer the
    way it records any other outcome of sending."""

    def __init__(
        self, *, zh: str = "已暂停/取消传输", en: str = "the transfer was paused or cancelled"
    ) -> None:
        SyncError.__init__(self, "cancelled", zh=zh, en=en, kind="cancelled")
