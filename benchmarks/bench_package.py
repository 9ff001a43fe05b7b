"""Packaging a submission of 300 photos and a 2 GiB video, against zipfile in stored mode.

Baseline: the same bytes written with the standard library's ``zipfile`` (ZIP_STORED,
``shutil.copyfileobj`` per entry) in the same run and folder.  Prints the ratio
(baseline time / our time: 1.0 means as fast, the aim is at least 0.8) of the median of
alternating runs, and the peak resident memory (VmHWM) of each, each run in a fresh
child process.  Both include the final fsync.

    python benchmarks/bench_package.py [--video-gib 2] [--photos 300]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, os, shutil, sys, time, zipfile
from pathlib import Path
mode, folder, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
files = sorted(p for p in (folder / "media").iterdir())
if mode == "baseline":
    t0 = time.perf_counter()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for p in files:
            with open(p, "rb") as src, zf.open(zipfile.ZipInfo(p.name), "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
else:
    from qmclient.services.context import open_context
    from qmclient.services.packages import export_package
    ctx = open_context(folder / "data")  # opening the store is not part of the export
    t0 = time.perf_counter()
    export_package(ctx, 1, out)
with open(out, "rb+") as fh:
    os.fsync(fh.fileno())
elapsed = time.perf_counter() - t0
if mode != "baseline":
    ctx.close()
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(json.dumps({"s": elapsed, "rss_mib": int(hwm) / 1024}))
"""


def _prepare(folder: Path, photos: int, video_gib: float) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from mediafactory import make_jpeg, make_mp4

    from qmclient.services import drafts
    from qmclient.services.context import open_context

    media = folder / "media"
    media.mkdir(parents=True)
    ctx = open_context(folder / "data")
    sid = drafts.create_draft(ctx)
    src = folder / "src"
    for i in range(photos):
        p = make_jpeg(src / f"p{i:03d}.jpg", (1600, 1200), seed=i, quality=95)
        with open(p, "ab") as fh:  # phone-photo size: pad to ~3 MB of noise after EOI
            fh.write(os.urandom(3 * 1024 * 1024))
    clip = make_mp4(src / "clip.mp4", seconds=1)
    with open(clip, "ab") as fh:  # a valid MP4 head, then bulk to reach the size
        block = os.urandom(16 * 1024 * 1024)
        left = int(video_gib * 1024**3) - clip.stat().st_size
        while left > 0:
            fh.write(block[: min(left, len(block))])
            left -= len(block)
    drafts.attach_files(ctx, sid, sorted(src.iterdir()))
    report = drafts.load_report(ctx, sid)
    assert len(report.media) == photos + 1, "every file must be attached"
    for m in report.media:  # the baseline zips the same stored files
        os.link(ctx.media.path_for(m.sha256), media / m.sha256)
    ctx.close()
    for p in src.iterdir():
        p.unlink()


def _child(mode: str, folder: Path, out: Path) -> dict[str, float]:
    import json

    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(folder), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    out.unlink()
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=300)
    ap.add_argument("--video-gib", type=float, default=2.0)
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("QMBENCH_DIR")) as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        _prepare(folder, args.photos, args.video_gib)
        total = sum(p.stat().st_size for p in (folder / "media").iterdir())
        print(
            f"inputs: {args.photos} photos + {args.video_gib} GiB video = "
            f"{total / 1024**3:.2f} GiB (prepared in {time.perf_counter() - t:.0f} s)"
        )
        runs: dict[str, list[dict[str, float]]] = {"baseline": [], "qmpkg": []}
        # Alternate the order (ABBA…): on a shared disk the second of two big writes is
        # often slower or faster; the median of each evens that out.
        for i in range(args.rounds):
            for mode in ("baseline", "qmpkg")[:: 1 if i % 2 == 0 else -1]:
                runs[mode].append(_child(mode, folder, folder / f"{mode}.zip"))
        b, q = (sorted(runs[m], key=lambda r: r["s"])[len(runs[m]) // 2] for m in runs)
        print(
            "runs (s): "
            + "  ".join(f"{m} " + " ".join(f"{r['s']:.2f}" for r in runs[m]) for m in runs)
        )
        print(
            f"baseline zipfile stored: {b['s']:.2f} s  {total / b['s'] / 2**20:.0f} MiB/s  "
            f"peak RSS {b['rss_mib']:.0f} MiB"
        )
        print(
            f"qmclient export_package: {q['s']:.2f} s  {total / q['s'] / 2**20:.0f} MiB/s  "
            f"peak RSS {q['rss_mib']:.0f} MiB"
        )
        print(f"ratio (baseline time / ours, aim >= 0.8): {b['s'] / q['s']:.2f}")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average during the run (1, 5, 15 min): {load} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
