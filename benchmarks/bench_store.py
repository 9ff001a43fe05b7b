"""Benchmark: a store with 5,000 submissions of 20 media each — listing and validating.

Every figure is a ratio to a baseline measured in the same run on the same file:
- listing (the list view's query through SQLAlchemy) against the same SQL run with the
  standard library's sqlite3 and fetched in full;
- validating everything against only loading everything (so the ratio is the price of
  the rules themselves), and per-report validation against the bulk path.

Run:  .venv/bin/python benchmarks/bench_store.py [--submissions 5000] [--media 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert

from qmclient.services import drafts
from qmclient.services.context import open_context
from qmclient.store.database import DB_NAME
from qmclient.store.models import Activity, MediaBlob, MediaItem, Submission, utcnow

DISTINCT_FILES = 2000
LIST_SQL = """
SELECT s.id, s.uuid, s.campaign_id, s.revision, s.status, s.title, s.unit_name,
       s.unit_district, s.origin, s.updated_at,
       coalesce(a.n, 0), coalesce(m.n, 0)
FROM submission s
LEFT JOIN (SELECT submission_id, count(*) AS n FROM activity GROUP BY submission_id) a
       ON a.submission_id = s.id
LEFT JOIN (SELECT submission_id, count(*) AS n FROM media_item GROUP BY submission_id) m
       ON m.submission_id = s.id
ORDER BY s.updated_at DESC, s.id DESC
"""


def populate(ctx, n_sub: int, n_media: int) -> None:  # type: ignore[no-untyped-def]
    shas = []
    for i in range(DISTINCT_FILES):
        body = f"photo {i}".encode() * 50
        sha = hashlib.sha256(body).hexdigest()
        path = ctx.media.path_for(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        shas.append(sha)
    now = utcnow()
    with ctx.store.write() as s:
        s.execute(
            insert(MediaBlob),
            [
                {
                    "sha256": sha,
                    "size": 3_000_000,
                    "media_type": "image/jpeg",
                    "width": 4000,
                    "height": 3000,
                    "stored_at": now,
                }
                for sha in shas
            ],
        )
        subs, acts, items = [], [], []
        for i in range(1, n_sub + 1):
            subs.append(
                {
                    "id": i,
                    "uuid": str(uuid.uuid4()),
                    "campaign_id": "jinan-2022-quality-month",
                    "revision": 1,
                    "status": "draft",
                    "origin": "imported",
                    "title": f"企业{i}2022年“质量月”活动情况总结",
                    "summary": "开展了质量月活动。" * 30,
                    "unit_name": f"济南第{i}有限公司",
                    "unit_kind": "enterprise",
                    "unit_district": "lixia",
                    "unit_credit_code": "91350100M000100Y43",
                    "unit_contact_person": "张三",
                    "unit_phone": "0531-82568852",
                    "unit_email": "",
                    "created_at": now,
                    "updated_at": now - dt.timedelta(seconds=i),
                }
            )
            act_ids = [str(uuid.uuid4()) for _ in range(3)]
            for k, aid in enumerate(act_ids):
                acts.append(
                    {
                        "id": aid,
                        "submission_id": i,
                        "position": k,
                        "focus_area": "publicity",
                        "name": f"活动{k}",
                        "start_date": dt.date(2022, 9, 1 + k),
                        "end_date": None,
                        "place": "济南",
                        "organiser": "质量部",
                        "participants": 100,
                        "description": "活动内容" * 20,
                        "results": "成效" * 10,
                    }
                )
            for k in range(n_media):
                items.append(
                    {
                        "submission_id": i,
                        "sha256": shas[(i * n_media + k) % DISTINCT_FILES],
                        "original_name": f"IMG_{k:04d}.jpg",
                        "caption": f"图{k}",
                        "activity_id": act_ids[k % 3],
                        "position": k,
                    }
                )
        s.execute(insert(Submission), subs)
        s.execute(insert(Activity), acts)
        s.execute(insert(MediaItem), items)


def best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def best_cpu(fn, repeat: int = 3) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Best wall time and best CPU time of this process (the CPU time is what a busy,
    shared machine disturbs least)."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def one_by_one(ctx, now: dt.datetime) -> dict[int, list[object]]:  # type: ignore[no-untyped-def]
    """Every report checked on its own (``drafts.validate_report``: the rules made ready
    per report, a look at the disk per file): the baseline ``validate_all`` must equal."""
    reports = drafts.load_reports(ctx)
    return {sid: list(drafts.validate_report(ctx, r, now)) for sid, r in reports.items()}


def orm_load(ctx) -> int:  # type: ignore[no-untyped-def]
    """The earlier path, for comparison: ORM objects with eager loading, then Reports."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    q = select(Submission).options(
        selectinload(Submission.activities),
        selectinload(Submission.media).joinedload(MediaItem.blob),
    )
    with ctx.store.read() as s:
        return len([drafts._report_of(sub) for sub in s.scalars(q)])


