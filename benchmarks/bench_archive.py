"""The campaign archive against ``zipfile`` (stored) writing the same files, and its memory.

Fills an intake data folder with received reports whose media are random bytes (photos
of 3 MiB, videos of 64 MiB) straight into the database and the media store, then, in the
same run, alternately (``--runs`` rounds; which one goes first alternates):

- archive  ``qmintake.office.archive.write_archive`` (folders, manifest with SHA-256s,
           roll-up workbook, data descriptors, zip64 when needed);
- zipfile  ``zipfile.ZipFile(..., ZIP_STORED)`` writing the same media files.

To be fair and repeatable: both read the same files, and before every run all of them
are read once, so each starts with them in the page cache; dirty pages are synced before
each run; each write runs in a fresh process.  By default both write to a sink that
discards the bytes (what is measured is producing the archive, not the disk); ``--to-disk`` writes files.
Printed per size: the median throughput of each with its spread (min–max), the ratio of
the medians and the median of the per-round ratios, the same per CPU second (less
sensitive to a busy machine), the load average before and after, and the peak memory
(the process's VmHWM) for two sizes, to show it is flat.

    .venv/bin/python benchmarks/bench_archive.py [--mib 256 1024] [--runs 5] [--to-disk]
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
import uuid
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
                refs.append(MediaRef(sha, size, media_type, f"f{k}.bin", "现场", "a1", position=k))
                files.append((path, f"{n}/{sha}"))
                left -= size
            report = Report(
                uuid=str(uuid.uuid4()),
                campaign_id=CAMPAIGN,
                revision=1,
                title="2022年质量月活动情况总结",
                summary="总结" * 100,
                unit=Unit(
                    name=f"济南第{n}有限公司",
                    kind="enterprise",
                    district="lixia",
                    credit_code="",
                    contact_person="张三",
                    phone="0531-82568852",
                ),
                activities=[
                    Activity(
                        id="a1",
                        focus_area="publicity",
                        name="启动仪式",
                        start_date=dt.date(2022, 9, 1),
                        end_date=dt.date(2022, 9, 1),
                        place="礼堂",
                        organiser="质量部",
                        participants=100,
                        description="举行启动仪式。",
                        results="效果良好。",
                    )
                ],
                media=refs,
            )
            sub = SubmissionRow(
                uuid=report.uuid,
                campaign_id=CAMPAIGN,
                owner_unit_id=unit.id,
                unit_name=report.unit.name,
                unit_kind="enterprise",
                unit_district="lixia",
                status="received",
                created_at=now,
                updated_at=now,
            )
            s.add(sub)
            s.flush()
            rev = RevisionRow(
                submission_id=sub.id,
                revision=1,
                report_json=report.canonical_json().decode(),
                report_sha256=report.report_hash(),
                created_at=now,
                finalised_at=now,
                receipt_number=f"JN2022-{n:06d}",
                on_time=True,
                late_by_s=0,
                receipt_json=json.dumps({"receipt_number": n}),
            )
            s.add(rev)
            s.flush()
            for ref in refs:
                s.add(
                    RevisionMediaRow(
                        revision_id=rev.id,
                        sha256=ref.sha256,
                        size=ref.size,
                        media_type=ref.media_type,
                    )
                )
    st.close()
    return files


# Both writers run the same way, each in a fresh process: wall and CPU time of the write
# only, and VmHWM, the peak resident set of that process image (ru_maxrss would carry over
# the parent's peak from before exec).
CHILD = """
import json, sys, time, zipfile
from pathlib import Path
mode, data, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
if mode == "archive":
    from qmintake.office.archive import write_archive
    from qmintake.settings import IntakeState, Settings
    st = IntakeState(Settings(data_dir=data))
t, c = time.perf_counter(), time.process_time()
class Sink:  # discards what it is given (no seek: zipfile writes data descriptors too)
    def __init__(self): self.n = 0
    def write(self, b): self.n += len(b); return len(b)
    def tell(self): return self.n
    def flush(self): pass
if mode == "archive":
    from qmintake.office.archive import build_archive
    if str(out) == "/dev/null":
        size = build_archive(st, "jinan-2022-quality-month").zip.write_to(Sink())
    else:
        size = write_archive(st, "jinan-2022-quality-month", out).size
