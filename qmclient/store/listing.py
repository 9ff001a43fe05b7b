"""The list of reports: one query, read either through the store's session or with plain
sqlite3 before the database layer has loaded (the window's first paint, see ``glance``).

Both paths run :data:`LIST_SQL` and turn its rows into :class:`SubmissionRow` with
:func:`list_rows`, so the early list and the full one cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from qmclient.core.lifecycle import ExportNote


class SubmissionRow(NamedTuple):
    """One line of the list.  A tuple, not a dataclass: a thousand are made at every start
    and every refresh, and a frozen dataclass takes twice as long to make."""

    id: int
    uuid: str
    campaign_id: str
    revision: int
    status: str
    title: str
    unit_name: str
    unit_district: str
    origin: str
    updated_at: dt.datetime
    activity_count: int
    media_count: int
    # the latest formal export (``export_record``), kept beside the status
    exported_at: dt.datetime | None = None
    export_revision: int = 0
    export_mails: int = 0

    @property
    def export_note(self) -> ExportNote | None:
        if self.exported_at is None:
            return None
        return ExportNote(self.exported_at, self.export_revision, self.export_mails)


# Newest change first; ``:status`` NULL lists every report.
LIST_SQL = """
SELECT s.id, s.uuid, s.campaign_id, s.revision, s.status, s.title, s.unit_name,
       s.unit_district, s.origin, s.updated_at,
       coalesce(a.n, 0), coalesce(m.n, 0), e.made_at, e.revision, e.mail_count
FROM submission AS s
LEFT OUTER JOIN (SELECT submission_id, count(*) AS n FROM activity
                 GROUP BY submission_id) AS a ON a.submission_id = s.id
LEFT OUTER JOIN (SELECT submission_id, count(*) AS n FROM media_item
                 GROUP BY submission_id) AS m ON m.submission_id = s.id
LEFT OUTER JOIN export_record AS e ON e.id = (SELECT max(id) FROM export_record
                 WHERE submission_id = s.id)
WHERE :status IS NULL OR s.status = :status
ORDER BY s.updated_at DESC, s.id DESC
"""


def stored_time(value: str) -> dt.datetime:
    """A UTC time as the store keeps it (naive text, ``2022-09-24 10:05:00.000000``)."""
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def list_rows(rows: Iterable[Sequence[Any]]) -> list[SubmissionRow]:
    return [
        SubmissionRow(
            id=r[0],
            uuid=r[1],
            campaign_id=r[2],
            revision=r[3],
            status=r[4],
            title=r[5],
            unit_name=r[6],
            unit_district=r[7],
            origin=r[8],
            updated_at=stored_time(r[9]),
            activity_count=r[10],
            media_count=r[11],
            exported_at=stored_time(r[12]) if r[12] else None,
            export_revision=r[13] or 0,
            export_mails=r[14] or 0,
        )
        for r in rows
    ]
