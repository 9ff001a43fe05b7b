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
_START, _END = ACTIVITY_FIELDS.index("start_date"), ACTIVITY_FIELDS.index("end_date")


def load_reports(session: Session, ids: Iterable[int] | None = None) -> dict[int, Report]:
    """Reports keyed by submission id (all, or those of ``ids``), in id order."""
    conn = session.connection()
    wanted = None if ids is None else sorted(set(ids))

    def rows(sql: str, column: str) -> list[Any]:
        if wanted is None:
            return list(conn.exec_driver_sql(sql.format(where="")))
        out: list[Any] = []
        for part in _chunks(wanted):
            where = f" WHERE {column} IN ({','.join('?' * len(part))})"
            out.extend(conn.exec_driver_sql(sql.format(where=where), tuple(part)))
        return out

    activities: dict[int, list[ActivityData]] = {}
    for r in rows(_ACT_SQL, "submission_id"):
        values = list(r[2:])
        values[_START] = _date(values[_START])
        values[_END] = _date(values[_END])
        activities.setdefault(r[0], []).append(
            ActivityData(id=r[1], **dict(zip(ACTIVITY_FIELDS, values, strict=True)))
        )
    media: dict[int, list[MediaRef]] = {}
    for r in rows(_MEDIA_SQL, "m.submission_id"):
        media.setdefault(r[0], []).append(MediaRef(*r[1:]))
    reports: dict[int, Report] = {}
    n_unit = len(UNIT_FIELDS)
    for r in rows(_SUB_SQL, "id"):
        sid = r[0]
        reports[sid] = Report(
            uuid=r[1],
            campaign_id=r[2],
            revision=r[3],
            title=r[4],
            summary=r[5],
            unit=Unit(**dict(zip(UNIT_FIELDS, r[6 : 6 + n_unit], strict=True))),
            activities=activities.get(sid, []),
            media=media.get(sid, []),
        )
    return reports
