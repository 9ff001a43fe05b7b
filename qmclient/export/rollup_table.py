"""The district's roll-up workbook: every activity of every unit, counts, who is missing.

Sheet 1 has the same columns as the single report's table (:mod:`.xlsx_table`, whose rows
it reuses, numbered through); then the count by focus area, the count by unit, and the
expected units that have not reported.  Text is neutralised against formula injection
exactly as in the single table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qmclient.core.campaign import Campaign
from qmclient.core.rollup import Rollup
from qmclient.export.text import xml_safe
from qmclient.export.xlsx_table import COLUMNS, FONT, neutralise, rows

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _sheet(
    ws: Worksheet,
    title: str,
    columns: Sequence[tuple[str, float]],
    data: Sequence[Sequence[Any]],
    centred: frozenset[int] = frozenset({1}),
) -> None:
    ws.cell(row=1, column=1, value=neutralise(title)).font = Font(name=FONT, size=16, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.row_dimensions[1].height = 30
    for col, (name, width) in enumerate(columns, 1):
        cell = ws.cell(row=2, column=col, value=name)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = _CENTRE
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, values in enumerate(data, 3):
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=col)
            cell.value = neutralise(value) if isinstance(value, str) else value
            if isinstance(value, str):
                cell.data_type = "s"
            cell.font = Font(name=FONT, size=11)
            cell.alignment = _CENTRE if col in centred else _WRAP
            cell.border = _BORDER
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def activity_rows(rollup: Rollup, campaign: Campaign) -> list[list[Any]]:
    """Sheet 1's rows: each report's rows as in the single table, numbered through."""
    out: list[list[Any]] = []
    for report in rollup.reports:
        for row in rows(report, campaign):
            out.append([len(out) + 1, *row[1:]])
    return out


def write_rollup(out: BinaryIO, rollup: Rollup, campaign: Campaign, district_name: str) -> None:
    wb = Workbook()
    who = district_name or "全市"
    ws = wb.active
    ws.title = "活动情况"
    _sheet(
        ws,
        f"{who}{campaign.year}年“质量月”主要活动情况汇总表",
        COLUMNS,
        activity_rows(rollup, campaign),
        frozenset({1, 7}),
    )
    names = {f.id: f.name_zh for f in campaign.focus_areas}
    by_area = [
        [i, names.get(area, area or "其他"), n]
        for i, (area, n) in enumerate(rollup.by_focus_area.items(), 1)
    ]
    by_area.append(["", "合计", sum(rollup.by_focus_area.values())])
    _sheet(
        wb.create_sheet("按活动重点统计"),
        "按活动重点统计",
        (("序号", 6), ("活动重点", 40), ("活动数", 10)),
        by_area,
        frozenset({1, 3}),
    )
    by_unit = [[i, unit, n] for i, (unit, n) in enumerate(rollup.by_unit.items(), 1)]
    _sheet(
        wb.create_sheet("按单位统计"),
        "按单位统计",
        (("序号", 6), ("单位", 40), ("活动数", 10)),
        by_unit,
        frozenset({1, 3}),
    )
    missing = [[i, e.name, e.credit_code, e.contact] for i, e in enumerate(rollup.not_reported, 1)]
    _sheet(
        wb.create_sheet("未报送单位"),
        f"未报送单位（{len(missing)}家）",
        (("序号", 6), ("单位", 40), ("统一社会信用代码", 24), ("联系人及电话", 24)),
        missing,
    )
    wb.properties.title = xml_safe(f"{who}质量月活动汇总")
    wb.properties.creator = "qmclient"
    wb.save(out)
