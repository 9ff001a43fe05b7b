"""What lets a coordinator rebuild a report from the e-mail export: headers and a manifest.

Every part of an exported mail carries ``X-QM-Submission`` (the UUID), ``X-QM-Revision``
and ``X-QM-Part: i/n``; part 1 also carries ``qm-manifest.json``: the report as sent
(media references pointing at the attached bytes, which may be downscaled copies), its
hash, and every attached file's name, SHA-256, size and part number.

Reading (:func:`read_mail`) is for files from strangers: a size cap, a cap on attachments,
names never used as paths, and every problem a :class:`PackageError` with a stable reason.
:func:`assemble` checks a set of parts against the manifest (all parts there, every file
there with its size and hash) and returns the report and its media files.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from qmclient.core.boundedjson import JsonRefused, loads_bounded
from qmclient.core.report import MediaRef, Report
from qmclient.export.errors import PackageError
from qmclient.export.package import MANIFEST_BOUNDS, report_in_manifest

MANIFEST_NAME = "qm-manifest.json"
FORMAT = "qmmail"
FORMAT_VERSION = 1
MAX_MAIL_BYTES = 256 * 1024 * 1024
MAX_ATTACHMENTS = 500
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
H_SUBMISSION, H_REVISION, H_PART = "X-QM-Submission", "X-QM-Revision", "X-QM-Part"
_PART = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")
_UUID = re.compile(r"^[0-9a-fA-F-]{36}$")


def headers(uuid: str, revision: int, index: int, total: int) -> list[str]:
    return [f"{H_SUBMISSION}: {uuid}", f"{H_REVISION}: {revision}", f"{H_PART}: {index}/{total}"]


@dataclass(frozen=True)
class SentFile:
    name: str
    sha256: str
    size: int
    part: int
    media_sha256: str = ""  # the report's media reference this file stands for


def report_as_sent(report: Report, sent: dict[str, MediaRef | None]) -> Report:
    """``report`` with each media reference replaced by what was attached (``None``:
    left out of the mail, e.g. a video too large to send)."""
    media = []
    for m in report.media:
        if m.sha256 not in sent:
            media.append(m)
            continue
        new = sent[m.sha256]
        if new is not None:
            media.append(new)
    return Report(
        report.uuid,
        report.campaign_id,
        report.revision,
        report.title,
        report.summary,
        report.unit,
        list(report.activities),
        media,
    )


def manifest_bytes(report: Report, files: Sequence[SentFile], pad_to: int = 0) -> bytes:
    """The manifest; padded with spaces to ``pad_to`` bytes (its size is planned before
    the part numbers are known)."""
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "report_hash": report.report_hash(),
        "report": report.to_dict(),
        "files": [
            {
                "name": f.name,
                "sha256": f.sha256,
                "size": f.size,
                "part": f.part,
                "media_sha256": f.media_sha256,
            }
            for f in files
        ],
    }
    data = json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    if pad_to:
        if len(data) > pad_to:
            raise ValueError("manifest grew past its planned size")
        data += b" " * (pad_to - len(data))
    return data


# ----------------------------------------------------------------------------- reading


def _refuse(reason: str, zh: str, en: str) -> PackageError:
    return PackageError(reason, zh=zh, en=en)


@dataclass
class MailAttachment:
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ReadMail:
    path: Path
    subject: str = ""
    uuid: str = ""
    revision: int = 0
    index: int = 0
    total: int = 0
    attachments: list[MailAttachment] = field(default_factory=list)

    @property
    def is_part(self) -> bool:
        return bool(self.uuid and self.total)

    @property
    def packages(self) -> list[MailAttachment]:
        return [a for a in self.attachments if a.name.lower().endswith(".qmpkg")]

    @property
    def manifest(self) -> MailAttachment | None:
        return next((a for a in self.attachments if a.name == MANIFEST_NAME), None)


def _safe_name(name: str) -> str:
    """Only the last path component, never used as a path by us anyway."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]


