"""Downscaling photos on a process pool: order kept, bad photos reported, cancel honoured."""

from __future__ import annotations

from pathlib import Path

from mediafactory import make_jpeg, make_png
from PIL import Image

from qmclient.core.work import Work
from qmclient.media.downscale import DownscaleJob, downscale_many


def test_pool_keeps_order_and_reports_bad_photos(tmp_path: Path) -> None:
    src = [
        make_jpeg(tmp_path / "a.jpg", (2000, 1500), seed=1, gps=True),
        make_jpeg(tmp_path / "b.jpg", (1500, 2000), seed=2, orientation=8),
        tmp_path / "bad.jpg",
        make_png(tmp_path / "c.png", (800, 600)),
    ]
    src[2].write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    out = tmp_path / "out"
    out.mkdir()
    jobs = [DownscaleJob(p, out / f"{i}.jpg", 500, 80) for i, p in enumerate(src)]
    seen: list[tuple[int, int]] = []
    results = downscale_many(jobs, workers=2, work=Work(lambda p: seen.append((p.done, p.total))))
    assert results is not None
    assert [r.job for r in results] == jobs
    assert [r.ok for r in results] == [True, True, False, True]
    assert "无法读取" in results[2].error_zh and results[2].error_en
    assert not (out / "2.jpg").exists() and not list(out.glob(".*.part"))
    assert (results[0].width, results[0].height) == (500, 375)
    assert (results[1].width, results[1].height) == (500, 375)  # orientation 8 applied
    with Image.open(out / "0.jpg") as im:
        assert im.format == "JPEG" and not im.getexif()  # GPS and all EXIF gone
    with Image.open(out / "3.jpg") as im:
        assert im.mode == "RGB" and im.size == (500, 375)  # RGBA PNG flattened to JPEG
    assert seen[-1] == (4, 4) and len(seen) == 4


def test_cancel_stops_the_pool(tmp_path: Path) -> None:
    photo = make_jpeg(tmp_path / "a.jpg", (1600, 1200))
    jobs = [DownscaleJob(photo, tmp_path / f"{i}.jpg", 300) for i in range(40)]
    cancelled = Work()
    cancelled.cancel()
    assert downscale_many(jobs, workers=2, work=cancelled) is None
    assert downscale_many(jobs[:3], workers=1, work=cancelled) is None
