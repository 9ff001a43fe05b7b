"""Where an upload stands between runs: its URL, offset and expiry (the resume point).

The tus client saves a :class:`ResumePoint` *before* the first byte is sent and after
every chunk the server took, so a resume survives a restart of the program.  The app
keeps it in SQLite (:mod:`qmclient.services.sender`); :class:`MemoryResume` serves tests
and one-off uploads.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass
from typing import Protocol


@dataclass
class ResumePoint:
    url: str | None = None
    offset: int = 0
    expires_at: dt.datetime | None = None


class ResumeStore(Protocol):
    """Where an upload's URL and offset are kept between runs (SQLite in the app)."""

    def load(self) -> ResumePoint: ...

    def save(self, point: ResumePoint) -> None: ...


class MemoryResume:
    """A resume store that lives as long as the object (tests, one-off uploads)."""

    def __init__(self) -> None:
        self.point = ResumePoint()
        self.saves = 0

    def load(self) -> ResumePoint:
        return ResumePoint(self.point.url, self.point.offset, self.point.expires_at)

    def save(self, point: ResumePoint) -> None:
        self.point = ResumePoint(point.url, point.offset, point.expires_at)
        self.saves += 1


def parse_expires(value: str | None) -> dt.datetime | None:
    """An ``Upload-Expires`` header (an HTTP date) as an aware datetime, or None."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
