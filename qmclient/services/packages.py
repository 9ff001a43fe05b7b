"""Packages (.qmpkg): export one submission to a file, import files into the store.

An import lands through one write transaction, after every byte was checked, so the store
holds either the whole package or nothing of it.  Its outcome is an :class:`ImportResult`
with a stable code the coordinator's inbox files packages by:

``new``, ``updated``, ``duplicate``, or ``refused:<reason>`` where reason is one of
``corrupt``, ``unreadable``, ``not-a-file``, ``not-a-package``, ``newer-format``,
``bad-manifest``, ``unsafe-path``, ``symlink``, ``special-file``, ``duplicate-entry``,
``unexpected-entry``, ``encrypted``, ``unsupported-compression``, ``zip-bomb``,
``too-large``, ``too-many-entries``, ``missing-file``, ``size-mismatch``,
``hash-mismatch``, ``unknown-campaign``, ``bad-media``, ``older-revision``, ``conflict``,
``busy``, ``disk-full``, ``io``, ``cancelled``.
"""

from __future__ import annotations

import errno
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qmclient import __version__
from qmclient.core import lifecycle
from qmclient.core.files import fsync_dir, is_disk_full
from qmclient.core.report import Report
from qmclient.core.work import Cancelled, Work, work_or_new
from qmclient.export.atomic import Staging, check_writable
from qmclient.export.errors import ExportError, PackageError
from qmclient.export.package import OpenedPackage, PackedFile, open_package, write_package
from qmclient.services import drafts
from qmclient.services.campaigns import UnknownCampaignError
from qmclient.services.context import AppContext
from qmclient.services.records import get_submission
from qmclient.store.errors import StoreError
from qmclient.store.models import (
    Activity,
    AuditEvent,
    MediaItem,
    Submission,
    utcnow,
)

Outcome = Literal["new", "updated", "duplicate", "refused"]
log = logging.getLogger(__name__)

PACKAGE_SUFFIX = ".qmpkg"


@dataclass(frozen=True)
class ImportResult:
    path: str
    outcome: Outcome
    reason: str = ""
    submission_id: int | None = None
    uuid: str = ""
    revision: int = 0
    unit_name: str = ""
    message_zh: str = ""
    message_en: str = ""

    @property
    def code(self) -> str:
        """``new`` | ``updated`` | ``duplicate`` | ``refused:<reason>`` — stable."""
        return f"refused:{self.reason}" if self.outcome == "refused" else self.outcome

    @property
    def ok(self) -> bool:
        return self.outcome != "refused"

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "code": self.code}


# ----------------------------------------------------------------------------- export


def report_for_export(ctx: AppContext, submission_id: int) -> Report:
    """The report as it leaves: the frozen revision if there is one, else the current one."""
    with ctx.store.read() as s:
        sub = get_submission(s, submission_id)
        frozen = next((r for r in sub.revisions if r.revision == sub.revision), None)
        if frozen is not None and lifecycle.is_frozen(sub.status):
            return Report.from_dict(json.loads(frozen.report_json))
    return drafts.load_report(ctx, submission_id)


def packed_files(ctx: AppContext, report: Report) -> list[PackedFile]:
    """The report's media as files to pack; raises ``ExportError`` for any gone from disk."""
    files: dict[str, PackedFile] = {}
    for m in report.media:
        path = ctx.media.path_for(m.sha256)
        try:
            size = path.stat().st_size
        except OSError:
            size = -1
        if size != m.size:
            raise ExportError(
                "media-missing",
                zh=f"“{m.original_name}”的文件在本机数据目录中找不到了或已损坏；"
                "请在报告中删除后重新添加，再导出",
                en=f"the stored file of {m.original_name} is missing or damaged; remove it "
                "from the report, add it again, then export",
                path=str(path),
            )
        files[m.sha256] = PackedFile(m.sha256, m.size, path)
    return list(files.values())


