"""Smaller copies of photos for mail and for the Word report, on every core.

A copy is upright (the EXIF orientation is applied to the pixels), no larger than
``long_side`` pixels on its long side, saved as JPEG at ``quality``, and carries no EXIF
at all: GPS position, camera serial and the like do not leave the machine.  The colour
profile is kept.  JPEG sources are decoded at reduced size (``draft``), which is most of
the speed; a process pool spreads photos over the cores.

Workers are started with ``spawn`` (not ``fork``), so a GUI process with threads can call
this safely.  Errors come back as values, one per photo; one bad photo stops nothing.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from qmclient.core.files import temp_beside
from qmclient.core.work import Cancelled, Work, work_or_new
from qmclient.media.heif import enable_heif
from qmclient.media.probe import refuse_bombs


@dataclass(frozen=True)
class DownscaleJob:
    source: Path
    dest: Path
    long_side: int = 1920
    quality: int = 85
    label: str = ""


@dataclass(frozen=True)
class DownscaleResult:
    job: DownscaleJob
    width: int = 0
    height: int = 0
    size: int = 0
    error_en: str = ""
    error_zh: str = ""

    @property
    def ok(self) -> bool:
        return not self.error_en


def downscale_one(job: DownscaleJob) -> DownscaleResult:
    """Make one copy (atomically: temp file beside ``dest``, then rename)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    enable_heif()
    tmp = temp_beside(job.dest)
    try:
        refuse_bombs()
        with Image.open(job.source) as opened:
            im: Image.Image = opened
            box = (job.long_side, job.long_side)
            if opened.format == "JPEG":
                opened.draft("RGB", box)
            icc = im.info.get("icc_profile")
            im.thumbnail(box)  # bicubic with reducing_gap, as Pillow does by default
            im = ImageOps.exif_transpose(im) or im
            if im.mode in ("RGBA", "LA", "P"):
                rgba = im.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                im = flat
            elif im.mode != "RGB":
                im = im.convert("RGB")
            extra = {"icc_profile": icc} if icc else {}
            im.save(tmp, "JPEG", quality=job.quality, optimize=False, **extra)
            width, height = im.size
        os.replace(tmp, job.dest)
        return DownscaleResult(job, width, height, job.dest.stat().st_size)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return DownscaleResult(
            job,
            error_en="the image claims too many pixels to be a real photo",
            error_zh="图片像素数异常巨大，不是正常照片",
        )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return DownscaleResult(
            job,
            error_en=f"the photo cannot be read or written ({exc})",
            error_zh=f"照片无法读取或写入（{exc}）",
        )
    finally:
        tmp.unlink(missing_ok=True)


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def downscale_many(
    jobs: Sequence[DownscaleJob],
    *,
    workers: int | None = None,
    work: Work | None = None,
) -> list[DownscaleResult] | None:
    """Run ``jobs`` over a process pool; results in the order of ``jobs``.

    Returns ``None`` when ``work`` was cancelled (finished copies stay; the caller
    owns their folder).  With one worker, or one job, no pool is started.
    """
    work = work_or_new(work)
    total = len(jobs)
    workers = min(workers or default_workers(), max(total, 1))
    results: list[DownscaleResult | None] = [None] * total
    if workers <= 1:
        for i, job in enumerate(jobs):
            if work.cancelled:
                return None
            results[i] = downscale_one(job)
            _report(work, i + 1, total, job.label or job.source.name)
        return [r for r in results if r is not None]
    ctx = multiprocessing.get_context("spawn")
    done = 0
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: dict[Future[DownscaleResult], int] = {}
        queue = iter(enumerate(jobs))
        # Keep a few jobs in flight per worker, so cancelling is quick.
        for i, job in queue:
            pending[pool.submit(downscale_one, job)] = i
            if len(pending) >= workers * 2:
                break
        while pending:
            finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            if work.cancelled:
                for fut in pending:
                    fut.cancel()
                return None
            for fut in finished:
                i = pending.pop(fut)
                results[i] = fut.result()
                done += 1
                _report(work, done, total, jobs[i].label or jobs[i].source.name)
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(downscale_one, nxt[1])] = nxt[0]
    return [r for r in results if r is not None]


def _report(work: Work, done: int, total: int, label: str) -> None:
    """Progress that does not raise: a cancel is answered with ``None`` at the next
    step, after the finished copy is counted."""
    with contextlib.suppress(Cancelled):
        work.progress(done, total, label)