def read_headers(path: Path) -> ReadMail:
    """Only the headers (which report and part a mail is), without its attachments: a
    folder of large mails is grouped without holding them in memory.  Raises
    :class:`PackageError` for what cannot be read."""
    _check_file(path)
    try:
        with open(path, "rb") as fh:
            msg = BytesParser(policy=policy.default).parse(fh, headersonly=True)
    except OSError as exc:
        raise _refuse(
            "unreadable",
            f"无法读取 {path.name}（{exc.strerror or exc}）",
            f"{path.name} cannot be read ({exc.strerror or exc})",
        ) from None
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise _refuse("not-a-mail", f"{path.name} 不是电子邮件", f"{path.name} is not a mail")
    out = ReadMail(path, subject=str(msg.get("Subject", "") or ""))
    _part_headers(out, msg)
    return out


def _check_file(path: Path) -> None:
    try:
        if path.is_symlink() or not path.is_file():
            raise _refuse(
                "not-a-file", f"{path.name} 不是普通文件", f"{path.name} is not a regular file"
            )
        size = path.stat().st_size
        if size == 0:
            raise _refuse("corrupt", f"{path.name} 是空文件", f"{path.name} is empty")
        if size > MAX_MAIL_BYTES:
            raise _refuse(
                "too-large",
                f"{path.name} 超过 {MAX_MAIL_BYTES // 2**20} MB，不像是一封报送邮件",
                f"{path.name} is larger than {MAX_MAIL_BYTES // 2**20} MB; not a report mail",
            )
    except OSError as exc:
        raise _refuse(
            "unreadable",
            f"无法读取 {path.name}（{exc.strerror or exc}）",
            f"{path.name} cannot be read ({exc.strerror or exc})",
        ) from None