def stage_package(
    ctx: AppContext,
    report: Report,
    staging: Staging,
    target: Path,
    *,
    work: Work | None = None,
) -> None:
    files = packed_files(ctx, report)
    try:
        with staging.open(target) as out:
            write_package(
                out,
                report,
                files,
                generator=f"qmclient {__version__}",
                work=work,
            )
    except Cancelled:
        raise ExportError("cancelled", zh="已取消导出", en="export cancelled") from None
    except FileNotFoundError as exc:
        raise ExportError(
            "media-missing",
            zh="导出过程中有图片或视频文件从数据目录中消失了，请检查后重试",
            en=f"a media file disappeared during export ({exc.filename}); check and retry",
        ) from None


def export_package(
    ctx: AppContext,
    submission_id: int,
    target: Path,
    *,
    work: Work | None = None,
) -> Path:
    """Write ``target`` (.qmpkg) atomically; raises ``ExportError``.  Status is unchanged."""
    report = report_for_export(ctx, submission_id)
    check_writable(target.parent)
    staging = Staging()
    work = work_or_new(work)
    label = target.name
    try:
        stage_package(
            ctx,
            report,
            staging,
            target,
            work=work.relay(lambda p: work.progress(p.done, p.total, label)),
        )
        return staging.commit()[0]
    finally:
        staging.discard()


# ----------------------------------------------------------------------------- import


def _refused(
    path: Path, reason: str, zh: str, en: str, report: Report | None = None
) -> ImportResult:
    return ImportResult(
        str(path),
        "refused",
        reason,
        uuid=report.uuid if report else "",
        revision=report.revision if report else 0,
        unit_name=report.unit.name if report else "",
        message_zh=zh,
        message_en=en,
    )


LandFn = Callable[[Session, int, Outcome], None]


def import_package(
    ctx: AppContext,
    path: Path,
    *,
    work: Work | None = None,
    on_land: LandFn | None = None,
) -> ImportResult:
    """Check and import one package.  Never raises for a bad package: it is refused.

    ``on_land(session, submission_id, outcome)`` runs inside the transaction that lands
    the report (the coordinator's inbox files its row there, in the same commit)."""
    try:
        pkg = open_package(path)
    except PackageError as err:
        return _refused(path, err.reason, err.message_zh, err.message_en)
    except Exception as exc:
        return unexpected_refusal(path, exc)
    with pkg:
        try:
            return _import_opened(ctx, path, pkg, work_or_new(work), on_land)
        except (Cancelled, StoreError):
            raise  # cancelled, or the store cannot be written: the caller stops and says so
        except OSError as exc:
            if is_disk_full(exc) or exc.errno == errno.EROFS:
                raise
            return unexpected_refusal(path, exc)
        except Exception as exc:
            return unexpected_refusal(path, exc)


def unexpected_refusal(path: Path, exc: BaseException) -> ImportResult:
    """A package that broke its reader in a way nobody foresaw: refused, named, logged;
    the packages beside it are imported all the same."""
    log.warning("package %s could not be read", path.name, exc_info=exc)
    kind = type(exc).__name__
    return _refused(
        path,
        "unreadable",
        f"报送包 {path.name} 无法读取（{kind}），未导入；其他包不受影响。请向报送单位索要新的报送包。",
        f"the package {path.name} cannot be read ({kind}) and was not imported; the other "
        "packages are not affected. Ask the unit for a new package.",
    )


