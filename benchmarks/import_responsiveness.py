#!/usr/bin/env python3
"""Adding 300 photos of 12 megapixels in the running window: how long the GUI event loop
ever stalls (a QTimer heartbeat), how long the import takes against plain copying and
hashing of the same bytes, and thumbnail throughput against Pillow's own draft() +
thumbnail() on one core.  Baselines are measured in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/import_responsiveness.py \
        [--photos 300] [--width 4000 --height 3000]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEARTBEAT_MS = 2


def make_photos(folder: Path, n: int, size: tuple[int, int]) -> list[Path]:
    """``n`` different JPEG files: 8 noisy base pictures, each copy with its own trailer
    (bytes after the end-of-image marker), so every file has its own SHA-256."""
    import numpy as np
    from PIL import Image

    folder.mkdir(parents=True)
    rng = np.random.default_rng(7)
    bases = []
    w, h = size
    for i in range(8):
        gradient = np.linspace(0, 255, w, dtype=np.float32)[None, :, None]
        img = np.broadcast_to(gradient, (h, w, 3)).copy()
        img[:, :, i % 3] = 255 - img[:, :, i % 3]
        img += rng.normal(0, 18, (h, w, 3)).astype(np.float32)
        path = folder / f"base{i}.jpg"
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=90)
        bases.append(path.read_bytes())
        path.unlink()
    out = []
    for i in range(n):
        path = folder / f"IMG_{i:04d}.jpg"
        path.write_bytes(bases[i % len(bases)] + i.to_bytes(4, "big"))
        out.append(path)
    return out


class Heartbeat:
    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self.beat)

    def beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now

    def start(self) -> None:
        self.gaps.clear()
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> tuple[float, float]:
        self.timer.stop()
        stalls = sorted(g - HEARTBEAT_MS / 1000 for g in self.gaps)
        return stalls[-1], stalls[int(len(stalls) * 0.99)]


def copy_and_hash(paths: list[Path], dest: Path) -> float:
    """The baseline for the import: read, hash, write and fsync the same bytes."""
    dest.mkdir()
    start = time.perf_counter()
    for p in paths:
        digest = hashlib.sha256()
        with open(p, "rb") as src, open(dest / p.name, "wb") as out:
            while chunk := src.read(1024 * 1024):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    return time.perf_counter() - start


def thumbnails(paths: list[Path], tmp: Path) -> tuple[float, float]:
    """Seconds per picture: ours (ThumbnailCache.ensure) and Pillow's draft + thumbnail."""
    from PIL import Image

    from qmclient.media.thumbnails import ThumbnailCache

    def pillow() -> None:
        for p in paths:
            with Image.open(p) as im:
                im.draft("RGB", (256, 256))
                im.thumbnail((256, 256))

    def ours(cache: ThumbnailCache) -> None:
        for i, p in enumerate(paths):
            cache.ensure(f"{i:064x}", p, "image/jpeg")

    base, mine = [], []
    for round_ in range(3):
        start = time.perf_counter()
        pillow()
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        ours(ThumbnailCache(tmp / f"thumbs{round_}"))
        mine.append(time.perf_counter() - start)
    return statistics.median(mine) / len(paths), statistics.median(base) / len(paths)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from qmclient.services.context import open_context
    from qmclient.ui.main_window import MainWindow
    from qmclient.ui.settings import AppSettings

    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print(f"making {args.photos} photos of {args.width}x{args.height} …", flush=True)
        photos = make_photos(tmp / "photos", args.photos, (args.width, args.height))
        size_mb = sum(p.stat().st_size for p in photos) / 1e6
        ctx = open_context(tmp / "data")
        settings = AppSettings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(ctx, settings, "zh_CN")
        window.resize(1400, 900)
        window.show()
        window.new_report()
        beat = Heartbeat()

        def pump_until(done: object, seconds: float) -> None:
            end = time.perf_counter() + seconds
            while not done() and time.perf_counter() < end:  # type: ignore[operator]
                app.processEvents()
                time.sleep(0.0005)

        # the noise floor: the same window, idle, for two seconds
        beat.start()
        pump_until(lambda: False, 2.0)
        idle_max, idle_p99 = beat.stop()

        finished: list[object] = []
        window.importer.finished.connect(lambda _sid, result: finished.append(result))
        beat.start()
        start = time.perf_counter()
        window.import_paths([tmp / "photos"])
        pump_until(lambda: bool(finished), 3600)
        import_s = time.perf_counter() - start
        pump_until(lambda: window.thumbnails.pending() == 0, 120)
        busy_max, busy_p99 = beat.stop()
        added = len(finished[0].added) if finished else 0  # type: ignore[attr-defined]
        window.close()
        ctx.close()

        baseline_s = copy_and_hash(photos, tmp / "copy")
        shutil.rmtree(tmp / "copy")
        ours_t, pillow_t = thumbnails(photos[:16], tmp)

    print(f"photos added: {added} of {args.photos} ({size_mb:.0f} MB)")
    print(
        f"event loop, idle:       longest stall {idle_max * 1000:6.1f} ms, p99 {idle_p99 * 1000:5.1f} ms"
    )
    print(
        f"event loop, importing:  longest stall {busy_max * 1000:6.1f} ms, p99 {busy_p99 * 1000:5.1f} ms"
        "  (aim: under 50 ms)"
    )
    print(
        f"import: {import_s:.1f} s; copy+hash+fsync of the same bytes: {baseline_s:.1f} s;"
        f" ratio {import_s / baseline_s:.2f}x"
    )
    print(
        f"thumbnail of a {args.width}x{args.height} JPEG: ours {ours_t * 1000:.0f} ms,"
        f" Pillow draft+thumbnail {pillow_t * 1000:.0f} ms; ratio {ours_t / pillow_t:.2f}x"
        f" ({1 / ours_t:.1f} per second on one core)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
