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
from typing import Any

from sqlalchemy.orm import Session

from qmclient.core.report import Activity as ActivityData
from qmclient.core.report import MediaRef, Report, Unit

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


def load_reports(session: Session, ids: Iterable[int] | None = None) -> dict[int, Report]:
    """Reports keyed by submission id (all, or those of ``ids``), in id order."""
    # the session's own connection (its transaction), driven without SQLAlchemy's result
    # rows: a sixth of the time for 100,000 media rows
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
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
        media: dict[int, list[MediaRef]] = {}
        for sid, *values in rows(_MEDIA_SQL, "m.submission_id"):
            items = media.get(sid)
            if items is None:
                items = media[sid] = []
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
                media.get(sid, []),
            )
    finally:
        cursor.close()
    return reports