def _import_opened(
    ctx: AppContext,
    path: Path,
    pkg: OpenedPackage,
    work: Work,
    on_land: LandFn | None = None,
) -> ImportResult:
    report = pkg.report
    problem = _report_problem(report)
    if problem:
        return _refused(
            path, "bad-manifest", f"报送包中的报告内容有误：{problem[0]}", problem[1], report
        )
    try:
        campaign = ctx.campaigns.get(report.campaign_id)
    except UnknownCampaignError:
        return _refused(
            path,
            "unknown-campaign",
            f"报送包属于本机不认识的活动“{report.campaign_id}”，请先导入该活动文件",
            f"the package is for campaign {report.campaign_id!r}, unknown here; "
            "import that campaign file first",
            report,
        )
    for m in report.media:
        if m.media_type not in campaign.media.accepted_types:
            return _refused(
                path,
                "bad-media",
                f"报送包中的“{m.original_name}”不是本活动接受的图片或视频类型",
                f"{m.original_name} in the package is not an accepted photo or video type",
                report,
            )
    decision = _decide(ctx, report, pkg.report_hash)
    if isinstance(decision, tuple):
        reason, zh, en = decision
        return _refused(path, reason, zh, en, report)
    if decision == "duplicate":
        return ImportResult(
            str(path),
            "duplicate",
            submission_id=_existing_id(ctx, report.uuid),
            uuid=report.uuid,
            revision=report.revision,
            unit_name=report.unit.name,
            message_zh=f"本机已有“{report.unit.name}”第{report.revision}版的同一报告，未作改动",
            message_en=f"the same revision {report.revision} is already here; nothing changed",
        )
    # Every byte is checked before a row is written.
    total = pkg.total_size
    done = 0
    new_dirs: set[Path] = set()
    try:
        for entry in pkg.media:
            try:
                # put_chunks hashes what it stores and refuses a mismatch: one hash, not two
                blob = ctx.media.put_chunks(
                    pkg.read_chunks(entry, work, verify_hash=False),
                    entry.sha256,
                    entry.size,
                    work=work,
                    sync_dir=False,
                )
            except ValueError:
                raise PackageError(
                    "hash-mismatch",
                    zh=f"包内文件 {entry.sha256[:12]} 的校验值与清单不符，包已损坏或被篡改",
                    en=f"entry {entry.sha256[:12]} does not match its SHA-256 in the manifest",
                ) from None
            if (
                blob.was_new
                and blob.media_type
                and blob.media_type not in campaign.media.accepted_types
            ):
                return _refused(
                    path,
                    "bad-media",
                    f"报送包中的文件 {entry.sha256[:12]} 不是图片或视频",
                    f"entry {entry.sha256[:12]} is not a photo or video",
                    report,
                )
            if blob.was_new:
                new_dirs.add(blob.path.parent)
            done += entry.size
            work.progress(done, total, path.name)
        for folder in sorted(new_dirs):  # the files are durable before any row names them
            fsync_dir(folder)
    except PackageError as err:
        return _refused(path, err.reason, err.message_zh, err.message_en, report)
    except Cancelled:
        return _refused(path, "cancelled", "已取消导入", "import cancelled", report)
    except OSError as exc:
        if is_disk_full(exc):
            return _refused(
                path,
                "disk-full",
                "数据目录所在磁盘已满，请释放空间后重新导入",
                "the disk of the data folder is full; free some space and import again",
                report,
            )
        return _refused(
            path,
            "io",
            f"写入数据目录失败（{exc.strerror or exc}）",
            f"storing failed ({exc})",
            report,
        )
    try:
        sid, outcome = _land(ctx, report, pkg.report_hash, decision, path.name, on_land)
    except IntegrityError:
        return _refused(
            path,
            "conflict",
            "报送包中的活动编号与本机其他报告冲突，未导入",
            "the package's activity ids clash with another submission here; not imported",
            report,
        )
    verb_zh = "已导入" if outcome == "new" else "已更新为"
    return ImportResult(
        str(path),
        outcome,
        submission_id=sid,
        uuid=report.uuid,
        revision=report.revision,
        unit_name=report.unit.name,
        message_zh=f"{verb_zh}“{report.unit.name}”的报告第{report.revision}版",
        message_en=f"{'imported' if outcome == 'new' else 'updated to'} revision "
        f"{report.revision} of {report.unit.name or report.uuid}",
    )


def _report_problem(report: Report) -> tuple[str, str] | None:
    """What makes a (hash-consistent) report unfit to land in the store, if anything."""
    import uuid as uuidlib

    try:
        uuidlib.UUID(report.uuid)
    except ValueError:
        return (f"编号“{report.uuid}”不是有效的 UUID", f"{report.uuid!r} is not a UUID")
    ids = [a.id for a in report.activities]
    if any(not i for i in ids) or len(set(ids)) != len(ids):
        return ("活动编号为空或重复", "activity ids are empty or repeated")
    shas = [m.sha256 for m in report.media]
    if len(set(shas)) != len(shas):
        return ("同一文件被列出两次", "a media file is listed twice")
    return None


