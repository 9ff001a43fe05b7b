"""Errors of export and import, with a stable code and a message in Chinese and English."""

from __future__ import annotations


class ExportError(Exception):
    """Export cannot go on; nothing half-written is left behind.

    ``code`` is stable (``not-writable``, ``disk-full``, ``media-missing``, ``too-large``,
    ``cancelled``, …) so callers can react to it; the messages name the thing and say what
    to do.
    """

    def __init__(self, code: str, message_zh: str, message_en: str, path: str = "") -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.path = path


class PackageError(Exception):
    """A package that must not be imported; ``reason`` is a stable code (``zip-slip``, …)."""

    def __init__(self, reason: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.reason = reason
        self.message_zh = message_zh
        self.message_en = message_en
