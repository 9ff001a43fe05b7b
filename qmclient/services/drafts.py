"""Drafting a submission: create, list, edit, activities, media, validate, freeze.

Every function takes the :class:`~qmclient.services.context.AppContext` first and does its
writing in one transaction of the single writer, so a change is either all there or not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import uuid as uuidlib
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from qmclient.core import lifecycle
from qmclient.core.report import Activity as ActivityData
from qmclient.core.report import MediaRef, Report, Unit
from qmclient.core.validation import Finding, validate
from qmclient.core.work import Cancelled, Progress, Work, work_or_new
from qmclient.services.context import AppContext
from qmclient.store import bulk
from qmclient.store.listing import LIST_SQL, SubmissionRow, list_rows
from qmclient.store.media import MediaError, StoredBlob
from qmclient.store.models import (
    Activity,
    AuditEvent,
    MediaBlob,
    MediaItem,
    Submission,
    SubmissionRevision,
    UnitProfile,
    utcnow,
)

if TYPE_CHECKING:
    from qmclient.media.thumbnails import ThumbnailCache

UNIT_FIELDS = ("name", "kind", "district", "credit_code", "contact_person", "phone", "email")
TEXT_FIELDS = ("title", "summary")
ACTIVITY_FIELDS = (
    "focus_area",
    "name",
    "start_date",
    "end_date",
    "place",
    "organiser",
    "participants",
    "description",
    "results",
)
EDIT_AUDIT_QUIET = dt.timedelta(minutes=10)
MAX_FOLDER_FILES = 5000
# files copied, hashed and checked at once while attaching (decoding photos uses the cores)
ATTACH_WORKERS = max(1, min(4, os.cpu_count() or 1))
BIG_FILE_BYTES = 64 * 2**20


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the copy reports what is wrong with it


class NotFoundError(LookupError):
    pass


class FieldError(ValueError):
    """A value that does not fit the field; the message says which and why."""


@dataclass
class AttachResult:
    added: list[MediaRef] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (path, zh, en)
    failed: list[MediaError] = field(default_factory=list)
    cancelled: bool = False


# ----------------------------------------------------------------------------- lookups


def resolve(ctx: AppContext, ref: str | int) -> int:
    """A submission's id from its number or (a prefix of) its UUID."""
    text = str(ref).strip()
    with ctx.store.read() as s:
        if text.isdigit() and s.get(Submission, int(text)) is not None:
            return int(text)
        if len(text) >= 4:
            ids = s.scalars(
                select(Submission.id).where(Submission.uuid.startswith(text.lower())).limit(2)
            ).all()
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                raise NotFoundError(f"{text!r} matches more than one submission; give more of it")
    raise NotFoundError(f"no submission {text!r}")


def _get(s: Session, submission_id: int) -> Submission:
    sub = s.get(Submission, submission_id)
    if sub is None:
        raise NotFoundError(f"no submission {submission_id}")
    return sub


def _audit(s: Session, sub: Submission, action: str, detail: Any = "") -> None:
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    s.add(AuditEvent(submission_uuid=sub.uuid, revision=sub.revision, action=action, detail=text))


