"""Inbox benchmark: importing packages, and reading the lists once thousands are stored.

    .venv/bin/python benchmarks/bench_inbox.py [--count 500] [--stored 5000]

1. ``--count`` enterprise packages with small media (one 640×480 JPEG each) are imported
   into a coordinator's inbox (every package opened, hashed, checked against campaign,
   district and the campaign's rules, landed in one transaction, filed).  The baseline,
   in the same run, copies the same bytes with the standard library: every package read
   with :mod:`zipfile` and its members written to files (what any import must at least do).
2. The store is filled to ``--stored`` reports and inbox items (rows written directly),
   then the inbox list (:func:`inbox.list_items`) and the report list
   (:func:`drafts.list_submissions`) are read, against a bare ``sqlite3`` SELECT of the
   same tables.

It prints times per package, ratios (ours / baseline: lower is better, 1.0 would be as
fast as the bare copy) and the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "coord"))


def copy_baseline(pkgs: list[Path], dest: Path) -> float:
    dest.mkdir()
    t0 = time.perf_counter()
    for p in pkgs:
        with zipfile.ZipFile(p) as zf:
            for info in zf.infolist():
                with (
                    zf.open(info) as src,
                    open(dest / f"{p.stem}-{info.filename[-16:]}", "wb") as out,
                ):
                    shutil.copyfileobj(src, out)
                    out.flush()
                    os.fsync(out.fileno())
    return time.perf_counter() - t0


def best(fn, rounds: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--stored", type=int, default=5000)
    args = ap.parse_args()

    from coordsetup import make_coordinator
    from district import enterprise

    from qmclient.services import drafts, inbox, inbox_import
    from qmclient.services.context import open_context
    from qmclient.services.packages import export_package
    from qmclient.store.models import Activity, InboxItem, Submission

    work = Path(tempfile.mkdtemp(prefix="qmbench-inbox-"))
    try:
        src = open_context(work / "enterprises")
        folder = work / "packages"
        folder.mkdir()
        for i in range(args.count):
            sid = enterprise(src, work / "media", i, photo_size=(640, 480))
            export_package(src, sid, folder / f"e{i:04d}.qmpkg")
        src.close()
        pkgs = sorted(folder.iterdir())
        size = sum(p.stat().st_size for p in pkgs)
        t_copy = copy_baseline(pkgs, work / "copy")
        coord = open_context(work / "coord")
        make_coordinator(coord)
        t0 = time.perf_counter()
        rows = inbox_import.import_paths(coord, [folder])
        t_import = time.perf_counter() - t0
        assert [r.outcome for r in rows] == ["new"] * args.count
        print(
            f"import of {args.count} packages ({size / 2**20:.1f} MiB): {t_import:.2f} s, "
            f"{1000 * t_import / args.count:.1f} ms per package; stdlib copy "
            f"{1000 * t_copy / args.count:.1f} ms per package; ratio {t_import / t_copy:.1f}",
            flush=True,
        )

        # fill the store to --stored reports and inbox items
        extra = max(0, args.stored - args.count)
        with coord.store.write() as s:
            for i in range(extra):
                sub = Submission(
                    uuid=str(uuid.uuid4()),
                    campaign_id="jinan-2022-quality-month",
                    origin="imported",
                    unit_name=f"济南第{i:05d}号企业有限公司",
                    unit_district="lixia",
                    summary="质量月活动总结。" * 40,
                )
                sub.activities.append(Activity(id=str(uuid.uuid4()), name="质量月活动"))
                s.add(sub)
                s.flush()
                s.add(
                    InboxItem(
                        source_name=f"x{i}.qmpkg",
                        outcome="new",
                        message_zh="已导入",
                        message_en="imported",
                        uuid=sub.uuid,
                        revision=1,
                        unit_name=sub.unit_name,
                        submission_id=sub.id,
                    )
                )
        db = coord.data_dir / "qmclient.sqlite3"

        def bare(table: str) -> None:
            con = sqlite3.connect(db)
            con.execute(f"SELECT * FROM {table}").fetchall()
            con.close()

        t_inbox = best(lambda: inbox.list_items(coord))
        t_bare_inbox = best(lambda: bare("inbox_item"))
        t_list = best(lambda: drafts.list_submissions(coord))
        t_bare_list = best(lambda: bare("submission"))
        n = len(inbox.list_items(coord))
        print(
            f"inbox list of {n} items: {1000 * t_inbox:.0f} ms (bare SELECT "
            f"{1000 * t_bare_inbox:.0f} ms, ratio {t_inbox / t_bare_inbox:.1f}); report list of "
            f"{len(drafts.list_submissions(coord))}: {1000 * t_list:.0f} ms (bare SELECT "
            f"{1000 * t_bare_list:.0f} ms, ratio {t_list / t_bare_list:.1f})"
        )
        coord.close()
        print(f"load average: {os.getloadavg()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
