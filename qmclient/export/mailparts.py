"""The e-mail side of an export: what each video becomes, the envelope and the body text,
the manifest of part 1, and the split into numbered parts under the campaign's limit.

Everything here works on files already prepared (the Word report, the Excel table, the
photos as they will be mailed); :func:`assemble` decides and splits, :func:`write_parts`
writes the ``.eml`` files.  The same :func:`assemble` serves the preview and the export,
so the preview's parts and sizes are the ones written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from qmclient.core import files
from qmclient.core.campaign import Campaign
from qmclient.core.identifiers import is_valid_email
from qmclient.core.report import MediaRef, Report
from qmclient.core.sizes import size_text
from qmclient.core.work import QmError, Work
from qmclient.export import eml, mailset
from qmclient.export.atomic import Staging
from qmclient.export.errors import ExportError
from qmclient.export.naming import photo_name, video_name, video_order
from qmclient.export.text import date_zh, safe_filename

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEND_RESERVE = 1024  # bytes per part kept free for headers added when sending
DRAFT_MARK = "【草稿】"

VideoPolicy = Literal["reencode", "omit"]


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


# A video too large for one mail made smaller: (decision, its media, room in bytes) →
# the attachment; raises ReencodeFailed when it cannot be made to fit (it is left out).
Reencode = Callable[[VideoDecision, MediaRef, int], eml.Attachment]


class ReencodeFailed(QmError):
    code = "reencode-failed"


def _district(report: Report, campaign: Campaign) -> str:
    d = campaign.district(report.unit.district)
    return d.name_zh if d else ""


def mail_subject(report: Report, campaign: Campaign, *, draft: bool = False) -> str:
    """【2022年质量月活动总结】单位名称（区县） — with 【草稿】 in front for a draft."""
    unit = report.unit.name.strip() or "（未填写单位）"
    district = _district(report, campaign)
    subject = f"【{campaign.year}年质量月活动总结】{unit}" + (f"（{district}）" if district else "")
    return DRAFT_MARK + subject if draft else subject


def envelope(report: Report, campaign: Campaign, *, tweak: str, draft: bool) -> eml.Envelope:
    """``tweak`` (the options that change the attachments) keeps Message-IDs apart."""
    addr = report.unit.email.strip()
    if not is_valid_email(addr):
        addr = ""  # never a From: with something that is not an address
    seed = hashlib.sha256(f"{report.report_hash()}|{tweak}|{draft}".encode()).hexdigest()[:8]
    return eml.Envelope(
        to_name=campaign.recipient.office,
        to_addr=campaign.recipient.email,
        subject=mail_subject(report, campaign, draft=draft),
        seed=f"{report.uuid}.r{report.revision}.{seed}",
        date=dt.datetime.now(dt.UTC).astimezone(campaign.tz),
        from_name=report.unit.name if addr else "",
        from_addr=addr,
        qm_uuid=report.uuid,
        qm_revision=report.revision,
    )


def body_fn(
    report: Report,
    campaign: Campaign,
    videos: list[VideoDecision],
    signed: dt.date,
    *,
    draft: bool = False,
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
        if draft:
            lines[2:2] = [
                "　　【草稿】本邮件所附材料为草稿，尚有未完成的必填项，仅供预览核对。",
                "",
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


def split_limit(campaign: Campaign) -> int:
    """Parts are filled to the limit less a little room, so a draft sent over SMTP may
    gain a From header and lose X-Unsent and still be under the limit."""
    return campaign.mail_size_limit - SEND_RESERVE


def eml_name(report: Report, campaign: Campaign, index: int, total: int) -> str:
    unit = report.unit.name.strip() or "本单位"
    tail = f"-{index}of{total}" if total > 1 else ""
    return safe_filename(f"{unit}-{campaign.year}年质量月活动总结{tail}.eml", max_chars=80)


def decide_videos(
    report: Report,
    campaign: Campaign,
    policy: VideoPolicy,
    env: eml.Envelope,
    body: eml.BodyFn,
) -> list[VideoDecision]:
    out = []
    limit = size_text(campaign.mail_size_limit)
    for i, v in enumerate(video_order(report), 1):
        name = video_name(i, v)
        probe = eml.Attachment(name, v.media_type, Path(name), v.size)
        room = eml.room_for_one(env, body, split_limit(campaign), probe)
        if v.size <= room:
            out.append(VideoDecision(v.sha256, name, v.original_name, v.size, "attach"))
        elif policy == "reencode":
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


def too_large(err: eml.TooLarge, campaign: Campaign) -> ExportError:
    limit = size_text(campaign.mail_size_limit)
    return ExportError(
        "too-large",
        zh=f"“{err.attachment.name}”（{size_text(err.attachment.size)}）单独一封邮件也放不下"
        f"（上限 {limit}）；请缩小照片（--downscale）或减少 Word 报告中的照片",
        en=f"{err.attachment.name} ({size_text(err.attachment.size)}) does not fit in a mail "
        f"of its own (limit {limit}); downscale photos or put fewer photos in the report",
        path=err.attachment.name,
    )


def attachments(
    docx: Path,
    docx_name: str,
    xlsx: Path,
    xlsx_name: str,
    photos: list[MediaRef],
    mailed: dict[str, tuple[Path, int, int]],
    stored: Callable[[str], Path],
) -> tuple[list[eml.Attachment], list[tuple[MediaRef, eml.Attachment]]]:
    """Part 1's files (the Word report and the Excel table) and the photos as mailed, in
    figure order: the downscaled copy in ``mailed`` (path, width, height) when there is
    one, else the stored original (``stored(sha256)``)."""
    first = [
        eml.Attachment(docx_name, DOCX_TYPE, docx, docx.stat().st_size),
        eml.Attachment(xlsx_name, XLSX_TYPE, xlsx, xlsx.stat().st_size),
    ]
    out = []
    for i, m in enumerate(photos, 1):
        if m.sha256 in mailed:
            path = mailed[m.sha256][0]
            att = eml.Attachment(photo_name(i, m, "jpg"), "image/jpeg", path, path.stat().st_size)
        else:
            att = eml.Attachment(photo_name(i, m), m.media_type, stored(m.sha256), m.size)
        out.append((m, att))
    return first, out


def reencode_estimate(work: Path) -> Reencode:
    """For the preview: a video to re-encode counted at 90 % of the room it has."""

    def estimate(v: VideoDecision, _ref: MediaRef, room: int) -> eml.Attachment:
        return eml.Attachment(v.name, "video/mp4", work / f"{v.sha256}.planned", int(room * 0.9))

    return estimate


def sha256_file(path: Path) -> str:
    return files.sha256_file(path)[0]


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
        report: Report,
        first: list[eml.Attachment],
        att_for: dict[str, eml.Attachment],
        dims: dict[str, tuple[int, int]],
        stored: Callable[[str], Path],
        work: Path,
    ) -> MailManifest:
        sent: dict[str, MediaRef | None] = {m.sha256: None for m in report.media}
        files = [mailset.SentFile(a.name, sha256_file(a.path), a.size, 1) for a in first]
        for m in report.media:
            att = att_for.get(m.sha256)
            if att is None:
                continue
            same = att.path == stored(m.sha256)
            # a video re-encoded only in a preview has no file yet: its hash is a stand-in
            sha = m.sha256 if same else (sha256_file(att.path) if att.path.is_file() else "0" * 64)
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


@dataclass
class MailSet:
    """The mails of one export, split and ready to write."""

    envelope: eml.Envelope
    parts: list[eml.MailPart]
    videos: list[VideoDecision]
    manifest: MailManifest


def assemble(
    report: Report,
    campaign: Campaign,
    *,
    first: list[eml.Attachment],
    photos: list[tuple[MediaRef, eml.Attachment]],
    dims: dict[str, tuple[int, int]],
    stored: Callable[[str], Path],
    policy: VideoPolicy,
    reencode: Reencode,
    work: Path,
    signed: dt.date,
    tweak: str,
    draft: bool,
    step: Callable[[str], None] = lambda _label: None,
) -> MailSet:
    """Decide each video, build the manifest and split everything into parts.

    ``first`` (the Word report and the Excel table) go into part 1; ``photos`` are the
    photos as mailed, in figure order; ``stored(sha256)`` is a media file's stored path.
    Raises :class:`ExportError` (``too-large``) when one attachment fits no mail.
    """
    env = envelope(report, campaign, tweak=tweak, draft=draft)
    limit = split_limit(campaign)
    decided = decide_videos(
        report, campaign, policy, env, body_fn(report, campaign, [], signed, draft=draft)
    )
    body = body_fn(report, campaign, decided, signed, draft=draft)
    rest = [att for _m, att in photos]
    att_for = {m.sha256: att for m, att in photos}
    by_sha = {m.sha256: m for m in report.videos}
    videos = []
    for v in decided:
        ref = by_sha[v.sha256]
        if v.action == "attach":
            rest.append(eml.Attachment(v.name, ref.media_type, stored(v.sha256), v.size))
            att_for[v.sha256] = rest[-1]
        elif v.action == "reencode":
            probe = eml.Attachment(v.name, "video/mp4", Path(v.name), v.size)
            room = eml.room_for_one(env, body, limit, probe)
            try:
                rest.append(reencode(v, ref, room))
                att_for[v.sha256] = rest[-1]
            except ReencodeFailed as err:
                v = replace(
                    v,
                    action="omit",
                    note_zh=f"{v.name} 无法压缩到邮件大小以内（{err.message_zh}），"
                    "不随邮件发送，请另行提交",
                    note_en=f"{v.name} could not be re-encoded to fit ({err.message_en}); left out",
                )
        videos.append(v)
        step(v.name)
    body = body_fn(report, campaign, videos, signed, draft=draft)
    manifest = MailManifest.plan(report, first, att_for, dims, stored, work)
    try:
        parts = eml.split(env, [*first, manifest.attachment], rest, limit, body)
    except eml.TooLarge as err:
        raise too_large(err, campaign) from None
    return MailSet(env, parts, videos, manifest)


def part_plans(
    report: Report, campaign: Campaign, folder: Path, mails: MailSet
) -> list[MailPartPlan]:
    """Where each part goes and what it holds (sizes as split, before writing)."""
    return [
        MailPartPlan(
            p.index,
            p.total,
            folder / eml_name(report, campaign, p.index, p.total),
            p.size,
            tuple(a.name for a in p.attachments),
        )
        for p in mails.parts
    ]


def write_parts(
    report: Report,
    campaign: Campaign,
    folder: Path,
    mails: MailSet,
    staging: Staging,
    *,
    work: Work | None = None,
    step: Callable[[str], None] = lambda _label: None,
) -> list[MailPartPlan]:
    """Write every part (staged); checks each against its planned size and the limit."""
    mails.manifest.write(mails.parts)
    limit = split_limit(campaign)
    out = []
    for plan, p in zip(part_plans(report, campaign, folder, mails), mails.parts, strict=True):
        with staging.open(plan.path) as fh:
            written = eml.write_message(
                fh, mails.envelope, p.index, p.total, p.body, p.attachments, work=work
            )
        if written != p.size or written > limit:
            raise ExportError(
                "internal",
                zh="邮件大小计算有误，请报告此问题",
                en=f"mail part size {written} != planned {p.size}",
            )
        out.append(replace(plan, size=written))
        step(plan.path.name)
    return out