def _existing_id(ctx: AppContext, uuid: str) -> int | None:
    with ctx.store.read() as s:
        return s.scalars(select(Submission.id).where(Submission.uuid == uuid)).first()


def _decide(ctx: AppContext, report: Report, report_hash: str) -> str | tuple[str, str, str]:
    """``new``, ``update``, ``duplicate`` or a refusal (reason, zh, en)."""
    with ctx.store.read() as s:
        sub = s.scalars(select(Submission).where(Submission.uuid == report.uuid)).first()
        if sub is None:
            return "new"
        if report.revision < sub.revision:
            return (
                "older-revision",
                f"本机已有该报告的第{sub.revision}版，报送包是较旧的第{report.revision}版，未导入",
                f"revision {sub.revision} is already here; the package holds the older "
                f"revision {report.revision}; not imported",
            )
        if report.revision == sub.revision:
            frozen = next((r for r in sub.revisions if r.revision == sub.revision), None)
            if frozen is not None and lifecycle.is_frozen(sub.status):
                local_hash = frozen.report_hash
            else:
                local_hash = drafts.load_report(ctx, sub.id).report_hash()
            if local_hash == report_hash:
                return "duplicate"
            return (
                "conflict",
                f"本机的第{sub.revision}版与报送包中的同一版本内容不同（可能在本机修改过），"
                "未导入；请联系报送单位确认",
                f"revision {sub.revision} here differs from the same revision in the package "
                "(edited here?); not imported — check with the unit",
            )
        if sub.status in (lifecycle.QUEUED, lifecycle.SENDING):
            return (
                "busy",
                "本机的该报告正在报送中，请等报送结束后再导入新版本",
                "this submission is being sent; import the newer revision when that is done",
            )
        return "update"


def _fill(s: Session, sub: Submission, report: Report) -> None:
    sub.revision = report.revision
    sub.title = report.title
    sub.summary = report.summary
    for f in drafts.UNIT_FIELDS:
        setattr(sub, f"unit_{f}", getattr(report.unit, f))
    for i, a in enumerate(report.activities):
        sub.activities.append(
            Activity(
                id=a.id,
                position=i,
                **{f: getattr(a, f) for f in drafts.ACTIVITY_FIELDS},
            )
        )
    activity_ids = {a.id for a in report.activities}
    for m in report.media:
        drafts.ensure_blob(s, m)
        sub.media.append(
            MediaItem(
                sha256=m.sha256,
                original_name=m.original_name,
                caption=m.caption,
                activity_id=m.activity_id if m.activity_id in activity_ids else None,
                position=m.position,
            )
        )


def _land(
    ctx: AppContext,
    report: Report,
    report_hash: str,
    decision: str,
    source: str,
    on_land: LandFn | None = None,
) -> tuple[int, Outcome]:
    with ctx.store.write() as s:
        sub = s.scalars(select(Submission).where(Submission.uuid == report.uuid)).first()
        outcome: Outcome = "new"
        if sub is None:
            sub = Submission(uuid=report.uuid, campaign_id=report.campaign_id, origin="imported")
            s.add(sub)
        else:
            outcome = "updated"
            sub.activities.clear()
            sub.media.clear()
            # Drop revisions the package supersedes that were never frozen for sending.
            s.flush()  # deletes before inserts: activity ids are reused
            sub.status = lifecycle.DRAFT
        _fill(s, sub, report)
        sub.updated_at = utcnow()
        s.flush()
        s.add(
            AuditEvent(
                submission_uuid=sub.uuid,
                revision=sub.revision,
                action="imported" if outcome == "new" else "import-updated",
                detail=json.dumps(
                    {"package": source, "report_hash": report_hash}, ensure_ascii=False
                ),
            )
        )
        if on_land is not None:
            on_land(s, sub.id, outcome)
        return sub.id, outcome
