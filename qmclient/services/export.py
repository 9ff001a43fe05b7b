"""Exporting a submission for e-mail and for the record: Word, Excel, .eml drafts, package.

Two calls, for the GUI and the command line alike:

- :func:`plan` — what *would* be produced, without writing anything: the files with their
  (estimated) sizes, the mail parts, which videos go along, get re-encoded or are left
  out, and any problem that stops the export (a folder that cannot be written, media gone
  from disk).  Cheap: no photo is decoded.
- :func:`run` — produce it.  It takes a :class:`~qmclient.core.work.Work`: progress is
  reported on it (``done`` of ``total`` steps, the file being made) and it stops when the
  work is cancelled.  Every output is staged as a temporary file in its
  target folder and renamed into place only when *all* are complete, so a failed or
  cancelled export leaves nothing half-written.  On success the revision is frozen and
  the submission marked exported.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Literal

from qmclient.core import lifecycle
from qmclient.core.campaign import Campaign
from qmclient.core.files import sha256_file
from qmclient.core.report import MediaRef, Report
from qmclient.core.work import Cancelled, Progress, Work, work_or_new
from qmclient.export import eml, mailset
from qmclient.export.atomic import Staging, check_writable, sweep_temp
from qmclient.export.docx_report import PhotoImage, write_report
from qmclient.export.errors import ExportError
from qmclient.export.naming import (
    figure_order,
    photo_name,
    report_basename,
    video_name,
    video_order,
)
from qmclient.export.text import date_zh, safe_filename, size_text
from qmclient.export.xlsx_table import write_table
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.packages import packed_files, report_for_export, stage_package
from qmclient.store.media import MediaError

VideoPolicy = Literal["reencode", "omit"]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEND_RESERVE = 1024  # bytes per part kept free for headers added when sending
JPEG_BYTES_PER_PIXEL = 0.3  # a phone photo re-saved at quality ~85, for estimates


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


@dataclass(frozen=True)
class PlannedFile:
    kind: str  # docx | xlsx | package | eml
    path: Path
    size: int
    exact: bool  # False: an estimate (photos not yet downscaled)


@dataclass(frozen=True)
class MailPartPlan:
    index: int
    total: int
    path: Path
    size: int
    attachments: tuple[str, ...]


@dataclass(frozen=True)
class VideoDecision:
    sha256: str
    name: str  # the attachment name (视频1 …)
    original_name: str
    size: int
    action: Literal["attach", "reencode", "omit"]
    note_zh: str = ""
    note_en: str = ""


@dataclass
class ExportPlan:
    submission_id: int
    report_hash: str
    mail_limit: int
    files: list[PlannedFile] = field(default_factory=list)
    mail_parts: list[MailPartPlan] = field(default_factory=list)
    videos: list[VideoDecision] = field(default_factory=list)
    problems: list[ExportError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ExportResult:
    files: list[Path]
    mail_parts: list[MailPartPlan]
    videos: list[VideoDecision]
    status: str
    report_hash: str
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)


# ----------------------------------------------------------------------------- shared


def _district(report: Report, campaign: Campaign) -> str:
    d = campaign.district(report.unit.district)
    return d.name_zh if d else ""


def mail_subject(report: Report, campaign: Campaign) -> str:
    """【2022年质量月活动总结】单位名称（区县）"""
    unit = report.unit.name.strip() or "（未填写单位）"
    district = _district(report, campaign)
    return f"【{campaign.year}年质量月活动总结】{unit}" + (f"（{district}）" if district else "")


def _envelope(report: Report, campaign: Campaign, options: ExportOptions) -> eml.Envelope:
    tweak = hashlib.sha256(
        f"{report.report_hash()}|{options.downscale}|{options.quality}|{options.video}".encode()
    ).hexdigest()[:8]
    return eml.Envelope(
        to_name=campaign.recipient.office,
        to_addr=campaign.recipient.email,
        subject=mail_subject(report, campaign),
        seed=f"{report.uuid}.r{report.revision}.{tweak}",
        date=dt.datetime.now(dt.UTC).astimezone(campaign.tz),
        from_name=report.unit.name if report.unit.email else "",
        from_addr=report.unit.email.strip(),
        qm_uuid=report.uuid,
        qm_revision=report.revision,
    )


def _body_fn(
    report: Report, campaign: Campaign, videos: list[VideoDecision], signed: dt.date
) -> eml.BodyFn:
    u = report.unit
    district = _district(report, campaign)
    who = u.name.strip() + (f"（{district}）" if district else "")
    omitted = [v for v in videos if v.action == "omit"]
    shrunk = [v for v in videos if v.action == "reencode"]

    def body(index: int, total: int, attachments: Sequence[eml.Attachment]) -> str:
        lines = [
            f"{campaign.recipient.office}：",
            "",
            f"　　现报送{who}{campaign.year}年“质量月”{campaign.report_title}"
            "及有关图片、视频资料，请查收。",
        ]
        if total > 1:
            lines.append(f"　　因附件较大，分{total}封邮件发送，本邮件为第{index}封。")
        lines += ["", f"本邮件附件（{len(attachments)}个）："]
        lines += [f"  {i}. {a.name}（{size_text(a.size)}）" for i, a in enumerate(attachments, 1)]
        if shrunk:
            lines += ["", "以下视频已压缩后随邮件发送，原始视频可另行提供："]
            lines += [f"  - {v.name}（原始大小 {size_text(v.size)}）" for v in shrunk]
        if omitted:
            lines += [
                "",
                f"以下视频超过单封邮件大小限制（{size_text(campaign.mail_size_limit)}），未随邮件发送，"
                "将通过U盘、网盘或报送系统另行提交：",
            ]
            lines += [f"  - {v.name}（{size_text(v.size)}）" for v in omitted]
        contact = "　".join(
            t
            for t in (
                f"联系人：{u.contact_person.strip()}" if u.contact_person.strip() else "",
                f"联系电话：{u.phone.strip()}" if u.phone.strip() else "",
            )
            if t
        )
        lines += ["", contact, u.name.strip(), date_zh(signed), "", "（本邮件由 qmclient 生成）"]
        return "\n".join(lines)

    return body


def _split_limit(campaign: Campaign) -> int:
    """Parts are filled to the limit less a little room, so a draft sent over SMTP may
    gain a From header and lose X-Unsent and still be under the limit."""
    return campaign.mail_size_limit - SEND_RESERVE


def _estimate_photo(ref: MediaRef, side: int | None) -> int:
    if side is None:
        return ref.size
    w, h = ref.width or 4000, ref.height or 3000
    scale = min(1.0, side / max(w, h))
    return min(ref.size, int(w * h * scale * scale * JPEG_BYTES_PER_PIXEL) + 2048)


def _eml_name(report: Report, campaign: Campaign, index: int, total: int) -> str:
    unit = report.unit.name.strip() or "本单位"
    tail = f"-{index}of{total}" if total > 1 else ""
    return safe_filename(f"{unit}-{campaign.year}年质量月活动总结{tail}.eml", max_chars=80)


def _signed(options: ExportOptions, campaign: Campaign) -> dt.date:
    return options.signed or dt.datetime.now(campaign.tz).date()


def _decide_videos(
    report: Report,
    campaign: Campaign,
    options: ExportOptions,
    envelope: eml.Envelope,
    body: eml.BodyFn,
) -> list[VideoDecision]:
    out = []
    for i, v in enumerate(video_order(report), 1):
        name = video_name(i, v)
        probe = eml.Attachment(name, v.media_type, Path(name), v.size)
        room = eml.room_for_one(envelope, body, _split_limit(campaign), probe)
        limit = size_text(campaign.mail_size_limit)
        if v.size <= room:
            out.append(VideoDecision(v.sha256, name, v.original_name, v.size, "attach"))
        elif options.video == "reencode":
            out.append(
                VideoDecision(
                    v.sha256,
                    name,
                    v.original_name,
                    v.size,
                    "reencode",
                    f"{name} 大于单封邮件上限（{limit}），将压缩后随邮件发送",
                    f"{name} is larger than one mail ({limit}); it will be re-encoded smaller",
                )
            )
        else:
            out.append(
                VideoDecision(
                    v.sha256,
                    name,
                    v.original_name,
                    v.size,
                    "omit",
                    f"{name}（{size_text(v.size)}）大于单封邮件上限（{limit}），不随邮件发送，"
                    "请另行提交（U盘、网盘或报送系统）",
                    f"{name} ({size_text(v.size)}) is larger than one mail ({limit}); it is "
                    "left out — hand it in another way",
                )
            )
    return out


# ----------------------------------------------------------------------------- plan


def plan(ctx: AppContext, submission_id: int, options: ExportOptions) -> ExportPlan:
    """What :func:`run` would produce; writes nothing (only probes the target folders)."""
    report = report_for_export(ctx, submission_id)
    campaign = ctx.campaigns.get(report.campaign_id)
    result = ExportPlan(submission_id, report.report_hash(), campaign.mail_size_limit)
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
    photos = figure_order(report, campaign)
    docx_size = 40_000 + sum(_estimate_photo(m, options.docx_photo_side) for m in photos)
    xlsx_size = 8_000 + 600 * len(report.activities)
    base = report_basename(report, campaign)
    if options.docx:
        result.files.append(PlannedFile("docx", options.docx, docx_size, False))
    if options.xlsx:
        result.files.append(PlannedFile("xlsx", options.xlsx, xlsx_size, False))
    if options.package:
        media = sum({m.sha256: m.size for m in report.media}.values())
        size = media + 4096 + 2 * len(report.canonical_json()) + 200 * len(report.media)
        result.files.append(PlannedFile("package", options.package, size, False))
    if options.eml_dir:
        envelope = _envelope(report, campaign, options)
        signed = _signed(options, campaign)
        body0 = _body_fn(report, campaign, [], signed)
        videos = _decide_videos(report, campaign, options, envelope, body0)
        body = _body_fn(report, campaign, videos, signed)
        first = [
            eml.Attachment(f"{base}.docx", DOCX_TYPE, Path("-"), docx_size),
            eml.Attachment(
                f"{base[:-4] if base.endswith('情况总结') else base}情况表.xlsx",
                XLSX_TYPE,
                Path("-"),
                xlsx_size,
            ),
        ]
        rest = [
            eml.Attachment(
                photo_name(i, m, "jpg" if options.downscale else None),
                m.media_type,
                Path("-"),
                _estimate_photo(m, options.downscale),
            )
            for i, m in enumerate(photos, 1)
        ]
        for v in videos:
            if v.action == "attach":
                rest.append(eml.Attachment(v.name, "video/mp4", Path("-"), v.size))
            elif v.action == "reencode":
                probe = eml.Attachment(v.name, "video/mp4", Path("-"), v.size)
                room = eml.room_for_one(envelope, body, _split_limit(campaign), probe)
                rest.append(eml.Attachment(v.name, "video/mp4", Path("-"), int(room * 0.9)))
        result.videos = videos
        first.append(_planned_manifest(report, [*first, *rest]))
        try:
            parts = eml.split(envelope, first, rest, _split_limit(campaign), body)
        except eml.TooLarge as err:
            result.problems.append(_too_large(err, campaign))
            parts = []
        for p in parts:
            path = options.eml_dir / _eml_name(report, campaign, p.index, p.total)
            result.mail_parts.append(
                MailPartPlan(p.index, p.total, path, p.size, tuple(a.name for a in p.attachments))
            )
            result.files.append(PlannedFile("eml", path, p.size, False))
    return result


def _too_large(err: eml.TooLarge, campaign: Campaign) -> ExportError:
    limit = size_text(campaign.mail_size_limit)
    return ExportError(
        "too-large",
        zh=f"“{err.attachment.name}”（{size_text(err.attachment.size)}）单独一封邮件也放不下"
        f"（上限 {limit}）；请缩小照片（--downscale）或减少 Word 报告中的照片",
        en=f"{err.attachment.name} ({size_text(err.attachment.size)}) does not fit in a mail of "
        f"its own (limit {limit}); downscale photos or put fewer photos in the report",
        path=err.attachment.name,
    )


# ----------------------------------------------------------------------------- run


class _Progress:
    """Steps of one export reported on its :class:`Work`; a cancel ends it with an
    :class:`ExportError` (code ``cancelled``)."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self.done = 0
        self.total = 1

    def check(self) -> None:
        if self.work.cancelled:
            raise ExportError(
                "cancelled",
                zh="已取消导出，未留下任何文件",
                en="export cancelled; no file was left",
            )

    def step(self, label: str, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        with contextlib.suppress(Cancelled):  # answered just below, as an ExportError
            self.work.progress(self.done, self.total, label)
        self.check()


def _downscale(
    ctx: AppContext,
    refs: list[MediaRef],
    folder: Path,
    side: int,
    quality: int,
    options: ExportOptions,
    prog: _Progress,
    warnings: list[tuple[str, str]],
) -> dict[str, tuple[Path, int, int]]:
    """Smaller upright copies; a photo that cannot be decoded is left out of the result
    (the caller falls back) and named in ``warnings``."""
    from qmclient.media.downscale import DownscaleJob, downscale_many

    folder.mkdir(parents=True, exist_ok=True)
    jobs = [
        DownscaleJob(
            ctx.media.path_for(m.sha256), folder / f"{m.sha256}.jpg", side, quality, m.original_name
        )
        for m in refs
    ]
    start = prog.done

    def one_done(p: Progress) -> None:
        prog.done = start + p.done - 1
        prog.step(p.label)

    results = downscale_many(jobs, workers=options.workers, work=prog.work.relay(one_done))
    if results is None:
        prog.check()
        raise ExportError("cancelled", zh="已取消导出", en="export cancelled")
    out = {}
    for m, r in zip(refs, results, strict=True):
        if not r.ok:
            warning = (
                f"照片“{m.original_name}”无法处理（{r.error_zh}），已按原文件处理",
                f"the photo {m.original_name} cannot be processed ({r.error_en}); "
                "its original file is used",
            )
            if warning not in warnings:
                warnings.append(warning)
            continue
        out[m.sha256] = (r.job.dest, r.width, r.height)
    return out


def run(
    ctx: AppContext,
    submission_id: int,
    options: ExportOptions,
    *,
    work: Work | None = None,
) -> ExportResult:
    """Produce what ``options`` asks for; raises :class:`ExportError` (nothing is left)."""
    if not any((options.docx, options.xlsx, options.eml_dir, options.package)):
        raise ExportError("nothing", zh="没有选择要导出的内容", en="nothing to export was chosen")
    report = report_for_export(ctx, submission_id)
    campaign = ctx.campaigns.get(report.campaign_id)
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
    prog = _Progress(work_or_new(work))
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
    scratch = ctx.data_dir / "tmp" / f"export-{uuid.uuid4().hex}"
    scratch.mkdir(parents=True, exist_ok=True)
    staging = Staging()
    warnings: list[tuple[str, str]] = []
    signed = _signed(options, campaign)
    base = report_basename(report, campaign)
    xlsx_name = f"{base[:-4] if base.endswith('情况总结') else base}情况表.xlsx"
    try:
        docx_path = xlsx_path = None
        if need_docx:
            scaled = _downscale(
                ctx, photos, scratch / "docx", options.docx_photo_side, 85, options, prog, warnings
            )
            images = {
                m.sha256: PhotoImage(m, *scaled[m.sha256]) for m in photos if m.sha256 in scaled
            }
            target = options.docx or scratch / f"{base}.docx"
            with _open(staging, target, options.docx is not None) as fh:
                write_report(fh, report, campaign, images, signed=signed)
                docx_path = Path(fh.name)
            prog.step(target.name)
        if need_xlsx:
            target = options.xlsx or scratch / xlsx_name
            with _open(staging, target, options.xlsx is not None) as fh:
                write_table(fh, report, campaign)
                xlsx_path = Path(fh.name)
            prog.step(target.name)
        if options.package:
            stage_package(ctx, report, staging, options.package, work=prog.work.quiet())
            prog.step(options.package.name)
        parts: list[MailPartPlan] = []
        videos: list[VideoDecision] = []
        if options.eml_dir:
            assert docx_path is not None and xlsx_path is not None
            parts, videos = _mail(
                ctx,
                report,
                campaign,
                options,
                staging,
                scratch,
                prog,
                signed,
                (docx_path, f"{base}.docx"),
                (xlsx_path, xlsx_name),
                photos,
                warnings,
            )
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
    if report_for_export(ctx, submission_id).report_hash() != report.report_hash():
        # edited while the export ran: the files hold the report as it was at the start
        warnings.append(
            (
                "导出期间报告被修改过，导出的文件是修改前的内容，报告状态未改为“已导出”；请重新导出",
                "the report was edited during the export: the files hold it as it was "
                "before, and it was not marked exported; export again",
            )
        )
    elif lifecycle.can_transition(status, lifecycle.EXPORTED):
        drafts.freeze(ctx, submission_id)
        drafts.set_status(
            ctx, submission_id, lifecycle.EXPORTED, {"files": [p.name for p in files]}
        )
        status = lifecycle.EXPORTED
    return ExportResult(files, parts, videos, status, report.report_hash(), warnings)


@contextlib.contextmanager
def _open(staging: Staging, target: Path, staged: bool) -> Iterator[BinaryIO]:
    """Staged in the target folder when the user asked for the file, else in the workspace."""
    if staged:
        with staging.open(target) as fh:
            yield fh
    else:
        with open(target, "wb") as fh:
            yield fh


@dataclass
class MailManifest:
    """The manifest attachment of part 1 (see :mod:`qmclient.export.mailset`): planned at
    its padded size before splitting, written with the real part numbers after."""

    report: Report
    files: list[mailset.SentFile]
    attachment: eml.Attachment

    @classmethod
    def plan(
        cls,
        ctx: AppContext,
        report: Report,
        first: list[eml.Attachment],
        att_for: dict[str, eml.Attachment],
        dims: dict[str, tuple[int, int]],
        work: Path,
    ) -> MailManifest:
        sent: dict[str, MediaRef | None] = {m.sha256: None for m in report.media}
        files = [mailset.SentFile(a.name, sha256_file(a.path)[0], a.size, 1) for a in first]
        for m in report.media:
            att = att_for.get(m.sha256)
            if att is None:
                continue
            same = att.path == ctx.media.path_for(m.sha256)
            sha = m.sha256 if same else sha256_file(att.path)[0]
            w, h = dims.get(m.sha256, (m.width, m.height)) if not same else (m.width, m.height)
            sent[m.sha256] = replace(
                m, sha256=sha, size=att.size, media_type=att.media_type, width=w, height=h
            )
            files.append(mailset.SentFile(att.name, sha, att.size, 0, m.sha256))
        as_sent = mailset.report_as_sent(report, sent)
        widest = [replace(f, part=999) for f in files]
        size = len(mailset.manifest_bytes(as_sent, widest))
        path = work / mailset.MANIFEST_NAME
        path.write_bytes(b" " * size)
        return cls(
            as_sent, files, eml.Attachment(mailset.MANIFEST_NAME, "application/json", path, size)
        )

    def write(self, parts: Sequence[eml.MailPart]) -> None:
        part_of = {a.name: p.index for p in parts for a in p.attachments}
        files = [replace(f, part=part_of.get(f.name, 0)) for f in self.files]
        data = mailset.manifest_bytes(self.report, files, pad_to=self.attachment.size)
        self.attachment.path.write_bytes(data)


def _planned_manifest(report: Report, atts: Sequence[eml.Attachment]) -> eml.Attachment:
    """The manifest attachment as :func:`plan` estimates it (hashes are not known yet)."""
    files = [mailset.SentFile(a.name, "0" * 64, a.size, 999, "0" * 64) for a in atts]
    size = len(mailset.manifest_bytes(report, files))
    return eml.Attachment(mailset.MANIFEST_NAME, "application/json", Path("-"), size)


def _mail(
    ctx: AppContext,
    report: Report,
    campaign: Campaign,
    options: ExportOptions,
    staging: Staging,
    work: Path,
    prog: _Progress,
    signed: dt.date,
    docx: tuple[Path, str],
    xlsx: tuple[Path, str],
    photos: list[MediaRef],
    warnings: list[tuple[str, str]],
) -> tuple[list[MailPartPlan], list[VideoDecision]]:
    from qmclient.media.transcode import transcode

    assert options.eml_dir is not None
    envelope = _envelope(report, campaign, options)
    limit = _split_limit(campaign)
    videos = _decide_videos(
        report, campaign, options, envelope, _body_fn(report, campaign, [], signed)
    )
    body = _body_fn(report, campaign, videos, signed)
    first = [
        eml.Attachment(docx[1], DOCX_TYPE, docx[0], docx[0].stat().st_size),
        eml.Attachment(xlsx[1], XLSX_TYPE, xlsx[0], xlsx[0].stat().st_size),
    ]
    dims: dict[str, tuple[int, int]] = {}
    if options.downscale:
        scaled = _downscale(
            ctx, photos, work / "mail", options.downscale, options.quality, options, prog, warnings
        )
        dims = {sha: (w, h) for sha, (_p, w, h) in scaled.items()}
        rest = [
            eml.Attachment(
                photo_name(i, m, "jpg"),
                "image/jpeg",
                scaled[m.sha256][0],
                scaled[m.sha256][0].stat().st_size,
            )
            if m.sha256 in scaled
            else eml.Attachment(
                photo_name(i, m), m.media_type, ctx.media.path_for(m.sha256), m.size
            )
            for i, m in enumerate(photos, 1)
        ]
    else:
        rest = [
            eml.Attachment(photo_name(i, m), m.media_type, ctx.media.path_for(m.sha256), m.size)
            for i, m in enumerate(photos, 1)
        ]
    att_for = {m.sha256: a for m, a in zip(photos, rest, strict=False)}
    by_sha = {m.sha256: m for m in report.videos}
    final_videos = []
    for v in videos:
        ref = by_sha[v.sha256]
        if v.action == "attach":
            rest.append(
                eml.Attachment(v.name, ref.media_type, ctx.media.path_for(v.sha256), v.size)
            )
            att_for[v.sha256] = rest[-1]
        elif v.action == "reencode":
            probe = eml.Attachment(v.name, "video/mp4", Path(v.name), v.size)
            room = eml.room_for_one(envelope, body, limit, probe)
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
                    raise MediaError(
                        "too-large",
                        v.name,
                        en="still too large after re-encoding",
                        zh="压缩后仍然过大",
                    )
                rest.append(eml.Attachment(v.name, "video/mp4", dest, done.size))
                att_for[v.sha256] = rest[-1]
            except MediaError as err:
                v = replace(
                    v,
                    action="omit",
                    note_zh=f"{v.name} 无法压缩到邮件大小以内（{err.message_zh}），不随邮件发送，请另行提交",
                    note_en=f"{v.name} could not be re-encoded to fit ({err.message_en}); left out",
                )
        final_videos.append(v)
        prog.step(v.name)
    body = _body_fn(report, campaign, final_videos, signed)
    manifest = MailManifest.plan(ctx, report, first, att_for, dims, work)
    first.append(manifest.attachment)
    try:
        parts = eml.split(envelope, first, rest, limit, body)
    except eml.TooLarge as err:
        raise _too_large(err, campaign) from None
    manifest.write(parts)
    prog.total += len(parts) - 1
    out = []
    for p in parts:
        path = options.eml_dir / _eml_name(report, campaign, p.index, p.total)
        with staging.open(path) as fh:
            written = eml.write_message(
                fh, envelope, p.index, p.total, p.body, p.attachments, work=prog.work
            )
        if written != p.size or written > limit:
            raise ExportError(
                "internal",
                zh="邮件大小计算有误，请报告此问题",
                en=f"mail part size {written} != planned {p.size}",
            )
        out.append(
            MailPartPlan(p.index, p.total, path, written, tuple(a.name for a in p.attachments))
        )
        prog.step(path.name)
    return out, final_videos
