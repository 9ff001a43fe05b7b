"""The office's Excel roll-up of everything received (openpyxl).

Sheet 1 "全部" lists every submission (its newest received revision); then a sheet per
district (and one for the city departments); then "未报送单位": the expected units (the
roster) with no received report.  Every text cell goes through the project's one
formula guard (:mod:`qmclient.core.sheetsafe`); text wraps, rows are as high as their
text, the header row is frozen.

``rollup_bytes`` makes the same workbook byte for byte for the same data (fixed
timestamps inside), so the campaign archive that carries it can be resumed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qmclient.core.rollup import ExpectedUnit, matches_unit
from qmclient.core.sheetsafe import cell_value
from qmintake.models import RevisionRow, SubmissionRow
from qmintake.receipts import iso_utc
from qmintake.settings import IntakeState

# openpyxl (and with it numpy and Pillow, 25 MiB) is loaded when a workbook is made, not
# when the server starts: the console's reminders use only the rows
if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

KIND_ZH = {"department": "市直部门", "district": "区县", "enterprise": "企业"}
STATUS_ZH = {"open": "未完成", "received": "已送达", "returned": "已退回修改", "accepted": "已采纳"}
COLUMNS: tuple[tuple[str, float], ...] = (
    ("回执编号", 16),
    ("报送单位", 30),
    ("单位类型", 10),
    ("所属区县", 12),
    ("统一社会信用代码", 22),
    ("联系人", 10),
    ("联系电话", 16),
    ("总结标题", 30),
    ("活动数", 8),
    ("图片数", 8),
    ("视频数", 8),
    ("附件总大小(MB)", 12),
    ("版本", 6),
    ("状态", 12),
    ("接收时间", 20),
    ("是否按时", 10),
    ("逾期(小时)", 10),
    ("退回意见", 30),
    ("报送编号", 38),
    ("报告SHA-256", 66),
)
HEAD = [name for name, _ in COLUMNS]
MISSING_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 6),
    ("单位名称", 36),
    ("所属区县", 12),
    ("统一社会信用代码", 22),
    ("联系人及电话", 24),
    ("电子邮箱", 28),
)
NO_DISTRICT = "市直部门"
MISSING_SHEET = "未报送单位"
LINE_PT = 18.0
PRINTED = 18  # the columns printed (the last two, ids and hashes, are for machines)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@cache
def _styles() -> tuple[Any, Any, Any]:
    """The cells' border, the header's alignment and the body's alignment."""
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin", color="000000")
    return (
        Border(left=thin, right=thin, top=thin, bottom=thin),
        Alignment(horizontal="center", vertical="center", wrap_text=True),
        Alignment(vertical="top", wrap_text=True),
    )


@dataclass(frozen=True)
class RollupRow:
    district: str  # the district's Chinese name, "" for departments
    unit_name: str
    credit_code: str
    values: list[Any]


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide."""
    room = max(width - 1, 1)
    total = 0
    for part in str(text).split("\n"):
        w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in part)
        total += max(1, -(-w // int(room)))
    return total


def write_table(
    ws: Worksheet,
    columns: Sequence[tuple[str, float]],
    data: Sequence[Sequence[Any]],
    printed: int = 0,
) -> None:
    """A header row (frozen) and ``data``: every text guarded, wrapped, rows as high as
    their text."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    border, head_style, wrap = _styles()
    for col, (name, width) in enumerate(columns, 1):
        cell = ws.cell(row=1, column=col, value=name)
        cell.font = Font(bold=True)
        cell.alignment = head_style
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[1].height = LINE_PT * max(_lines(n, w) for n, w in columns)
    styled = None  # the first body cell's style, copied to the others (not looked up again)
    for r, values in enumerate(data, 2):
        height = 1
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=col, value=cell_value(value))
            if isinstance(value, str):
                cell.data_type = "s"
                height = max(height, _lines(value, columns[col - 1][1]))
            if styled is None:
                cell.alignment = wrap
                cell.border = border
                styled = cell._style
            else:
                cell._style = copy(styled)
        ws.row_dimensions[r].height = LINE_PT * min(height, 20)
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if printed:
        ws.print_area = f"A1:{get_column_letter(printed)}{max(len(data) + 1, 1)}"


