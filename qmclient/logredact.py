"""Keeping secrets out of the log: a :class:`logging.Filter` that masks them.

Masked wherever they appear in a message, its arguments or a traceback: bearer and basic
``Authorization`` values, ``token=``/``password=``/``secret=``-style query and form
parameters, ``"token": "…"``-style JSON fields, and credentials in URLs
(``https://user:secret@host``).  Install it on the log file's handler::

    handler.addFilter(RedactSecrets())
"""

from __future__ import annotations

import logging
import re

MASK = "***"
_KEYS = r"(?:access_token|refresh_token|token|api_key|apikey|password|passwd|pwd|secret|client_secret|session)"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer abc / Basic abc (a header, or the repr of a headers dict)
    (
        re.compile(
            r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:(bearer|basic|token)\s+)?[^\s\"',}]+"
        ),
        rf"\1\2 {MASK}",
    ),
    # a bearer token on its own
    (re.compile(r"(?i)\b(bearer)\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {MASK}"),
    # token=abc&… in query strings and form bodies
    (re.compile(rf"(?i)\b({_KEYS})=([^&\s'\"]+)"), rf"\1={MASK}"),
    # "token": "abc" or 'password': 'abc' in JSON or reprs
    (
        re.compile(rf"(?i)([\"']?(?:\w*_)?{_KEYS}[\"']?\s*[:=]\s*)([\"'])(.*?)\2"),
        rf"\1\2{MASK}\2",
    ),
    # scheme://user:secret@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]+):[^@\s/]+@"), rf"\1:{MASK}@"),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites each record's message (with its arguments) and traceback, masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        clean = redact(message)
        if clean != message or record.args:
            record.msg = clean
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
