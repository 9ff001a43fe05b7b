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

Kind = Literal["retry", "action", "cancelled"]


class SyncError(Exception):
    def __init__(
        self,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        kind: Kind = "retry",
        status: int | None = None,
        retry_after: float | None = None,
        problem: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.kind: Kind = kind
        self.status = status
        self.retry_after = retry_after
        self.problem: dict[str, Any] = problem or {}

    @property
    def retryable(self) -> bool:
        return self.kind == "retry"

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang.startswith("zh") else self.message_en


class Cancelled(SyncError):
    """The user paused or cancelled the transfer; what was sent is kept."""

    def __init__(self) -> None:
        super().__init__(
            "cancelled", "已暂停/取消传输", "the transfer was paused or cancelled", kind="cancelled"
        )