def read_mail(path: Path) -> ReadMail:
    """Parse one .eml with its attachments; raises :class:`PackageError`."""
    _check_file(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _refuse(
            "unreadable",
            f"无法读取 {path.name}（{exc.strerror or exc}）",
            f"{path.name} cannot be read ({exc.strerror or exc})",
        ) from None
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise _refuse("not-a-mail", f"{path.name} 不是电子邮件", f"{path.name} is not a mail")
    out = ReadMail(path, subject=str(msg.get("Subject", "") or ""))
    _part_headers(out, msg)
    _attachments(out, msg)
    return out


def _part_headers(out: ReadMail, msg: EmailMessage) -> None:
    path = out.path
    uuid = str(msg.get(H_SUBMISSION, "") or "").strip()
    part = _PART.match(str(msg.get(H_PART, "") or ""))
    rev = str(msg.get(H_REVISION, "") or "").strip()
    if uuid or part:
        if not (_UUID.match(uuid) and part and rev.isdigit()):
            raise _refuse(
                "bad-manifest",
                f"{path.name} 的报送信息（X-QM-*）不完整或格式错误",
                f"{path.name} has malformed X-QM-* headers",
            )
        out.uuid, out.revision = uuid.lower(), int(rev)
        out.index, out.total = int(part.group(1)), int(part.group(2))
        if not 1 <= out.index <= out.total:
            raise _refuse(
                "bad-manifest",
                f"{path.name} 的分封编号 {out.index}/{out.total} 无效",
                f"{path.name} has an invalid part number {out.index}/{out.total}",
            )


def _attachments(out: ReadMail, msg: EmailMessage) -> None:
    path = out.path
    try:
        for part_msg in msg.iter_attachments():
            if len(out.attachments) >= MAX_ATTACHMENTS:
                raise _refuse(
                    "too-many-entries",
                    f"{path.name} 的附件数量异常",
                    f"{path.name} has too many attachments",
                )
            name = _safe_name(part_msg.get_filename() or "")
            payload = part_msg.get_payload(decode=True)
            if not name or not isinstance(payload, bytes):
                continue
            out.attachments.append(MailAttachment(name, payload))
    except PackageError:
        raise
    except (ValueError, TypeError, LookupError) as exc:
        raise _refuse(
            "corrupt",
            f"{path.name} 的附件无法解码（{exc}）",
            f"{path.name}: bad attachment ({exc})",
        ) from None


@dataclass
class Assembled:
    report: Report
    report_hash: str
    files: dict[str, MailAttachment]  # sha256 -> bytes, the report's media


def _manifest(part1: ReadMail) -> dict[str, Any]:
    att = part1.manifest
    if att is None:
        raise _refuse(
            "not-a-package",
            "第1封邮件中没有报送清单（qm-manifest.json），无法还原报告",
            "part 1 carries no qm-manifest.json; the report cannot be rebuilt",
        )
    if len(att.data) > MAX_MANIFEST_BYTES:
        raise _refuse("too-large", "报送清单过大", "the manifest is too large")
    try:
        doc = loads_bounded(att.data, att.name or "qm-manifest.json", MANIFEST_BOUNDS)
    except JsonRefused as exc:
        raise _refuse(
            "bad-manifest",
            f"邮件中的报送清单无法读取（{exc.message_zh}）",
            f"the mail's manifest cannot be read ({exc.message_en})",
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _refuse("bad-manifest", "报送清单格式不对", "the manifest is not a qmmail manifest")
    version = doc.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _refuse(
            "newer-format",
            "邮件由更新版本的 qmclient 导出，请升级本程序后再导入",
            "the mail was made by a newer qmclient; upgrade to import it",
        )
    return doc


def assemble(parts: Sequence[ReadMail]) -> Assembled:
    """Check a set of parts of one submission revision and rebuild its report."""
    total = max(p.total for p in parts)
    by_index: dict[int, ReadMail] = {}
    for p in parts:
        if p.total != total:
            raise _refuse(
                "bad-manifest",
                "同一报告的邮件分封总数不一致",
                "the parts disagree about how many parts there are",
            )
        by_index.setdefault(p.index, p)
    missing = [i for i in range(1, total + 1) if i not in by_index]
    if missing:
        listed = "、".join(f"{i}/{total}" for i in missing)
        raise _refuse(
            "missing-parts",
            f"邮件不完整：缺少第 {listed} 封，请让对方补发",
            f"missing parts {', '.join(f'{i}/{total}' for i in missing)}; ask for them again",
        )
    doc = _manifest(by_index[1])
    report = report_in_manifest(doc, "邮件")
    if report.uuid.lower() != parts[0].uuid or report.revision != parts[0].revision:
        raise _refuse(
            "bad-manifest",
            "邮件头中的报告编号或版本与清单不一致",
            "the X-QM headers and the manifest name different reports",
        )
    listed: dict[str, dict[str, Any]] = {}
    for f in doc.get("files") or []:
        if isinstance(f, dict) and isinstance(f.get("sha256"), str):
            listed[f["sha256"]] = f
    files: dict[str, MailAttachment] = {}
    for m in report.media:
        entry = listed.get(m.sha256)
        if entry is None:
            raise _refuse(
                "bad-manifest",
                f"清单没有列出“{m.original_name}”的附件",
                f"the manifest lists no attachment for {m.original_name}",
            )
        part = by_index.get(int(entry.get("part") or 0))
        found = (
            next((a for a in part.attachments if a.name == entry.get("name")), None)
            if part
            else None
        )
        if found is None:
            raise _refuse(
                "missing-file",
                f"第{entry.get('part')}封邮件中缺少附件“{entry.get('name')}”",
                f"part {entry.get('part')} lacks the attachment {entry.get('name')}",
            )
        if len(found.data) != m.size or entry.get("size") != m.size:
            raise _refuse(
                "size-mismatch",
                f"附件“{found.name}”的大小与清单不符，邮件不完整或被篡改",
                f"the attachment {found.name} is not the size the manifest says",
            )
        if found.sha256 != m.sha256:
            raise _refuse(
                "hash-mismatch",
                f"附件“{found.name}”的校验值与清单不符，邮件已损坏或被篡改",
                f"the attachment {found.name} does not match its SHA-256",
            )
        files[m.sha256] = found
    return Assembled(report, report.report_hash(), files)
