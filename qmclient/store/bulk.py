"""Many reports read at once as plain rows: three queries in all, no ORM objects.

The SQL names the tables and columns of ``store.models``; ``tests/services/test_drafts.py``
checks that every report read here equals the one the ORM path builds.

Building 5,000 ``Submission`` objects with 100,000 ``MediaItem`` and their blobs through the
ORM's identity map costs several times what the rows themselves cost; validating every
report (the checks panel, ``qmclient validate --all``, the coordinator's inbox) needs only
the values.  The rows are ordered as the ORM relationships order them (by ``position``),
so a report read here equals the one ``drafts.load_report`` builds.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from qmclient.core.media_checks import MediaFigures, white_space_starts
from qmclient.core.report import Activity as ActivityData
from qmclient.core.report import MediaRef, Report, Unit

if TYPE_CHECKING:  # the window reads its first report before SQLAlchemy is loaded
    from sqlalchemy.orm import Session

UNIT_FIELDS = ("name", "kind", "district", "credit_code", "contact_person", "phone", "email")
ACTIVITY_FIELDS = (
    "focus_area",
    "name",
    "start_date",
    "end_date",
    "place",
    "organiser",
    "participants",
    "description",
    "results",
)
_IN_CHUNK = 900  # SQLite's bound-parameter limit is 999 on old builds


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _IN_CHUNK):
        yield ids[i : i + _IN_CHUNK]


def _date(value: Any) -> dt.date | None:
    # SQLAlchemy keeps a ``Date`` in SQLite as ISO text; read it the same way
    return None if value is None else dt.date.fromisoformat(value)


_SUB_SQL = (
    "SELECT id, uuid, campaign_id, revision, title, summary, "
    + ", ".join(f"unit_{f}" for f in UNIT_FIELDS)
    + " FROM submission{where} ORDER BY id"
)
_ACT_SQL = (
    "SELECT submission_id, id, "
    + ", ".join(ACTIVITY_FIELDS)
    + " FROM activity{where} ORDER BY submission_id, position"
)
_MEDIA_SQL = (
    "SELECT m.submission_id, m.sha256, b.size, b.media_type, m.original_name, m.caption,"
    " m.activity_id, m.position, b.width, b.height, b.duration_s"
    " FROM media_item m JOIN media_blob b ON b.sha256 = m.sha256{where}"
    " ORDER BY m.submission_id, m.position"
)
# where the dates are in an activity's values (after its id)
_START, _END = 1 + ACTIVITY_FIELDS.index("start_date"), 1 + ACTIVITY_FIELDS.index("end_date")


def load_reports(
    session: Session, ids: Iterable[int] | None = None, *, media: bool = True
) -> dict[int, Report]:
    """Reports keyed by submission id (all, or those of ``ids``), in id order;
    ``media=False`` leaves their lists of files empty (see :func:`media_figures`)."""
    # the session's own connection (its transaction), driven without SQLAlchemy's result
    # rows: a sixth of the time for 100,000 media rows
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return read_reports(driver, ids, media=media)


def read_reports(
    driver: sqlite3.Connection, ids: Iterable[int] | None = None, *, media: bool = True
) -> dict[int, Report]:
    """:func:`load_reports` on a plain sqlite3 connection (also the window's first look,
    :mod:`qmclient.store.glance`, before the database layer has loaded)."""
    cursor = driver.cursor()
    wanted = None if ids is None else sorted(set(ids))

    def rows(sql: str, column: str) -> Iterable[Any]:
        if wanted is None:
            yield from cursor.execute(sql.format(where=""))
            return
        for part in _chunks(wanted):
            where = f" WHERE {column} IN ({','.join('?' * len(part))})"
            yield from cursor.execute(sql.format(where=where), tuple(part)).fetchall()

    try:
        activities: dict[int, list[ActivityData]] = {}
        for sid, *values in rows(_ACT_SQL, "submission_id"):
            # the columns are Activity's fields in order: built by position
            values[_START] = _date(values[_START])
            values[_END] = _date(values[_END])
            found = activities.get(sid)
            if found is None:
                found = activities[sid] = []
            found.append(ActivityData(*values))
        files: dict[int, list[MediaRef]] = {}
        for sid, *values in rows(_MEDIA_SQL, "m.submission_id") if media else ():
            items = files.get(sid)
            if items is None:
                items = files[sid] = []
            items.append(MediaRef(*values))
        reports: dict[int, Report] = {}
        for sid, uuid, campaign_id, revision, title, summary, *unit in rows(_SUB_SQL, "id"):
            reports[sid] = Report(
                uuid,
                campaign_id,
                revision,
                title,
                summary,
                Unit(*unit),
                activities.get(sid, []),
                files.get(sid, []),
            )
    finally:
        cursor.close()
    return reports


_FIGURES_SQL = """
SELECT m.submission_id, b.media_type, count(*), sum(b.size), min(b.size), max(b.size),
       count(DISTINCT m.sha256), sum(m.caption = '' OR unicode(m.caption) IN ({blank}))
FROM media_item m JOIN media_blob b ON b.sha256 = m.sha256
GROUP BY m.submission_id, b.media_type
"""
_LINKS_SQL = (
    "SELECT DISTINCT submission_id, activity_id FROM media_item"
    " WHERE activity_id IS NOT NULL AND activity_id != ''"
)


def media_figures(session: Session) -> dict[int, MediaFigures]:
    """Every report's files in figures, counted by SQLite in one pass (a report with no
    files has no entry): what the photo and video rules need when no file fails their
    quick test, without building an object per file."""
    blank = ",".join(str(c) for c in white_space_starts())
    figures: dict[int, MediaFigures] = {}
    conn = session.connection()
    for sid, media_type, count, size, smallest, largest, distinct, blanks in conn.exec_driver_sql(
        _FIGURES_SQL.format(blank=blank)
    ):
        found = figures.get(sid)
        if found is None:
            found = figures[sid] = MediaFigures()
        found.by_type[media_type] = (count, size, smallest, largest)
        found.blank_captions += blanks
        found.repeated = found.repeated or distinct != count  # one file has one type
    for sid, activity_id in conn.exec_driver_sql(_LINKS_SQL):
        figures.setdefault(sid, MediaFigures()).links.add(activity_id)
    return figures


def stored_files(session: Session) -> list[str]:
    """The SHA-256 of every file some report uses."""
    result = session.connection().exec_driver_sql("SELECT DISTINCT sha256 FROM media_item")
    return [sha for (sha,) in result]


def reports_using(session: Session, shas: Iterable[str]) -> set[int]:
    """The submissions using any of ``shas``."""
    wanted = sorted(set(shas))
    found: set[int] = set()
    conn = session.connection()
    for i in range(0, len(wanted), _IN_CHUNK):
        part = wanted[i : i + _IN_CHUNK]
        sql = "SELECT DISTINCT submission_id FROM media_item WHERE sha256 IN ({})"
        found.update(
            sid
            for (sid,) in conn.exec_driver_sql(sql.format(",".join("?" * len(part))), tuple(part))
        )
    return found
