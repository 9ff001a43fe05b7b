"""Benchmark: what recording exports beside the status costs the report list.

The list's query (``store/listing.py``) joins each submission's latest export record, so
the list can say 草稿 · 已导出 without a query per row.  This builds a store of N
submissions (3 activities and 5 media items each), half of them exported, and times in
the same run:
- the list as the program reads it (``drafts.list_submissions``: the query with the
  export join, through SQLAlchemy, into rows);
- the baseline: the same query without the export join (the list before exports were
  recorded), through SQLAlchemy into the same rows;
- each with the standard library's sqlite3, fetched in full.

Run:  .venv/bin/python benchmarks/bench_list_exports.py [--submissions 5000]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert, text

from qmclient.services import drafts
from qmclient.services.context import open_context
from qmclient.store.database import DB_NAME
from qmclient.store.listing import LIST_SQL, list_rows
from qmclient.store.models import (
    Activity,
    ExportRecord,
    MediaBlob,
    MediaItem,
    Submission,
    utcnow,
)

WITHOUT_EXPORTS = LIST_SQL.replace(
    ", e.made_at, e.revision, e.mail_count", ", NULL, NULL, NULL"
).replace(
    """LEFT OUTER JOIN export_record AS e ON e.id = (SELECT max(id) FROM export_record
                 WHERE submission_id = s.id)
""",
    "",
)


def populate(ctx, n: int) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    sha = "ab" * 32
    with ctx.store.write() as s:
        s.execute(insert(MediaBlob), [{"sha256": sha, "size": 1000, "media_type": "image/jpeg"}])
        s.execute(
            insert(Submission),
            [
                {
                    "id": i,
                    "uuid": str(uuid.uuid4()),
                    "campaign_id": "jinan-2022-quality-month",
                    "title": f"报告 {i}",
                    "unit_name": f"单位 {i}",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(1, n + 1)
            ],
        )
        s.execute(
            insert(Activity),
            [
                {"id": str(uuid.uuid4()), "submission_id": i, "position": k, "name": "活动"}
                for i in range(1, n + 1)
                for k in range(3)
            ],
        )
        s.execute(
            insert(MediaItem),
            [
                {"submission_id": i, "sha256": sha, "position": k}
                for i in range(1, n + 1)
                for k in range(5)
            ],
        )
        s.execute(
            insert(ExportRecord),
            [
                {
                    "submission_id": i,
                    "revision": 1,
                    "made_at": now,
                    "kinds": "docx,eml",
                    "mail_count": 2,
                    "report_hash": "cd" * 32,
                    "files": "[]",
                }
                for i in range(1, n + 1, 2)
                for _ in range(2)  # exported twice: the latest is the one shown
            ],
        )


def interleaved(a, b, rounds: int = 21) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Medians of ``a`` and ``b`` timed in turn, so a busy machine weighs on both alike."""
    ta, tb = [], []
    for _ in range(rounds):
        for fn, times in ((a, ta), (b, tb)):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return statistics.median(ta), statistics.median(tb)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=5000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="qm-bench-list-"))
    ctx = open_context(folder)
    populate(ctx, args.submissions)
    rows = drafts.list_submissions(ctx)
    assert len(rows) == args.submissions
    assert sum(r.exported_at is not None for r in rows) == (args.submissions + 1) // 2

    def old_way() -> None:
        with ctx.store.read() as s:
            list_rows(s.execute(text(WITHOUT_EXPORTS), {"status": None}))

    with_exports, without = interleaved(lambda: drafts.list_submissions(ctx), old_way)
    raw = sqlite3.connect(folder / DB_NAME)
    raw_with, raw_without = interleaved(
        lambda: raw.execute(LIST_SQL, {"status": None}).fetchall(),
        lambda: raw.execute(WITHOUT_EXPORTS, {"status": None}).fetchall(),
    )
    raw.close()
    ctx.close()
    n = args.submissions
    print(f"{n} submissions, half of them exported (twice)")
    print(f"list with export records (program):   {with_exports * 1000:7.1f} ms")
    print(f"list without them (baseline):         {without * 1000:7.1f} ms")
    print(f"ratio:                                {with_exports / without:7.2f}")
    print(
        f"sqlite3 alone, with / without:        {raw_with * 1000:7.1f} / {raw_without * 1000:.1f} ms"
    )
    print(f"ratio (sqlite3):                      {raw_with / raw_without:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
