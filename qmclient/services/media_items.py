"""The photos and videos of a submission: adding files (copied into the media store,
checked, a few at once), captions and activities, order, removing and putting back."""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qmclient.core.report import MediaRef
from qmclient.core.work import Cancelled, Progress, Work, work_or_new
from qmclient.services.context import AppContext
from qmclient.services.records import NotFoundError, media_ref
from qmclient.services.records import audit as _audit
from qmclient.services.records import audit_edit as _audit_edit
from qmclient.services.records import get_submission as _get
from qmclient.services.records import touch_for_edit as _touch_for_edit
from qmclient.store.media import MediaError, StoredBlob
from qmclient.store.models import MediaBlob, MediaItem

if TYPE_CHECKING:
    from qmclient.media.thumbnails import ThumbnailCache

MAX_FOLDER_FILES = 5000

ATTACH_WORKERS = max(1, min(4, os.cpu_count() or 1))

BIG_FILE_BYTES = 64 * 2**20


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the copy reports what is wrong with it


@dataclass
class AttachResult:
    added: list[MediaRef] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (path, zh, en)
    failed: list[MediaError] = field(default_factory=list)
    cancelled: bool = False


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the files inside folders named (hidden ones left out), in order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
                if len(out) > MAX_FOLDER_FILES:
                    break
        else:
            out.append(path)
    return out


BytesCb = Callable[[str, int, int], None]  # (name, bytes copied, bytes in all) of one file


def attach_files(
    ctx: AppContext,
    submission_id: int,
    paths: Iterable[Path],
    *,
    activity_id: str | None = None,
    caption: str = "",
    work: Work | None = None,
    thumbnails: ThumbnailCache | None = None,
    workers: int | None = None,
    byte_progress: BytesCb | None = None,
) -> AttachResult:
    """Copy files into the media store and attach them; one bad file never stops the rest.

    ``byte_progress`` follows the copying of each file by the percent (a large video
    takes a while on its own).

    Folders are walked.  Files already attached to this submission are skipped.  With
    ``thumbnails``, a photo's preview is kept there from the decoding that checks it.
    Copying, hashing and checking run for a few files at once on ``workers`` threads
    (decoding a photo is most of the time and leaves the interpreter lock free); the
    files are attached one by one, in order, by the calling thread.  Progress on ``work``
    counts files; a cancel keeps what was attached (``result.cancelled``).
    """
    work = work_or_new(work)
    from qmclient.media.probe import Probe, probe

    with ctx.store.read() as s:
        sub = _get(s, submission_id)
        campaign = ctx.campaigns.get(sub.campaign_id)
        attached = {m.sha256 for m in sub.media}
    files = expand_paths(paths)
    result = AttachResult()
    preview_size = thumbnails.size if thumbnails is not None else None

    def copied(name: str) -> Callable[[Progress], None]:
        last = [-1]

        def report(p: Progress) -> None:
            percent = p.done * 100 // max(p.total, 1)
            if byte_progress is not None and percent != last[0]:  # a hundred a file at most
                last[0] = percent
                byte_progress(name, p.done, p.total)

        return report

    def prepare(path: Path) -> tuple[StoredBlob, Probe | None]:
        """Store and measure one file (``None``: already attached, not measured)."""
        blob = ctx.media.put(
            path,
            accepted_types=campaign.media.accepted_types,
            max_bytes=campaign.media.max_file_bytes,
            # bytes of one file go to byte_progress; this operation's work counts files
            work=work.quiet() if byte_progress is None else work.relay(copied(path.name)),
        )
        if blob.sha256 in attached:
            return blob, None
        try:
            measured = probe(blob.path, blob.media_type, path.name, preview_size=preview_size)
        except MediaError as err:
            err.path = str(path)
            raise
        if thumbnails is not None and measured.preview is not None:
            with contextlib.suppress(MediaError):  # if not, made when it is shown
                thumbnails.save(blob.sha256, measured.preview, path)
        return blob, measured

    count = max(1, workers if workers is not None else ATTACH_WORKERS)
    ahead: deque[tuple[Path, Future[tuple[StoredBlob, Probe | None]], bool]] = deque()
    upcoming = deque(files)
    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="attach") as pool:

        def keep_busy() -> None:
            """Start the next files; a big one (a video) goes alone, so that a disk does
            not seek between several large files."""
            while upcoming and len(ahead) < 2 * count:
                big = _size(upcoming[0]) > BIG_FILE_BYTES
                if ahead and (big or ahead[-1][2]):
                    return
                path = upcoming.popleft()
                ahead.append((path, pool.submit(prepare, path), big))

        keep_busy()
        done = 0
        while ahead:
            if work.cancelled:
                result.cancelled = True
                break
            path, future, _big = ahead.popleft()
            with contextlib.suppress(Cancelled):  # seen at the top of the next round
                work.progress(done, len(files), path.name)
            done += 1
            try:
                blob, measured = future.result()
            except Cancelled:
                result.cancelled = True
                break
            except MediaError as err:
                result.failed.append(err)
                keep_busy()
                continue
            keep_busy()
            if measured is None or blob.sha256 in attached:
                result.skipped.append(
                    (str(path), "该文件已添加过，已跳过", "already attached, skipped")
                )
                continue
            with ctx.store.write() as s:
                sub = _get(s, submission_id)
                _touch_for_edit(s, sub)
                # the next position from SQL: loading every item per file made a 2,000-file
                # folder quadratic
                last = s.scalar(
                    select(func.max(MediaItem.position)).where(
                        MediaItem.submission_id == submission_id
                    )
                )
                ref = MediaRef(
                    sha256=blob.sha256,
                    size=blob.size,
                    media_type=blob.media_type,
                    original_name=path.name,
                    caption=caption,
                    activity_id=activity_id,
                    position=(last if last is not None else -1) + 1,
                    width=measured.width,
                    height=measured.height,
                    duration_s=measured.duration_s,
                )
                ensure_blob(s, ref)
                s.add(
                    MediaItem(
                        submission_id=submission_id,
                        sha256=blob.sha256,
                        original_name=path.name,
                        caption=caption,
                        activity_id=activity_id,
                        position=ref.position,
                    )
                )
                _audit(s, sub, "media-added", {"sha256": blob.sha256, "name": path.name})
            attached.add(blob.sha256)
            result.added.append(ref)
        for _path, future, _big in ahead:  # cancelled: what has not started never starts
            future.cancel()
    with contextlib.suppress(Cancelled):
        work.progress(len(files), len(files), "")
    return result