def raw_rows(db: Path) -> int:
    """The floor: the three queries' rows fetched with the standard library's sqlite3."""
    conn = sqlite3.connect(db)
    n = 0
    for sql in (
        "SELECT * FROM submission ORDER BY id",
        "SELECT * FROM activity ORDER BY submission_id, position",
        "SELECT m.*, b.* FROM media_item m JOIN media_blob b ON b.sha256 = m.sha256 "
        "ORDER BY m.submission_id, m.position",
    ):
        n += len(conn.execute(sql).fetchall())
    conn.close()
    return n


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--submissions", type=int, default=5000)
    ap.add_argument("--media", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(Path(tmp))
        t0 = time.perf_counter()
        populate(ctx, args.submissions, args.media)
        print(
            f"populated {args.submissions} submissions x {args.media} media "
            f"in {time.perf_counter() - t0:.1f} s"
        )

        def raw_list() -> None:
            conn = sqlite3.connect(Path(tmp) / DB_NAME)
            conn.execute(LIST_SQL).fetchall()
            conn.close()

        rows: list[object] = []
        t_list = best(lambda: rows.extend(drafts.list_submissions(ctx)) or None)
        t_raw = best(raw_list)
        assert len(rows) >= args.submissions
        t_load = best(lambda: drafts.load_reports(ctx), repeat=2)
        t_orm = best(lambda: orm_load(ctx), repeat=1)
        t_rows = best(lambda: raw_rows(Path(tmp) / DB_NAME), repeat=2)
        found: dict[int, list[object]] = {}
        now = dt.datetime.now(dt.UTC)
        load_before = load_average()
        t_validate, cpu_validate = best_cpu(lambda: found.update(drafts.validate_all(ctx, now)))
        single: dict[int, list[object]] = {}
        t_single, cpu_single = best_cpu(lambda: single.update(one_by_one(ctx, now)), repeat=1)
        load_after = load_average()
        assert single == found
        sample = list(range(1, args.submissions + 1, max(1, args.submissions // 200)))
        per = []
        for sid in sample:
            t = time.perf_counter()
            drafts.validate_submission(ctx, sid)
            per.append(time.perf_counter() - t)
        ctx.close()
    print(
        f"list {args.submissions} submissions: {t_list * 1000:.0f} ms "
        f"(raw sqlite3 {t_raw * 1000:.0f} ms, ratio {t_list / t_raw:.2f})"
    )
    print(
        f"load all reports: {t_load:.2f} s (the same rows through sqlite3 {t_rows:.2f} s, "
        f"ratio {t_load / t_rows:.2f}; through ORM objects {t_orm:.2f} s, "
        f"{t_orm / t_load:.1f}x slower)"
    )
    print(
        f"validate all: {t_validate:.2f} s, CPU {cpu_validate:.2f} s (aim: under 1 s) "
        f"(ratio to loading alone {t_validate / t_load:.2f}; "
        f"{t_validate / args.submissions * 1000:.2f} ms per report)"
    )
    print(
        f"  report by report (rules made ready and every file looked at per report): "
        f"{t_single:.2f} s, CPU {cpu_single:.2f} s ({t_single / t_validate:.1f}x slower)"
    )
    print(f"  load average while validating: {load_before} -> {load_after}")
    print(f"validate one report (median of {len(sample)}): {statistics.median(per) * 1000:.1f} ms")
    bad = sum(1 for f in found.values() if f)
    print(f"reports with findings: {bad} (expected {args.submissions}: the deadline has passed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
