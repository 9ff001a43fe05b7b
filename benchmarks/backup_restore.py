"""Backup and restore of a data folder against the standard library doing the plain job.

Builds a data folder with 200 drafts, 600 photos (small, distinct) and 4 videos of 64 MiB
(random bytes under a real MP4 name are not accepted, so the big files are stored as
media blobs directly), then measures, alternately in the same run:

- backup  vs ``zipfile`` (stored) writing the same files, no hashing, no manifest;
- check   vs reading the archive once with ``zipfile`` (no hashing);
- restore vs ``zipfile.extractall`` of the same archive into a fresh folder.

    .venv/bin/python benchmarks/backup_restore.py [--video-mib 64] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def build(data: Path, tmp: Path, video_mib: int) -> None:
    from mediafactory import make_png

    from qmclient.services import drafts
    from qmclient.services.context import open_context
    from qmclient.store.models import MediaBlob, MediaItem

    ctx = open_context(data)
    try:
        for i in range(200):
            sid = drafts.create_draft(ctx, title=f"报告 {i}")
            photos = [
                make_png(tmp / f"p{i}-{k}.png", size=(64, 48), seed=i * 10 + k) for k in range(3)
            ]
            drafts.attach_files(ctx, sid, photos)
        for v in range(4):
            src = tmp / f"v{v}.bin"
            with open(src, "wb") as fh:
                for _ in range(video_mib):
                    fh.write(os.urandom(2**20))
            sha = hashlib.sha256(src.read_bytes()).hexdigest()
            dest = ctx.media.path_for(sha)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(src, dest)
            with ctx.store.write() as s:
                s.add(MediaBlob(sha256=sha, size=dest.stat().st_size, media_type="video/mp4"))
                s.add(MediaItem(submission_id=v + 1, sha256=sha, original_name=f"视频{v}.mp4"))
    finally:
        ctx.close()


def plain_zip(data: Path, out: Path) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        zf.write(data / "qmclient.sqlite3", "qmclient.sqlite3")
        for p in sorted((data / "media").rglob("*")):
            if p.is_file() and "tmp" not in p.relative_to(data).parts:
                zf.write(p, str(p.relative_to(data)))


def plain_read(archive: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            with zf.open(info) as fh:
                while fh.read(2**20):
                    pass


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def extract_all(archive: Path, dest: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--video-mib", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from qmclient.services.backup import check_archive, create_backup, restore_backup_archive

    with tempfile.TemporaryDirectory(prefix="qm-bench-backup-") as t:
        tmp = Path(t)
        data = tmp / "data"
        build(data, tmp / "src", args.video_mib)
        size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
        rows: dict[str, tuple[list[float], list[float]]] = {
            "backup": ([], []),
            "check": ([], []),
            "restore": ([], []),
        }
        for r in range(args.runs):
            ours, plain = tmp / f"ours{r}.zip", tmp / f"plain{r}.zip"
            rows["backup"][0].append(timed(create_backup, data, ours))
            rows["backup"][1].append(timed(plain_zip, data, plain))
            rows["check"][0].append(timed(check_archive, ours))
            rows["check"][1].append(timed(plain_read, plain))
            target = tmp / f"restored{r}" / "data"
            rows["restore"][0].append(timed(restore_backup_archive, ours, target))
            rows["restore"][1].append(timed(extract_all, plain, tmp / f"plain-x{r}"))
            for p in (ours, plain):
                p.unlink()
            shutil.rmtree(tmp / f"restored{r}")
            shutil.rmtree(tmp / f"plain-x{r}")
        print(f"data folder: {size / 2**20:.0f} MiB, 200 drafts, 600 photos, 4 large files")
        for name, (a, b) in rows.items():
            ma, mb = statistics.median(a), statistics.median(b)
            print(
                f"{name:8s} qmclient {ma:6.2f} s   zipfile {mb:6.2f} s   ratio {ma / mb:4.2f}"
                f"   ({size / 2**20 / ma:.0f} MiB/s; median of {args.runs})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
