"""Receipts: the office's signed answer to a finalised revision, as kept with it; shown to
people, saved to a file."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qmclient.core.boundedjson import JsonBounds, loads_bounded
from qmclient.core.files import atomic_write
from qmclient.services import drafts, settings
from qmclient.services.context import AppContext
from qmclient.services.records import revision_row
from qmclient.store.models import SubmissionRevision
from qmclient.sync.errors import SyncError


def receipt_of(
    ctx: AppContext, submission_id: int, revision: int | None = None
) -> dict[str, Any] | None:
    """The receipt of a revision (the newest received one by default)."""
    with ctx.store.read() as s:
        q = select(SubmissionRevision).where(
            SubmissionRevision.submission_id == submission_id,
            SubmissionRevision.receipt_json.is_not(None),
        )
        if revision is not None:
            q = q.where(SubmissionRevision.revision == revision)
        row = s.scalars(q.order_by(SubmissionRevision.revision.desc())).first()
        return None if row is None or not row.receipt_json else json.loads(row.receipt_json)


def receipt_text(receipt: dict[str, Any], lang: str = "zh") -> str:
    """The receipt for people: what arrived, when, on time or late, and the hashes."""
    zh = lang.startswith("zh")
    on_time = bool(receipt.get("on_time"))
    late_h = int(receipt.get("late_by_s") or 0) / 3600
    lines = [
        "质量月活动情况总结 报送回执" if zh else "Quality Month report: receipt",
        f"{'回执编号' if zh else 'Receipt number'}: {receipt.get('receipt_number', '')}",
        f"{'报告编号' if zh else 'Submission'}: {receipt.get('submission_uuid', '')} "
        f"({'第' if zh else 'revision '}{receipt.get('revision', '')}{'版' if zh else ''})",
        f"{'报送单位' if zh else 'Unit'}: {(receipt.get('unit') or {}).get('name', '')}",
        f"{'收到时间' if zh else 'Received'}: {receipt.get('received_at_local', '')}",
        f"{'截止时间' if zh else 'Due'}: {receipt.get('due', '')}",
        (
            ("按时报送" if on_time else f"逾期约 {_late_text(late_h, zh)}")
            if zh
            else ("on time" if on_time else f"late by about {_late_text(late_h, zh)}")
        ),
        f"{'报告校验值' if zh else 'Report SHA-256'}: {receipt.get('report_sha256', '')}",
        f"{'文件' if zh else 'Files'} ({len(receipt.get('files') or [])}):",
    ]
    for f in receipt.get("files") or []:
        lines.append(f"  {f.get('sha256', '')}  {f.get('size', 0)}  {f.get('media_type', '')}")
    return "\n".join(lines) + "\n"


def _late_text(hours: float, zh: bool) -> str:
    if hours >= 48:
        return f"{hours / 24:.0f} 天" if zh else f"{hours / 24:.0f} days"
    return f"{hours:.1f} 小时" if zh else f"{hours:.1f} hours"


def export_receipt(ctx: AppContext, submission_id: int, dest: Path, lang: str = "zh") -> Path:
    """Write the receipt as ``.json`` (exact) or text (anything else), atomically."""
    receipt = receipt_of(ctx, submission_id)
    if receipt is None:
        raise drafts.NotFoundError(
            zh="这份报告还没有回执（牵头单位收到后才有）。",
            en="this report has no receipt yet (it comes when the office has received it)",
        )
    if dest.suffix.lower() == ".json":
        text = json.dumps(receipt, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    else:
        text = receipt_text(receipt, lang)
    try:
        atomic_write(dest, text.encode("utf-8"))
    except OSError as exc:
        raise SyncError(
            "receipt-not-written",
            zh=f"回执无法写入 {dest}（{exc.strerror}）。请换一个位置或释放磁盘空间后重试。",
            en=f"The receipt could not be written to {dest} ({exc.strerror}). Choose another "
            "place or free disk space and try again.",
            kind="action",
        ) from None
    return dest


# ----------------------------------------------------------------------------- checking

RECEIPT_BOUNDS = JsonBounds(max_bytes=4 * 1024 * 1024, max_depth=8, max_items=20_000)


@dataclass(frozen=True)
class ReceiptCheck:
    """``state``: "valid", "invalid" (altered or forged), "unsigned", or "unknown-key"
    (signed by a key this computer was never given)."""

    state: str
    key_id: str = ""
    fingerprint: str = ""  # of the public key it was checked against (or would be)

    @property
    def valid(self) -> bool:
        return self.state == "valid"

    def text(self, lang: str = "zh") -> str:
        zh = {
            "valid": "签名有效：回执由报送办公室签发，内容未被改动。",
            "invalid": "签名无效：回执内容被改动过，或不是报送办公室签发的。",
            "unsigned": "这份回执没有签名。",
            "unknown-key": "无法核对签名：本机没有签发这份回执的办公室公钥（请先连接报送服务器）。",
        }
        en = {
            "valid": "Signature valid: issued by the office and not altered.",
            "invalid": "Signature INVALID: the receipt was altered or not issued by the office.",
            "unsigned": "This receipt carries no signature.",
            "unknown-key": "The signature cannot be checked: this computer does not have the "
            "office's public key that signed it (connect to the intake server first).",
        }
        return (zh if lang.startswith("zh") else en)[self.state]


def remember_receipt_key(ctx: AppContext, key: Any) -> None:
    """Keep the office's public receipt key (from discovery) to check receipts offline."""
    if not isinstance(key, dict) or not key.get("key_id") or not key.get("public_key"):
        return
    keys = _known_keys(ctx)
    entry = {"alg": key.get("alg"), "public_key": key["public_key"]}
    if keys.get(str(key["key_id"])) != entry:
        keys[str(key["key_id"])] = entry
        settings.write(ctx, settings.RECEIPT_KEYS, keys)


