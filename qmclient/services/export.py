"""Exporting a submission for e-mail and for the record: Word, Excel, .eml drafts, package.

Two calls, for the GUI and the command line alike:

- :func:`plan` — what *would* be produced, without writing anything the user sees: the
  files with their sizes, the mail parts, which videos go along, get re-encoded or are
  left out, what the checks still find, and any problem that stops the export (a folder
  that cannot be written, media gone from disk).  The plan builds the Word report, the
  Excel table and the mails' split exactly as :func:`run` does (in a scratch folder,
  photos prepared once and cached), so its figures are the ones written; only a video
  still to be re-encoded and the package are estimates.
- :func:`run` — produce it.  The report must pass the checks that sending uses
  (:mod:`qmclient.services.clearance`) unless the options ask for a **draft**, which then
  says 草稿 in every output.  It takes a :class:`~qmclient.core.work.Work`: progress is
  reported on it (``done`` of ``total`` steps, the file being made) and it stops when the
  work is cancelled.  Every output is staged as a temporary file in its
  target folder and renamed into place only when *all* are complete, so a failed or
  cancelled export leaves nothing half-written.  On success (not a draft) the revision is
  frozen and the export recorded beside the status (:mod:`qmclient.services.export_record`);
  the status itself does not change: exported is not sent.

The e-mail side (envelope, body, videos, manifest, split) is :mod:`qmclient.export.mailparts`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from qmclient.core.campaign import Campaign
from qmclient.core.lifecycle import ExportNote
from qmclient.core.report import Report
from qmclient.core.validation import Finding
from qmclient.core.work import Cancelled, Work, work_or_new
from qmclient.export import mailparts
from qmclient.export.atomic import Staging, check_writable, sweep_temp
from qmclient.export.docx_report import PhotoImage, write_report
from qmclient.export.errors import ExportError
from qmclient.export.mailparts import MailPartPlan, VideoDecision
from qmclient.export.naming import figure_order, report_basename
from qmclient.export.steps import ExportSteps
from qmclient.export.xlsx_table import write_table
from qmclient.services import drafts, export_record
from qmclient.services.clearance import NotCleared, clearance
from qmclient.services.context import AppContext
from qmclient.services.export_media import photo_copies, reencoder
from qmclient.services.packages import packed_files, report_for_export, stage_package
from qmclient.store.errors import StoreFullError, StoreReadOnlyError

__all__ = [
    "ExportOptions",
    "ExportPlan",
    "ExportResult",
    "MailPartPlan",
    "PlannedFile",
    "VideoDecision",
    "plan",
    "run",
]

VideoPolicy = Literal["reencode", "omit"]
DOCX_PHOTO_QUALITY = 85


@dataclass(frozen=True)
class ExportOptions:
    docx: Path | None = None
    xlsx: Path | None = None
    eml_dir: Path | None = None
    package: Path | None = None
    downscale: int | None = None  # long side (px) of mailed photos; None sends originals
    quality: int = 85  # JPEG quality of downscaled photos
    video: VideoPolicy = "omit"  # a video too large for one mail part
    docx_photo_side: int = 1200  # long side of photos embedded in the Word report (≈200 dpi)
    signed: dt.date | None = None  # 成文日期; default: today in the campaign's time zone
    workers: int | None = None  # processes for downscaling; default: every core
    draft: bool = False  # export although the checks find errors; every output says 草稿
    photos_per_row: int = 2  # photos side by side in the Word report's attachment (1|2)


@dataclass(frozen=True)
class PlannedFile:
    kind: str  # docx | xlsx | package | eml
    path: Path
    size: int
    exact: bool  # False: an estimate (photos not yet downscaled)


@dataclass
class ExportPlan:
    submission_id: int
    report_hash: str
    mail_limit: int
    files: list[PlannedFile] = field(default_factory=list)
    mail_parts: list[MailPartPlan] = field(default_factory=list)
    videos: list[VideoDecision] = field(default_factory=list)
    problems: list[ExportError] = field(default_factory=list)
    blockers: list[Finding] = field(default_factory=list)  # errors: export only as draft
    warnings: list[Finding] = field(default_factory=list)  # to be confirmed once

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ExportResult:
    files: list[Path]
    mail_parts: list[MailPartPlan]
    videos: list[VideoDecision]
    status: str
    report_hash: str  # the status is unchanged by an export (see ``exported``)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    exported: ExportNote | None = None  # the export as recorded; None for a draft


# ----------------------------------------------------------------------------- building


@dataclass
class _Built:
    docx: Path | None = None
    xlsx: Path | None = None
    mails: mailparts.MailSet | None = None


def _signed(options: ExportOptions, campaign: Campaign) -> dt.date:
    return options.signed or dt.datetime.now(campaign.tz).date()


def _xlsx_name(base: str) -> str:
    return f"{base[:-4] if base.endswith('情况总结') else base}情况表.xlsx"


def _build(
    ctx: AppContext,
    report: Report,
    campaign: Campaign,
    options: ExportOptions,
    *,
    staging: Staging | None,
    work: Path,
    prog: ExportSteps,
    warnings: list[tuple[str, str]],
) -> _Built:
    """The Word report, the Excel table and the split mails, as :func:`run` writes them.

    With ``staging`` (the export) the files the user asked for are staged in their
    folders and videos are re-encoded; without (the preview) everything goes into
    ``work`` and a re-encoded video is estimated at 90 % of the room it has.
    """
    built = _Built()
    photos = figure_order(report, campaign)
    signed = _signed(options, campaign)
    base = report_basename(report, campaign)
    if options.docx or options.eml_dir:
        scaled = photo_copies(
            ctx,
            photos,
            options.docx_photo_side,
            DOCX_PHOTO_QUALITY,
            options.workers,
            prog,
            warnings,
            work,
        )
        images = {m.sha256: PhotoImage(m, *scaled[m.sha256]) for m in photos if m.sha256 in scaled}
        target = options.docx if staging and options.docx else work / f"{base}.docx"
        with _open(staging if target == options.docx else None, target) as fh:
            write_report(
                fh,
                report,
                campaign,
                images,
                signed=signed,
                draft=options.draft,
                photos_per_row=options.photos_per_row,
            )
            built.docx = Path(fh.name)
        prog.step(target.name)
    if options.xlsx or options.eml_dir:
        target = options.xlsx if staging and options.xlsx else work / _xlsx_name(base)
        with _open(staging if target == options.xlsx else None, target) as fh:
            write_table(fh, report, campaign, draft=options.draft)
            built.xlsx = Path(fh.name)
        prog.step(target.name)
    if options.eml_dir:
        assert built.docx is not None and built.xlsx is not None
        mailed = {}
        if options.downscale:
            mailed = photo_copies(
                ctx,
                photos,
                options.downscale,
                options.quality,
                options.workers,
                prog,
                warnings,
                work,
            )
        stored = ctx.media.path_for
        first, atts = mailparts.attachments(
            built.docx, f"{base}.docx", built.xlsx, _xlsx_name(base), photos, mailed, stored
        )
        built.mails = mailparts.assemble(
            report,
            campaign,
            first=first,
            photos=atts,
            dims={sha: (w, h) for sha, (_p, w, h) in mailed.items()},
            stored=stored,
            policy=options.video,
            reencode=reencoder(ctx, work, prog) if staging else mailparts.reencode_estimate(work),
            work=work,
            signed=signed,
            tweak=f"{options.downscale}|{options.quality}|{options.video}",
            draft=options.draft,
            step=prog.step,
        )
    return built


def _scratch(ctx: AppContext) -> Path:
    scratch = ctx.data_dir / "tmp" / f"export-{uuid.uuid4().hex}"
    try:
        scratch.mkdir(parents=True, exist_ok=True)
    except OSError:  # a full or read-only data disk: work in the system's temporary folder
        scratch = Path(tempfile.mkdtemp(prefix="qmclient-export-"))
    return scratch


@contextlib.contextmanager
def _open(staging: Staging | None, target: Path) -> Iterator[BinaryIO]:
    """Staged in the target folder when there is staging (the user asked for the file),
    else written straight into the scratch folder."""
    if staging is not None:
        with staging.open(target) as fh:
            yield fh
    else:
        with open(target, "wb") as fh:
            yield fh


# ----------------------------------------------------------------------------- plan


def plan(
    ctx: AppContext,
    submission_id: int,
    options: ExportOptions,
    *,
    work: Work | None = None,
) -> ExportPlan:
    """What :func:`run` would produce, built the same way in a scratch folder; writes
    nothing where the user looks (only probes the target folders)."""
    report = report_for_export(ctx, submission_id)
    campaign = ctx.campaigns.get(report.campaign_id)
    result = ExportPlan(submission_id, report.report_hash(), campaign.mail_size_limit)
    checked = clearance(ctx, submission_id)
    result.blockers, result.warnings = checked.errors, checked.warnings
    eml_folder = options.eml_dir
    while eml_folder is not None and not eml_folder.exists() and eml_folder != eml_folder.parent:
        eml_folder = eml_folder.parent  # run() creates it; its parent must be writable
    for folder in {p.parent for p in (options.docx, options.xlsx, options.package) if p} | (
        {eml_folder} if eml_folder else set()
    ):
        try:
            check_writable(folder)
        except ExportError as err:
            result.problems.append(err)
    try:
        packed_files(ctx, report)
    except ExportError as err:
        result.problems.append(err)
        return result
    scratch = _scratch(ctx)
    try:
        built = _build(
            ctx,
            report,
            campaign,
            options,
            staging=None,
            work=scratch,
            prog=ExportSteps(work_or_new(work).quiet()),
            warnings=[],
        )
        if options.docx and built.docx:
            result.files.append(PlannedFile("docx", options.docx, built.docx.stat().st_size, True))
        if options.xlsx and built.xlsx:
            result.files.append(PlannedFile("xlsx", options.xlsx, built.xlsx.stat().st_size, True))
        if options.package:
            media = sum({m.sha256: m.size for m in report.media}.values())
            size = media + 4096 + 2 * len(report.canonical_json()) + 200 * len(report.media)
            result.files.append(PlannedFile("package", options.package, size, False))
        if options.eml_dir and built.mails:
            result.videos = built.mails.videos
            exact = not any(v.action == "reencode" for v in built.mails.videos)
            result.mail_parts = mailparts.part_plans(report, campaign, options.eml_dir, built.mails)
            result.files += [PlannedFile("eml", m.path, m.size, exact) for m in result.mail_parts]
    except ExportError as err:
        result.problems.append(err)
    except Cancelled:
        result.problems.append(ExportError("cancelled", zh="已取消", en="cancelled"))
    except OSError as exc:
        from qmclient.export.atomic import os_error

        result.problems.append(os_error(exc, Path(getattr(exc, "filename", "") or "export")))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


# ----------------------------------------------------------------------------- run


def run(
    ctx: AppContext,
    submission_id: int,
    options: ExportOptions,
    *,
    work: Work | None = None,
) -> ExportResult:
    """Produce what ``options`` asks for; raises :class:`ExportError` (nothing is left),
    or :class:`~qmclient.services.clearance.NotCleared` when the checks find errors and
    the options do not ask for a draft."""
    if not any((options.docx, options.xlsx, options.eml_dir, options.package)):
        raise ExportError("nothing", zh="没有选择要导出的内容", en="nothing to export was chosen")
    report = report_for_export(ctx, submission_id)
    campaign = ctx.campaigns.get(report.campaign_id)
    if not options.draft:
        checked = clearance(ctx, submission_id)
        if not checked.may_go_out:
            raise NotCleared(checked.errors, what_zh="正式导出", what_en="exported")
    for folder in {p.parent for p in (options.docx, options.xlsx, options.package) if p}:
        check_writable(folder)
    if options.eml_dir:
        with contextlib.suppress(OSError):
            options.eml_dir.mkdir(parents=True, exist_ok=True)
        check_writable(options.eml_dir)
    packed_files(ctx, report)  # every media file present, before any work
    for folder in {p.parent for p in (options.docx, options.xlsx, options.package) if p} | (
        {options.eml_dir} if options.eml_dir else set()
    ):
        sweep_temp(folder)  # what an export killed earlier left behind
    prog = ExportSteps(work_or_new(work))
    photos = figure_order(report, campaign)
    need_docx = bool(options.docx or options.eml_dir)
    need_xlsx = bool(options.xlsx or options.eml_dir)
    mail_photos_scaled = bool(options.eml_dir and options.downscale)
    prog.total = (
        (len(photos) if need_docx else 0)
        + (len(photos) if mail_photos_scaled else 0)
        + int(need_docx)
        + int(need_xlsx)
        + int(bool(options.package))
        + (len(report.videos) + 1 if options.eml_dir else 0)
    )
    prog.check()
    scratch = _scratch(ctx)
    staging = Staging()
    warnings: list[tuple[str, str]] = []
    try:
        built = _build(
            ctx,
            report,
            campaign,
            options,
            staging=staging,
            work=scratch,
            prog=prog,
            warnings=warnings,
        )
        if options.package:
            stage_package(ctx, report, staging, options.package, work=prog.work.quiet())
            prog.step(options.package.name)
        parts: list[MailPartPlan] = []
        videos: list[VideoDecision] = []
        if options.eml_dir and built.mails:
            prog.total += len(built.mails.parts) - 1
            parts = mailparts.write_parts(
                report,
                campaign,
                options.eml_dir,
                built.mails,
                staging,
                work=prog.work,
                step=prog.step,
            )
            videos = built.mails.videos
        files = staging.commit()
    except Cancelled:
        raise ExportError(
            "cancelled", zh="已取消导出，未留下任何文件", en="export cancelled; no file was left"
        ) from None
    except FileNotFoundError as exc:
        raise ExportError(
            "media-missing",
            zh="导出过程中有图片或视频文件从数据目录中消失了，请检查后重试",
            en=f"a media file disappeared during export ({exc.filename}); check and retry",
        ) from None
    except OSError as exc:
        from qmclient.export.atomic import os_error

        raise os_error(exc, Path(getattr(exc, "filename", "") or "export")) from None
    finally:
        staging.discard()
        shutil.rmtree(scratch, ignore_errors=True)
    status = drafts.status_of(ctx, submission_id)
    exported: ExportNote | None = None
    if options.draft:
        warnings.append(
            (
                "这是草稿：文件中标有“草稿”，不记为一次正式导出；修改完问题后请重新导出",
                "this is a draft: the files say 草稿 (draft) and it is not recorded as an "
                "export; fix the problems and export again",
            )
        )
    elif report_for_export(ctx, submission_id).report_hash() != report.report_hash():
        # edited while the export ran: the files hold the report as it was at the start
        warnings.append(
            (
                "导出期间报告被修改过，导出的文件是修改前的内容，未记为一次导出；请重新导出",
                "the report was edited during the export: the files hold it as it was "
                "before, and the export was not recorded; export again",
            )
        )
    else:
        try:  # frozen as sending does (one revision, one content); the status stays
            rev = drafts.freeze(ctx, submission_id)
            exported = export_record.record(
                ctx, submission_id, rev.revision, rev.report_hash, files
            )
        except (StoreFullError, StoreReadOnlyError):  # the files are written all the same
            warnings.append(
                (
                    "数据文件夹现在无法写入（磁盘已满或只读），导出的文件已完整写好，"
                    "但这次导出未能记录",
                    "the data folder cannot be written now (full or read-only disk): the "
                    "exported files are complete, but the export was not recorded",
                )
            )
    return ExportResult(
        files, parts, videos, status, report.report_hash(), warnings, exported=exported
    )
