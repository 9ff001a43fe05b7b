"""Receipts: the office's signed answer to a finalised revision, as kept with it; shown to
people, saved to a file."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qmclient.services import drafts
from qmclient.services.context import AppContext
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
            ("按时报送" if on_time else f"逾期约 {late_h:.1f} 小时")
            if zh
            else ("on time" if on_time else f"late by about {late_h:.1f} hours")
        ),
        f"{'报告校验值' if zh else 'Report SHA-256'}: {receipt.get('report_sha256', '')}",
        f"{'文件' if zh else 'Files'} ({len(receipt.get('files') or [])}):",
    ]
    for f in receipt.get("files") or []:
        lines.append(f"  {f.get('sha256', '')}  {f.get('size', 0)}  {f.get('media_type', '')}")
    return "\n".join(lines) + "\n"


def export_receipt(ctx: AppContext, submission_id: int, dest: Path, lang: str = "zh") -> Path:
    """Write the receipt as ``.json`` (exact) or text (anything else), atomically."""
    receipt = receipt_of(ctx, submission_id)
    if receipt is None:
        raise drafts.NotFoundError("this report has no receipt yet")
    if dest.suffix.lower() == ".json":
        text = json.dumps(receipt, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    else:
        text = receipt_text(receipt, lang)
    tmp = dest.with_name(dest.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SyncError(
            "receipt-not-written",
            f"回执无法写入 {dest}（{exc.strerror}）。请换一个位置或释放磁盘空间后重试。",
            f"The receipt could not be written to {dest} ({exc.strerror}). Choose another "
            "place or free disk space and try again.",
            kind="action",
        ) from None
    return dest