else:
    f = Sink() if str(out) == "/dev/null" else open(out, "wb")
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for path, name in json.loads((data / "files.json").read_text()):
            zf.write(path, name)
    size = f.tell()
    f.close() if hasattr(f, "close") else None
wall, cpu = time.perf_counter() - t, time.process_time() - c
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(size, wall, cpu, hwm)
"""


def run(mode: str, data: Path, out: Path) -> tuple[int, float, float, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(data), str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    size, wall, cpu, hwm_kib = done.stdout.split()
    if out != DEVNULL:
        out.unlink()
    return int(size), float(wall), float(cpu), int(hwm_kib)


DEVNULL = Path(os.devnull)


def forget_crcs(data: Path) -> None:
    import sqlite3

    with sqlite3.connect(data / "qmintake.sqlite3") as db:
        db.execute("DELETE FROM blob_crc32")


def warm(files: list[tuple[Path, str]]) -> None:
    """Read every file once: each run starts with all of them in the page cache."""
    buf = bytearray(1 << 20)
    for path, _name in files:
        with path.open("rb", buffering=0) as f:
            while f.readinto(buf):
                pass


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--mib", type=int, nargs="+", default=[256, 1024])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--to-disk", action="store_true", help="write files, not /dev/null")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    mib_s = 2**20
    for mib in args.mib:
        with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp_name:
            tmp = Path(tmp_name)
            files = fill(tmp / "data", mib)
            (tmp / "data" / "files.json").write_text(json.dumps([[str(p), n] for p, n in files]))
            total = sum(p.stat().st_size for p, _ in files)
            modes = ("archive", "again", "zipfile")
            rates: dict[str, list[float]] = {m: [] for m in modes}
            cpu: dict[str, list[float]] = {m: [] for m in modes}
            hwm: dict[str, int] = dict.fromkeys(modes, 0)
            load_before = os.getloadavg()
            for r in range(args.runs):
                order = modes if r % 2 == 0 else ("zipfile", "archive", "again")
                for mode in order:
                    if mode == "archive":  # the first download: no CRC known yet
                        forget_crcs(tmp / "data")
                    os.sync()  # no write-back of the previous run's output during this one
                    warm(files)
                    out = tmp / f"{mode}.zip" if args.to_disk else DEVNULL
                    child = "archive" if mode == "again" else mode
                    size, wall, used, kib = run(child, tmp / "data", out)
                    rates[mode].append(size / wall / mib_s)
                    cpu[mode].append(size / max(used, 1e-6) / mib_s)
                    hwm[mode] = max(hwm[mode], kib)
            load = os.getloadavg()
            a, z = statistics.median(rates["archive"]), statistics.median(rates["zipfile"])
            ca, cz = statistics.median(cpu["archive"]), statistics.median(cpu["zipfile"])
            per_round = [x / y for x, y in zip(rates["archive"], rates["zipfile"], strict=True)]
            g = statistics.median(rates["again"])
            print(
                f"{mib} MiB of media in {len(files)} files ({total / mib_s:.0f} MiB), "
                f"{args.runs} alternated rounds, {'to disk' if args.to_disk else 'bytes discarded'}, "
                f"page cache warm for both\n"
                f"  archive        {spread(rates['archive'])} MiB/s  median (min–max), "
                "first download (every CRC-32 computed)\n"
                f"  archive again  {spread(rates['again'])} MiB/s  CRC-32s kept from the "
                f"first: {g / z:.2f}x zipfile\n"
                f"  zipfile stored {spread(rates['zipfile'])} MiB/s\n"
                f"  ratio {a / z:.2f}x of the medians, per round {min(per_round):.2f}–"
                f"{max(per_round):.2f}x (median {statistics.median(per_round):.2f}x; goal >= "
                f"0.9x); per CPU second {ca / cz:.2f}x ({ca:.0f} vs {cz:.0f} MiB/s)\n"
                f"  peak RSS archive {max(hwm['archive'], hwm['again']) / 1024:.0f} MiB, zipfile "
                f"{hwm['zipfile'] / 1024:.0f} MiB (goal < 150 MiB, flat)\n"
                f"  load average {load_before[0]:.2f} before, {load[0]:.2f} after, on "
                f"{os.cpu_count()} CPU(s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
