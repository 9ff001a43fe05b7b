"""Downscaling 300 twelve-megapixel photos for mail, against Pillow on one core.

Baseline, in the same run on the same files: Pillow's own ``draft()`` + ``thumbnail()``
and a JPEG save, one photo after another in one process.  ``downscale_many`` does the same
work per photo (plus EXIF orientation and dropping metadata) on a process pool over every
core.  Prints the ratio (baseline time / ours: above 1 is faster) and peak memory.

    python benchmarks/bench_downscale.py [--photos 300] [--side 1920]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def baseline(files: list[Path], out: Path, side: int) -> float:
    from PIL import Image

    t = time.perf_counter()
    for p in files:
        with Image.open(p) as im:
            im.draft("RGB", (side, side))
            im.thumbnail((side, side))
            im.save(out / p.name, "JPEG", quality=85)
    return time.perf_counter() - t


def ours(files: list[Path], out: Path, side: int) -> float:
    from qmclient.media.downscale import DownscaleJob, downscale_many

    jobs = [DownscaleJob(p, out / p.name, side, 85) for p in files]
    t = time.perf_counter()
    results = downscale_many(jobs)
    assert results is not None and all(r.ok for r in results)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=300)
    ap.add_argument("--side", type=int, default=1920)
    ap.add_argument("--distinct", type=int, default=12, help="different photos, copied round")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from mediafactory import make_jpeg

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = root / "src"
        seeds = [
            make_jpeg(root / f"seed{i}.jpg", (4000, 3000), seed=i, gps=True, quality=92)
            for i in range(args.distinct)
        ]
        src.mkdir()
        files = []
        for i in range(args.photos):
            dest = src / f"IMG_{i:04d}.jpg"
            shutil.copyfile(seeds[i % len(seeds)], dest)
            files.append(dest)
        size = sum(p.stat().st_size for p in files)
        print(
            f"inputs: {len(files)} photos of 4000 × 3000 (12 MP), {size / 2**20:.0f} MiB; "
            f"{os.cpu_count()} cores"
        )
        best_b = best_o = float("inf")
        for _ in range(2):
            for name in ("b", "o"):
                out = root / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                if name == "b":
                    best_b = min(best_b, baseline(files, out, args.side))
                else:
                    best_o = min(best_o, ours(files, out, args.side))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"baseline Pillow draft+thumbnail, one core: {best_b:.2f} s "
            f"({len(files) / best_b:.1f} photos/s), peak RSS {rss:.0f} MiB"
        )
        print(
            f"qmclient downscale_many, process pool:     {best_o:.2f} s "
            f"({len(files) / best_o:.1f} photos/s), peak RSS per worker {kids:.0f} MiB"
        )
        print(f"ratio (baseline time / ours, aim > 1): {best_b / best_o:.2f}")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average during the run (1, 5, 15 min): {load} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
