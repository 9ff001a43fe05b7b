"""Errors of export and import, with a stable code and a message in Chinese and English."""

from __future__ import annotations

from qmclient.core.work import QmError


class ExportError(QmError):
    """Export cannot go on; nothing half-written is left behind.

    ``code`` is stable (``not-writable``, ``disk-full``, ``media-missing``, ``too-large``,
    ``cancelled``, …) so callers can react to it; the messages name the thing and say what
    to do.
    """

    def __init__(self, code: str, *, zh: str, en: str, path: str = "") -> None:
        super().__init__(zh=zh, en=en, code=code)
        self.path = path


class PackageError(QmError):
    """A package that must not be imported; ``reason`` (also ``code``) is a stable code
    (``zip-slip``, …)."""

    def __init__(self, reason: str, *, zh: str, en: str) -> None:
        super().__init__(zh=zh, en=en, code=reason)
        self.reason = reason
