"""The campaign archive against ``zipfile`` (stored) writing the same files, and its memory.

Fills an intake data folder with received reports whose media are random bytes (photos
of 3 MiB, videos of 64 MiB) straight into the database and the media store, then, in the
same run and alternately:

- archive  ``qmintake.office.archive.write_archive`` (folders, manifest with SHA-256s,
           roll-up workbook, data descriptors, zip64 when needed) to a file;
- zipfile  ``zipfile.ZipFile(..., ZIP_STORED)`` writing the same media files.

Throughput is the median of ``--runs``; peak memory is the child process's maximum
resident set (each size archived in a fresh process), for two sizes to show it is flat.

    .venv/bin/python benchmarks/bench_archive.py [--mib 256 1024] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = "jinan-2022-quality-month"
PHOTO, VIDEO = 3 << 20, 64 << 20


def fill(data: Path, mib: int) -> list[tuple[Path, str]]:
    """Reports with media adding up to about ``mib`` MiB; returns (path, name in zip)."""
    from qmclient.core.report import Activity, MediaRef, Report, Unit
    from qmintake.db import migrate
    from qmintake.models import (
        BlobRow,
        RevisionMediaRow,
        RevisionRow,
        SubmissionRow,
        UnitRow,
    )
    from qmintake.settings import IntakeState, Settings

    st = IntakeState(Settings(data_dir=data))
    migrate(st.db.engine)
    files: list[tuple[Path, str]] = []
    left, n = mib << 20, 0
    now = dt.datetime(2022, 9, 20, 8, 0, tzinfo=dt.UTC)
    with st.db.session() as s:
        unit = UnitRow(name="历下区", kind="district", district="lixia")
        s.add(unit)
        s.flush()
        while left > 0:
            n += 1
            sizes = [VIDEO] if n % 4 == 0 else [PHOTO] * 4
            refs = []
            for k, size in enumerate(sizes):
                blob = os.urandom(size)
                sha = hashlib.sha256(blob).hexdigest()
                path = st.blobs.path_for(sha)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(blob)
                media_type = "video/mp4" if size == VIDEO else "image/jpeg"
                s.merge(BlobRow(sha256=sha, size=size, media_type=media_type))
                refs.append(
                    MediaRef(sha, size, media_type, f"f{k}.bin", "现场", "a1", position=k)
                )
                files.append((path, f"{n}/{sha}"))
                left -= size
            report = Report(
                uuid=str(uuid.uuid4()),
                campaign_id=CAMPAIGN,
                revision=1,
                title="2022年质量月活动情况总结",
                summary="总结" * 100,
                unit=Unit(
                    name=f"济南第{n}有限公司", kind="enterprise", district="lixia",
                    credit_code="", contact_person="张三", phone="0531-82568852",
                ),  # fmt: skip
                activities=[
                    Activity(
                        id="a1", focus_area="publicity", name="启动仪式",
                        start_date=dt.date(2022, 9, 1), end_date=dt.date(2022, 9, 1),
                        place="礼堂", organiser="质量部", participants=100,
                        description="举行启动仪式。", results="效果良好。",
                    )  # fmt: skip
                ],
                media=refs,
            )
            sub = SubmissionRow(
                uuid=report.uuid, campaign_id=CAMPAIGN, owner_unit_id=unit.id,
                unit_name=report.unit.name, unit_kind="enterprise", unit_district="lixia",
                status="received", created_at=now, updated_at=now,
            )  # fmt: skip
            s.add(sub)
            s.flush()
            rev = RevisionRow(
                submission_id=sub.id, revision=1,
                report_json=report.canonical_json().decode(), report_sha256=report.report_hash(),
                created_at=now, finalised_at=now, receipt_number=f"JN2022-{n:06d}",
                on_time=True, late_by_s=0, receipt_json=json.dumps({"receipt_number": n}),
            )  # fmt: skip
            s.add(rev)
            s.flush()
            for ref in refs:
                s.add(
                    RevisionMediaRow(
                        revision_id=rev.id, sha256=ref.sha256, size=ref.size,
                        media_type=ref.media_type,
                    )  # fmt: skip
                )
    st.close()
    return files


# VmHWM: the peak resident set of this process image (ru_maxrss would carry over the
# parent's peak from before exec)
CHILD = """
import sys, time
from pathlib import Path
from qmintake.office.archive import write_archive
from qmintake.settings import IntakeState, Settings
st = IntakeState(Settings(data_dir=Path(sys.argv[1])))
t = time.perf_counter()
a = write_archive(st, "jinan-2022-quality-month", Path(sys.argv[2]))
took = time.perf_counter() - t
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(a.size, took, hwm)
"""


def run_archive(data: Path, out: Path) -> tuple[int, float, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(data), str(out)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    size, took, rss_kib = done.stdout.split()
    return int(size), float(took), int(rss_kib)


def run_zipfile(files: list[tuple[Path, str]], out: Path) -> tuple[int, float]:
    t = time.perf_counter()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for path, name in files:
            zf.write(path, name)
    took = time.perf_counter() - t
    return out.stat().st_size, took


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--mib", type=int, nargs="+", default=[256, 1024])
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    for mib in args.mib:
        with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp_name:
            tmp = Path(tmp_name)
            files = fill(tmp / "data", mib)
            total = sum(p.stat().st_size for p, _ in files)
            ours, theirs, rss = [], [], 0
            for _ in range(args.runs):
                size, took, rss_kib = run_archive(tmp / "data", tmp / "a.zip")
                ours.append(size / took)
                rss = max(rss, rss_kib)
                (tmp / "a.zip").unlink()
                zsize, ztook = run_zipfile(files, tmp / "z.zip")
                theirs.append(zsize / ztook)
                (tmp / "z.zip").unlink()
            a, z = statistics.median(ours), statistics.median(theirs)
            print(
                f"{mib} MiB of media in {len(files)} files: archive {a / 2**20:.0f} MiB/s, "
                f"zipfile stored {z / 2**20:.0f} MiB/s, ratio {a / z:.2f}x (goal >= 0.9x); "
                f"peak RSS {rss / 1024:.0f} MiB (goal < 150 MiB); media {total / 2**20:.0f} MiB",
                flush=True,
            )


if __name__ == "__main__":
    main()
