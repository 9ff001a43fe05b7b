"""Small display helpers shared by the item models (sizes, durations, dates)."""

from __future__ import annotations

import datetime as dt


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def local_time(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """``09-24 10:05`` within the current year, ``2021-09-24`` before it."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    local = when.astimezone()
    current = (now or dt.datetime.now(dt.UTC)).astimezone()
    if local.year == current.year:
        return local.strftime("%m-%d %H:%M")
    return local.strftime("%Y-%m-%d")