def _known_keys(ctx: AppContext) -> dict[str, Any]:
    known: dict[str, Any] | None = settings.read(ctx, settings.RECEIPT_KEYS)
    return dict(known or {})


def _canonical(receipt: dict[str, Any]) -> bytes:
    body = {k: v for k, v in receipt.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def verify_receipt(
    ctx: AppContext, receipt: dict[str, Any], public_key_b64: str | None = None
) -> ReceiptCheck:
    """Check the office's Ed25519 signature on ``receipt``, offline."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    sig = receipt.get("signature")
    if not isinstance(sig, dict) or sig.get("alg") != "Ed25519":
        return ReceiptCheck("unsigned")
    key_id = str(sig.get("key_id") or "")
    if public_key_b64 is None:
        known = _known_keys(ctx).get(key_id)
        if not isinstance(known, dict):
            return ReceiptCheck("unknown-key", key_id)
        public_key_b64 = str(known.get("public_key") or "")
    fingerprint = key_fingerprint(public_key_b64)
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(base64.b64decode(str(sig.get("value", ""))), _canonical(receipt))
    except (InvalidSignature, ValueError):
        return ReceiptCheck("invalid", key_id, fingerprint)
    return ReceiptCheck("valid", key_id, fingerprint)


def key_fingerprint(public_key_b64: str) -> str:
    """A public key as people compare it: the first 16 bytes of its SHA-256, in groups
    (``3F2A 91C0 …``); empty when it is not base64."""
    try:
        raw = base64.b64decode(public_key_b64, validate=True)
    except ValueError:
        return ""
    digest = hashlib.sha256(raw).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


@dataclass(frozen=True)
class ReceiptFile:
    """A file the receipt names, with the name it has in the report on this computer."""

    name: str
    media_type: str
    size: int
    sha256: str


def receipt_files(
    ctx: AppContext, submission_id: int, receipt: dict[str, Any]
) -> list[ReceiptFile]:
    """The receipt's files (hash, size, type), named from the revision kept here."""
    names: dict[str, str] = {}
    with ctx.store.read() as s:
        revision = receipt.get("revision")
        row = revision_row(s, submission_id, revision) if revision is not None else None
        report_json = row.report_json if row is not None else ""
    if report_json:
        doc = loads_bounded(report_json, "report", RECEIPT_BOUNDS)
        for m in doc.get("media") or [] if isinstance(doc, dict) else []:
            if isinstance(m, dict) and isinstance(m.get("sha256"), str):
                names.setdefault(m["sha256"], str(m.get("original_name") or ""))
    out = []
    for f in receipt.get("files") or []:
        if not isinstance(f, dict):
            continue
        sha = str(f.get("sha256") or "")
        size = f.get("size")
        out.append(
            ReceiptFile(
                names.get(sha, ""),
                str(f.get("media_type") or ""),
                size if isinstance(size, int) else 0,
                sha,
            )
        )
    return out


def read_receipt_file(path: Path) -> dict[str, Any]:
    """A receipt saved as ``.json`` (``qmclient receipt ID --export FILE.json``)."""
    what = f"回执文件 {path.name}"
    try:
        with open(path, "rb") as fh:
            data = fh.read(RECEIPT_BOUNDS.max_bytes + 1)
    except OSError as exc:
        raise SyncError(
            "receipt-unreadable",
            zh=f"无法读取回执文件 {path}（{exc.strerror or exc}）。",
            en=f"The receipt file {path} cannot be read ({exc.strerror or exc}).",
            kind="action",
        ) from None
    doc = loads_bounded(data, what, RECEIPT_BOUNDS)
    if not isinstance(doc, dict) or "receipt_number" not in doc:
        raise SyncError(
            "receipt-not-a-receipt",
            zh=f"{what} 不是报送回执（应为保存的 .json 回执）。",
            en=f"{path.name} is not a receipt (expected a saved .json receipt).",
            kind="action",
        )
    return doc