def rollup_rows(st: IntakeState, campaign_id: str | None = None) -> Iterator[RollupRow]:
    """One row per submission with a received revision (its newest one)."""
    with st.db.session() as s:
        q = select(SubmissionRow).order_by(
            SubmissionRow.unit_district, SubmissionRow.unit_name, SubmissionRow.id
        )
        if campaign_id:
            q = q.where(SubmissionRow.campaign_id == campaign_id)
        for sub in s.scalars(q).all():
            received = [r for r in sub.revisions if r.finalised_at is not None]
            rev: RevisionRow | None = received[-1] if received else None
            if rev is None or rev.finalised_at is None:
                continue
            served = st.campaigns.get(sub.campaign_id)
            report = json.loads(rev.report_json)
            unit = report.get("unit", {})
            media = report.get("media", [])
            found = served.campaign.district(sub.unit_district) if served else None
            district = found.name_zh if found else sub.unit_district
            local = (
                rev.finalised_at.astimezone(served.campaign.tz).strftime("%Y-%m-%d %H:%M:%S")
                if served
                else iso_utc(rev.finalised_at)
            )
            values = [
                rev.receipt_number,
                sub.unit_name,
                KIND_ZH.get(sub.unit_kind, sub.unit_kind),
                district,
                sub.unit_credit_code,
                str(unit.get("contact_person", "")),
                str(unit.get("phone", "")),
                str(report.get("title", "")),
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
            yield RollupRow(district, sub.unit_name, sub.unit_credit_code, values)


def not_reported(expected: Sequence[ExpectedUnit], rows: Sequence[RollupRow]) -> list[ExpectedUnit]:
    """The expected units no received report matches (same credit code or name)."""
    return [
        e for e in expected if not any(matches_unit(e, r.unit_name, r.credit_code) for r in rows)
    ]


def _sheet_title(name: str, taken: set[str]) -> str:
    base = "".join(c for c in name if c not in "[]:*?/\\")[:28] or "未分区县"
    title, n = base, 2
    while title in taken:
        title, n = f"{base}{n}", n + 1
    taken.add(title)
    return title


def build_workbook(
    st: IntakeState,
    campaign_id: str | None = None,
    expected: Sequence[ExpectedUnit] | None = None,
) -> tuple[Workbook, int]:
    """The roll-up workbook and its number of submissions."""
    from openpyxl import Workbook

    rows = list(rollup_rows(st, campaign_id))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "全部"
    taken = {"全部", MISSING_SHEET}
    write_table(ws, COLUMNS, [r.values for r in rows], PRINTED)
    by_district: dict[str, list[RollupRow]] = {}
    for r in rows:
        by_district.setdefault(r.district or NO_DISTRICT, []).append(r)
    for name in sorted(by_district, key=lambda d: (d == NO_DISTRICT, d)):
        part = by_district[name]
        write_table(wb.create_sheet(_sheet_title(name, taken)), COLUMNS, [r.values for r in part])
    missing_ws = wb.create_sheet(MISSING_SHEET)
    if expected is None:
        write_table(missing_ws, (("说明", 60),), [["未提供应报单位名单，无法列出未报送单位。"]])
    else:
        names = _district_names(st, campaign_id)
        missing = not_reported(expected, rows)
        write_table(
            missing_ws,
            MISSING_COLUMNS,
            [
                [i, e.name, names.get(e.district, e.district), e.credit_code, e.contact, e.email]
                for i, e in enumerate(missing, 1)
            ],
        )
    return wb, len(rows)


def _district_names(st: IntakeState, campaign_id: str | None) -> dict[str, str]:
    served = [st.campaigns.get(campaign_id)] if campaign_id else st.campaigns.all()
    return {d.id: d.name_zh for s in served if s for d in s.campaign.districts}


def export_rollup(
    st: IntakeState,
    out: Path,
    campaign_id: str | None = None,
    expected: Sequence[ExpectedUnit] | None = None,
) -> int:
    """Write the roll-up to ``out`` (atomically); returns the number of submissions."""
    wb, n = build_workbook(st, campaign_id, expected)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    wb.save(tmp)
    tmp.replace(out)
    return n


def export_bytes(
    st: IntakeState, campaign_id: str | None, expected: Sequence[ExpectedUnit] | None = None
) -> bytes:
    """The roll-up workbook as bytes (for a download)."""
    wb, _n = build_workbook(st, campaign_id, expected)
    raw = io.BytesIO()
    wb.save(raw)
    return raw.getvalue()


def rollup_bytes(
    st: IntakeState,
    campaign_id: str | None,
    expected: Sequence[ExpectedUnit] | None,
    stamp: dt.datetime,
) -> bytes:
    """The workbook as bytes, the same for the same data: its document times are
    ``stamp`` and the times inside its zip are fixed."""
    wb, _n = build_workbook(st, campaign_id, expected)
    naive = stamp.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    wb.properties.created = naive
    wb.properties.creator = "qmintake"
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps "modified" with the time of saving: put ours back below
    return _fixed_times(raw.getvalue(), naive.isoformat() + "Z")


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_times(data: bytes, stamp: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, body)
    return out.getvalue()