def ensure_blob(s: Session, ref: MediaRef) -> None:
    """The stored file's row (size, type, pixel size, duration), written once."""
    if s.get(MediaBlob, ref.sha256) is None:
        s.add(
            MediaBlob(
                sha256=ref.sha256,
                size=ref.size,
                media_type=ref.media_type,
                width=ref.width,
                height=ref.height,
                duration_s=ref.duration_s,
            )
        )


def _media_item(s: Session, submission_id: int, sha256: str) -> MediaItem:
    item = s.scalars(
        select(MediaItem).where(
            MediaItem.submission_id == submission_id, MediaItem.sha256 == sha256
        )
    ).first()
    if item is None:
        raise NotFoundError(
            zh=f"报告 {submission_id} 中没有文件 {sha256[:12]}（可能已被移除）。",
            en=f"no media {sha256[:12]} in submission {submission_id}",
        )
    return item


def update_media(
    ctx: AppContext,
    submission_id: int,
    sha256: str,
    *,
    caption: str | None = None,
    activity_id: str | object | None = ...,
) -> None:
    with ctx.store.write() as s:
        item = _media_item(s, submission_id, sha256)
        _touch_for_edit(s, item.submission)
        changed = []
        if caption is not None and caption != item.caption:
            item.caption = caption
            changed.append("media.caption")
        if activity_id is not ...:
            item.activity_id = activity_id  # type: ignore[assignment]
            changed.append("media.activity")
        if changed:
            _audit_edit(s, item.submission, changed)


def reorder_media(ctx: AppContext, submission_id: int, sha_order: list[str]) -> None:
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        _touch_for_edit(s, sub)
        rank = {sha: i for i, sha in enumerate(sha_order)}
        for m in sorted(sub.media, key=lambda m: (rank.get(m.sha256, len(rank)), m.position)):
            m.position = rank.get(m.sha256, len(rank) + m.position)


def remove_media(ctx: AppContext, submission_id: int, sha256: str) -> MediaRef:
    """Detach a file; the returned reference can be given to :func:`restore_media` (undo)."""
    with ctx.store.write() as s:
        item = _media_item(s, submission_id, sha256)
        sub = item.submission
        _touch_for_edit(s, sub)
        ref = media_ref(item)
        sub.media.remove(item)
        _audit(s, sub, "media-removed", {"sha256": sha256, "name": item.original_name})
        return ref


def restore_media(ctx: AppContext, submission_id: int, ref: MediaRef) -> None:
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        if any(m.sha256 == ref.sha256 for m in sub.media):
            return
        _touch_for_edit(s, sub)
        valid_activity = ref.activity_id in {a.id for a in sub.activities}
        sub.media.append(
            MediaItem(
                sha256=ref.sha256,
                original_name=ref.original_name,
                caption=ref.caption,
                activity_id=ref.activity_id if valid_activity else None,
                position=ref.position,
            )
        )
        _audit(s, sub, "media-restored", {"sha256": ref.sha256})


def media_path(ctx: AppContext, sha256: str) -> Path:
    return ctx.media.path_for(sha256)
