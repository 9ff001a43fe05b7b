"""The media of an export: smaller upright copies of the photos (the Word report's
figures, downscaled mailed photos), made once on every core and kept in the data folder's
cache where the preview and the export share them; and videos re-encoded to fit a mail."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path

from qmclient.core.report import MediaRef
from qmclient.core.work import Progress
from qmclient.export import eml, mailparts
from qmclient.export.errors import ExportError
from qmclient.export.mailparts import VideoDecision
from qmclient.export.steps import ExportSteps
from qmclient.services.context import AppContext
from qmclient.store.media import MediaError

PHOTO_CACHE = "export-photos"  # under the data folder's cache: prepared photos, reused
PHOTO_CACHE_DAYS = 14  # a prepared photo not used for this long is removed


def photo_copies(
    ctx: AppContext,
    refs: list[MediaRef],
    side: int,
    quality: int,
    workers: int | None,
    prog: ExportSteps,
    warnings: list[tuple[str, str]],
    spare: Path,
) -> dict[str, tuple[Path, int, int]]:
    """Smaller upright copies, made once and kept in the cache (the preview and the export
    share them); a photo that cannot be decoded is left out of the result (the caller
    falls back) and named in ``warnings``."""
    from qmclient.media.downscale import DownscaleJob, downscale_many

    folder = ctx.data_dir / "cache" / PHOTO_CACHE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        trim_cache(folder)
    except OSError:  # a full or read-only data disk: prepared in the scratch folder
        folder = spare / PHOTO_CACHE
        folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[Path, int, int]] = {}
    todo: list[MediaRef] = []
    for m in refs:
        if m.sha256 in out or any(t.sha256 == m.sha256 for t in todo):
            prog.step(m.original_name)
            continue
        hit = next(folder.glob(f"{m.sha256}-{side}-q{quality}-*x*.jpg"), None)
        if hit is not None:
            w, h = (int(n) for n in hit.stem.rsplit("-", 1)[1].split("x"))
            with contextlib.suppress(OSError):
                os.utime(hit)
            out[m.sha256] = (hit, w, h)
            prog.step(m.original_name)
        else:
            todo.append(m)
    if not todo:
        return out
    jobs = [
        DownscaleJob(
            ctx.media.path_for(m.sha256),
            folder / f".{m.sha256}-{side}-q{quality}.{uuid.uuid4().hex[:8]}.jpg",
            side,
            quality,
            m.original_name,
        )
        for m in todo
    ]
    start = prog.done

    def one_done(p: Progress) -> None:
        prog.done = start + p.done - 1
        prog.step(p.label)

    results = downscale_many(jobs, workers=workers, work=prog.work.relay(one_done))
    if results is None:
        for job in jobs:
            job.dest.unlink(missing_ok=True)
        prog.check()
        raise ExportError("cancelled", zh="已取消导出", en="export cancelled")
    for m, r in zip(todo, results, strict=True):
        if not r.ok:
            warning = (
                f"照片“{m.original_name}”无法处理（{r.error_zh}），已按原文件处理",
                f"the photo {m.original_name} cannot be processed ({r.error_en}); "
                "its original file is used",
            )
            if warning not in warnings:
                warnings.append(warning)
            continue
        final = folder / f"{m.sha256}-{side}-q{quality}-{r.width}x{r.height}.jpg"
        os.replace(r.job.dest, final)
        out[m.sha256] = (final, r.width, r.height)
    return out


def trim_cache(folder: Path) -> None:
    cutoff = time.time() - PHOTO_CACHE_DAYS * 86400
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def reencoder(ctx: AppContext, work: Path, prog: ExportSteps) -> mailparts.Reencode:
    from qmclient.media.transcode import transcode

    def reencode(v: VideoDecision, ref: MediaRef, room: int) -> eml.Attachment:
        dest = work / f"{v.sha256}.mp4"
        try:
            done = transcode(
                ctx.media.path_for(v.sha256),
                dest,
                target_bytes=room,
                duration_s=ref.duration_s or 0.0,
                work=prog.work.part(prog.done, 1, prog.total),
            )
            if done.size > room:
                raise mailparts.ReencodeFailed(
                    zh="压缩后仍然过大", en="still too large after re-encoding"
                )
        except MediaError as err:
            raise mailparts.ReencodeFailed(zh=err.message_zh, en=err.message_en) from None
        return eml.Attachment(v.name, "video/mp4", dest, done.size)

    return reencode
