"""A first look at the store with plain sqlite3: what the window paints before the
database layer (SQLAlchemy, the models, migrations) has loaded.

Loading that layer takes about a third of a second; the report list, the deadlines and
the default campaign need only three queries.  :func:`glance` reads them read-only and
gives up (returns ``None``) whenever the quick look would not be the truth: no database
yet, a schema this program would migrate, or any error.  The caller then opens the store
the usual way before painting.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from qmclient.core.campaign import (
    DEFAULT_CAMPAIGN_ID,
    DEFAULT_CAMPAIGN_SETTING,
    Campaign,
    bundled_campaigns,
    stored_campaigns,
)
from qmclient.store.errors import SCHEMA_HEAD
from qmclient.store.listing import LIST_SQL, SubmissionRow, list_rows

if TYPE_CHECKING:  # the report's modules load with the editor, after the first paint
    from qmclient.core.report import Report

BUSY_TIMEOUT_S = 2.0


class Glance(NamedTuple):  # not a dataclass: defining one costs a millisecond a start
    rows: list[SubmissionRow]
    campaigns: dict[str, Campaign]  # bundled, then the store's own over them
    default_campaign_id: str
    db_path: Path | None = None

    def row(self, submission_id: int) -> SubmissionRow | None:
        return next((r for r in self.rows if r.id == submission_id), None)

    def report(self, submission_id: int) -> Report | None:
        """One report read with plain sqlite3 (what the editor shows before the store is
        attached), or ``None`` when it cannot be read now."""
        from qmclient.store.bulk import read_reports

        if self.db_path is None:
            return None
        conn = _connect(self.db_path)
        if conn is None:
            return None
        try:
            return read_reports(conn, [submission_id]).get(submission_id)
        except (sqlite3.Error, ValueError):
            return None
        finally:
            conn.close()

    def campaign(self, campaign_id: str) -> Campaign:
        """The campaign by id; ``LookupError`` when neither shipped nor stored."""
        return self.campaigns[campaign_id]

    def default_campaign(self) -> Campaign | None:
        return self.campaigns.get(self.default_campaign_id) or self.campaigns.get(
            DEFAULT_CAMPAIGN_ID
        )


def glance(db_path: Path) -> Glance | None:
    """The report list and campaigns of the store at ``db_path``, or ``None``."""
    if not db_path.is_file():
        return None
    conn = _connect(db_path)
    if conn is None:
        return None
    try:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] != SCHEMA_HEAD:
            return None
        rows = list_rows(conn.execute(LIST_SQL, {"status": None}))
        stored = stored_campaigns(conn.execute("SELECT id, text, source FROM campaign_file"))
        chosen = conn.execute(
            "SELECT value FROM setting WHERE key = ?", (DEFAULT_CAMPAIGN_SETTING,)
        ).fetchone()
    except (sqlite3.Error, ValueError):  # ValueError: a bad time, a bad campaign file
        return None
    finally:
        conn.close()
    return Glance(
        rows=rows,
        campaigns={**bundled_campaigns(), **stored},
        default_campaign_id=chosen[0] if chosen else DEFAULT_CAMPAIGN_ID,
        db_path=db_path,
    )


def _connect(db_path: Path) -> sqlite3.Connection | None:
    uri = db_path.absolute().as_uri() + "?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return None
