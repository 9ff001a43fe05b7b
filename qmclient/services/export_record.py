"""Exports recorded beside the status: what was exported, when, and from which report.

A formal export (not a draft) freezes the revision it was made from, exactly as sending
does, so one revision number always means one content (a package handed to the district
and a later send agree); it does **not** change the submission's status.  The record —
time, kinds, the number of .eml drafts, the report hash, the file names — is shown beside
the state by :func:`qmclient.core.lifecycle.status_words`: "草稿 · 已导出 2022-09-28
14:03 · 邮件 3 封".  The next edit opens a new revision, and the record then says
"之后有修改" until the report is exported or sent again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from qmclient.core.lifecycle import ExportNote
from qmclient.services.context import AppContext
from qmclient.services.records import audit, get_submission
from qmclient.store.models import ExportRecord, utcnow

KIND_OF_SUFFIX = {".docx": "docx", ".xlsx": "xlsx", ".eml": "eml", ".qmpkg": "package"}


def kinds_of(files: Sequence[Path]) -> tuple[str, ...]:
    """The kinds of output among ``files`` (docx, xlsx, eml, package), sorted."""
    return tuple(sorted({k for p in files if (k := KIND_OF_SUFFIX.get(p.suffix.lower()))}))


def record(
    ctx: AppContext, submission_id: int, revision: int, report_hash: str, files: Sequence[Path]
) -> ExportNote:
    """Record a formal export of ``revision`` that wrote ``files``."""
    mails = sum(1 for p in files if p.suffix.lower() == ".eml")
    kinds = kinds_of(files)
    with ctx.store.write() as s:
        sub = get_submission(s, submission_id)
        row = ExportRecord(
            submission_id=submission_id,
            revision=revision,
            made_at=utcnow(),
            kinds=",".join(kinds),
            mail_count=mails,
            report_hash=report_hash,
            files=json.dumps([p.name for p in files], ensure_ascii=False),
        )
        s.add(row)
        audit(s, sub, "exported", {"files": [p.name for p in files], "report_hash": report_hash})
        s.flush()
        return ExportNote(row.made_at, revision, mails, kinds, report_hash)


def latest(ctx: AppContext, submission_id: int) -> ExportNote | None:
    """The submission's latest formal export, or ``None``."""
    with ctx.store.read() as s:
        row = s.scalars(
            select(ExportRecord)
            .where(ExportRecord.submission_id == submission_id)
            .order_by(ExportRecord.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        kinds = tuple(k for k in row.kinds.split(",") if k)
        return ExportNote(row.made_at, row.revision, row.mail_count, kinds, row.report_hash)
