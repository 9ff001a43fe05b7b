"""The office's Excel roll-up of everything received (openpyxl)."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select

from qmintake.models import RevisionRow, SubmissionRow
from qmintake.receipts import iso_utc
from qmintake.settings import IntakeState

KIND_ZH = {"department": "市直部门", "district": "区县", "enterprise": "企业"}
STATUS_ZH = {"open": "未完成", "received": "已送达", "returned": "已退回修改", "accepted": "已采纳"}
HEAD = [
    "回执编号",
    "报送单位",
    "单位类型",
    "所属区县",
    "统一社会信用代码",
    "联系人",
    "联系电话",
    "总结标题",
    "活动数",
    "图片数",
    "视频数",
    "附件总大小(MB)",
    "版本",
    "状态",
    "接收时间",
    "是否按时",
    "逾期(小时)",
    "退回意见",
    "报送编号",
    "报告SHA-256",
]


def export_rollup(st: IntakeState, out: Path, campaign_id: str | None = None) -> int:
    """One row per submission (its newest received revision); returns the row count."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "报送汇总"
    ws.append(HEAD)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    rows = 0
    with st.db.session() as s:
        q = select(SubmissionRow).order_by(SubmissionRow.unit_district, SubmissionRow.unit_name)
        if campaign_id:
            q = q.where(SubmissionRow.campaign_id == campaign_id)
        for sub in s.scalars(q).all():
            received = [r for r in sub.revisions if r.finalised_at is not None]
            rev: RevisionRow | None = received[-1] if received else None
            if rev is None:
                continue
            served = st.campaigns.get(sub.campaign_id)
            report = json.loads(rev.report_json)
            unit = report.get("unit", {})
            media = report.get("media", [])
            district = sub.unit_district
            if served and served.campaign.district(district):
                district = served.campaign.district(district).name_zh  # type: ignore[union-attr]
            local = (
                rev.finalised_at.astimezone(served.campaign.tz).strftime("%Y-%m-%d %H:%M:%S")
                if served and rev.finalised_at
                else iso_utc(rev.finalised_at)  # type: ignore[arg-type]
            )
            ws.append(
                [
                    rev.receipt_number,
                    sub.unit_name,
                    KIND_ZH.get(sub.unit_kind, sub.unit_kind),
                    district,
                    sub.unit_credit_code,
                    unit.get("contact_person", ""),
                    unit.get("phone", ""),
                    report.get("title", ""),
                    len(report.get("activities", [])),
                    sum(1 for m in media if str(m.get("media_type", "")).startswith("image/")),
                    sum(1 for m in media if str(m.get("media_type", "")).startswith("video/")),
                    round(sum(int(m.get("size", 0)) for m in media) / 1024 / 1024, 1),
                    rev.revision,
                    STATUS_ZH.get(sub.status, sub.status),
                    local,
                    "是" if rev.on_time else "否",
                    round(rev.late_by_s / 3600, 1),
                    sub.comment,
                    sub.uuid,
                    rev.report_sha256,
                ]
            )
            rows += 1
    widths = [16, 30, 10, 14, 22, 10, 16, 30, 8, 8, 8, 14, 6, 12, 20, 10, 10, 30, 38, 66]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    ws.freeze_panes = "A2"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    wb.save(tmp)
    tmp.replace(out)
    return rows