def _audit_edit(s: Session, sub: Submission, fields: Iterable[str]) -> None:
    """Record edits, but not every autosave: one entry per quiet period."""
    last = s.scalars(
        select(AuditEvent)
        .where(AuditEvent.submission_uuid == sub.uuid)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if (
        last is not None
        and last.action == "edit"
        and last.revision == sub.revision
        and utcnow() - last.at < EDIT_AUDIT_QUIET
    ):
        return
    _audit(s, sub, "edit", {"fields": sorted(set(fields))})


def _touch_for_edit(s: Session, sub: Submission) -> None:
    """Make ``sub`` editable: a frozen revision opens the next one."""
    if lifecycle.is_frozen(sub.status):
        sub.revision += 1
        sub.status = lifecycle.DRAFT
        _audit(s, sub, "new-revision", {"revision": sub.revision})
    elif sub.status == lifecycle.READY:
        sub.status = lifecycle.DRAFT
    sub.updated_at = utcnow()


# ----------------------------------------------------------------------------- profile


def get_profile(ctx: AppContext) -> Unit | None:
    with ctx.store.read() as s:
        row = s.scalars(select(UnitProfile).limit(1)).first()
        if row is None:
            return None
        return Unit(**{f: getattr(row, f) for f in UNIT_FIELDS})


def save_profile(ctx: AppContext, unit: Unit) -> None:
    with ctx.store.write() as s:
        row = s.scalars(select(UnitProfile).limit(1)).first() or UnitProfile()
        for f in UNIT_FIELDS:
            setattr(row, f, getattr(unit, f).strip())
        row.updated_at = utcnow()
        s.add(row)


# ----------------------------------------------------------------------------- submissions


def create_draft(
    ctx: AppContext,
    *,
    campaign_id: str | None = None,
    title: str = "",
    unit: Unit | None = None,
    submission_uuid: str | None = None,
) -> int:
    campaign = ctx.campaigns.get(campaign_id) if campaign_id else ctx.campaigns.default()
    unit = unit or get_profile(ctx) or Unit()
    if not title:
        title = f"{unit.name}{campaign.year}年“质量月”{campaign.report_title}".strip()
    sub = Submission(
        uuid=submission_uuid or str(uuidlib.uuid4()),
        campaign_id=campaign.id,
        title=title,
        **{f"unit_{f}": getattr(unit, f) for f in UNIT_FIELDS},
    )
    with ctx.store.write() as s:
        s.add(sub)
        s.flush()
        _audit(s, sub, "created", {"campaign": campaign.id})
    return sub.id


def list_submissions(ctx: AppContext, *, status: str | None = None) -> list[SubmissionRow]:
    with ctx.store.read() as s:
        return list_rows(s.execute(text(LIST_SQL), {"status": status}))


def _report_of(sub: Submission) -> Report:
    return Report(
        uuid=sub.uuid,
        campaign_id=sub.campaign_id,
        revision=sub.revision,
        title=sub.title,
        summary=sub.summary,
        unit=Unit(**{f: getattr(sub, f"unit_{f}") for f in UNIT_FIELDS}),
        activities=[
            ActivityData(id=a.id, **{f: getattr(a, f) for f in ACTIVITY_FIELDS})
            for a in sub.activities
        ],
        media=[
            MediaRef(
                sha256=m.sha256,
                size=m.blob.size,
                media_type=m.blob.media_type,
                original_name=m.original_name,
                caption=m.caption,
                activity_id=m.activity_id,
                position=m.position,
                width=m.blob.width,
                height=m.blob.height,
                duration_s=m.blob.duration_s,
            )
            for m in sub.media
        ],
    )


def load_report(ctx: AppContext, submission_id: int) -> Report:
    with ctx.store.read() as s:
        return _report_of(_get(s, submission_id))


def load_reports(ctx: AppContext, ids: Iterable[int] | None = None) -> dict[int, Report]:
    """Many reports at once (three queries in all, as plain rows: ``store.bulk``)."""
    with ctx.store.read() as s:
        return bulk.load_reports(s, ids)


def status_of(ctx: AppContext, submission_id: int) -> str:
    with ctx.store.read() as s:
        return _get(s, submission_id).status


def update_fields(ctx: AppContext, submission_id: int, changes: dict[str, str]) -> None:
    """Set ``title``, ``summary`` and ``unit.*`` fields; a frozen revision opens a new one."""
    for key in changes:
        bare = key.removeprefix("unit.")
        if key not in TEXT_FIELDS and not (key.startswith("unit.") and bare in UNIT_FIELDS):
            raise FieldError(f"unknown field {key!r}")
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        changed = [k for k, v in changes.items() if getattr(sub, k.replace("unit.", "unit_")) != v]
        if not changed:
            return
        _touch_for_edit(s, sub)
        for key in changed:
            setattr(sub, key.replace("unit.", "unit_"), changes[key])
        _audit_edit(s, sub, changed)


def start_revision(ctx: AppContext, submission_id: int) -> int:
    """Open the next revision of a frozen report (returned by the office, say); returns the
    revision now being edited (unchanged when it is editable already)."""
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        if lifecycle.is_frozen(sub.status) and sub.status not in (
            lifecycle.QUEUED,
            lifecycle.SENDING,
        ):
            _touch_for_edit(s, sub)
        return sub.revision


def delete_submission(ctx: AppContext, submission_id: int) -> None:
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        if sub.status in (lifecycle.QUEUED, lifecycle.SENDING):
            raise FieldError("a submission that is being sent cannot be deleted")
        _audit(s, sub, "deleted")
        s.delete(sub)


# ----------------------------------------------------------------------------- activities


def _coerce_activity(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in ACTIVITY_FIELDS:
            raise FieldError(f"unknown activity field {key!r}")
        if key in ("start_date", "end_date"):
            if value in (None, ""):
                value = None
            elif isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value.strip())
                except ValueError:
                    raise FieldError(f"{key}: {value!r} is not a date (YYYY-MM-DD)") from None
        elif key == "participants":
            if value in (None, ""):
                value = None
            else:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    raise FieldError(f"participants: {value!r} is not a number") from None
        elif value is None:
            value = ""
        out[key] = value
    return out


def add_activity(ctx: AppContext, submission_id: int, data: dict[str, Any]) -> str:
    values = _coerce_activity(data)
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        _touch_for_edit(s, sub)
        position = max((a.position for a in sub.activities), default=-1) + 1
        act = Activity(id=str(uuidlib.uuid4()), position=position, **values)
        sub.activities.append(act)
        _audit(s, sub, "activity-added", {"activity": act.id, "name": act.name})
        return act.id


def update_activity(ctx: AppContext, activity_id: str, data: dict[str, Any]) -> None:
    values = _coerce_activity(data)
    with ctx.store.write() as s:
        act = s.get(Activity, activity_id)
        if act is None:
            raise NotFoundError(f"no activity {activity_id}")
        _touch_for_edit(s, act.submission)
        for key, value in values.items():
            setattr(act, key, value)
        _audit_edit(s, act.submission, [f"activity.{k}" for k in values])


def remove_activity(ctx: AppContext, activity_id: str) -> None:
    with ctx.store.write() as s:
        act = s.get(Activity, activity_id)
        if act is None:
            raise NotFoundError(f"no activity {activity_id}")
        sub = act.submission
        _touch_for_edit(s, sub)
        for m in sub.media:
            if m.activity_id == activity_id:
                m.activity_id = None
        sub.activities.remove(act)
        _audit(s, sub, "activity-removed", {"activity": activity_id, "name": act.name})


def move_activity(ctx: AppContext, activity_id: str, new_index: int) -> None:
    with ctx.store.write() as s:
        act = s.get(Activity, activity_id)
        if act is None:
            raise NotFoundError(f"no activity {activity_id}")
        sub = act.submission
        _touch_for_edit(s, sub)
        order = [a for a in sub.activities if a.id != activity_id]
        order.insert(max(0, min(new_index, len(order))), act)
        for i, a in enumerate(order):
            a.position = i


# ----------------------------------------------------------------------------- media


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
        raise NotFoundError(f"no media {sha256[:12]} in submission {submission_id}")
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
        ref = MediaRef(
            sha256=item.sha256,
            size=item.blob.size,
            media_type=item.blob.media_type,
            original_name=item.original_name,
            caption=item.caption,
            activity_id=item.activity_id,
            position=item.position,
        )
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


# ----------------------------------------------------------------------------- checks


def validate_submission(
    ctx: AppContext, submission_id: int, now: dt.datetime | None = None
) -> list[Finding]:
    return validate_report(ctx, load_report(ctx, submission_id), now)


def validate_all(ctx: AppContext, now: dt.datetime | None = None) -> dict[int, list[Finding]]:
    """Findings of every stored report, keyed by submission id."""
    now = now or dt.datetime.now(dt.UTC)
    present: dict[str, bool] = {}  # one look at the disk per stored file, not per use

    def has(sha256: str) -> bool:
        if sha256 not in present:
            present[sha256] = ctx.media.has(sha256)
        return present[sha256]

    return {sid: validate_report(ctx, r, now, has) for sid, r in load_reports(ctx).items()}


def validate_report(
    ctx: AppContext,
    report: Report,
    now: dt.datetime | None = None,
    has: Callable[[str], bool] | None = None,
) -> list[Finding]:
    """The shared rules, plus what only this machine knows: stored files gone from disk."""
    campaign = ctx.campaigns.get(report.campaign_id)
    findings = validate(report, campaign, now or dt.datetime.now(dt.UTC))
    stored = has or ctx.media.has
    for i, m in enumerate(report.media):
        if stored(m.sha256):
            continue
        findings.append(
            Finding(
                "media.file.missing",
                f"media[{i}]",
                "error",
                f"“{m.original_name}”的文件在本机数据目录中找不到了，请删除后重新添加",
                f"the stored file of {m.original_name} is missing; remove it and add it again",
                m.sha256,
            )
        )
    return findings


# ----------------------------------------------------------------------------- freezing


def set_status(ctx: AppContext, submission_id: int, new: str, detail: Any = "") -> None:
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        lifecycle.check_transition(sub.status, new)
        sub.status = new
        sub.updated_at = utcnow()
        _audit(s, sub, f"status:{new}", detail)


def freeze(ctx: AppContext, submission_id: int) -> SubmissionRevision:
    """Freeze the current revision (once): its report JSON and hash are kept as sent."""
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        existing = next((r for r in sub.revisions if r.revision == sub.revision), None)
        if existing is not None:
            return existing
        report = _report_of(sub)
        rev = SubmissionRevision(
            revision=sub.revision,
            report_json=report.canonical_json().decode("utf-8"),
            report_hash=report.report_hash(),
        )
        sub.revisions.append(rev)
        _audit(s, sub, "frozen", {"report_hash": rev.report_hash})
        return rev


def audit_log(ctx: AppContext, submission_id: int) -> list[AuditEvent]:
    with ctx.store.read() as s:
        sub = _get(s, submission_id)
        return list(
            s.scalars(
                select(AuditEvent)
                .where(AuditEvent.submission_uuid == sub.uuid)
                .order_by(AuditEvent.id)
            )
        )
