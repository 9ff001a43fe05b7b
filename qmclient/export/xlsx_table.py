"""The Excel table of activities, laid out as the office tabulates them.

One row per activity under a title row and a frozen header row: 序号, 单位, 活动名称,
重点领域, 时间, 地点, 参与人数, 活动内容, 成效, 联系人及电话.  Widths are set, text wraps,
the page prints landscape on A4 with the header repeated.  Text that a spreadsheet would
run as a formula is stored with a leading apostrophe by the project's one formula guard
(:mod:`qmclient.core.sheetsafe`), so a crafted activity name cannot become a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qmclient.core.campaign import Campaign
from qmclient.core.report import Report
from qmclient.core.sheetsafe import neutralise
from qmclient.export.naming import area_groups
from qmclient.export.text import period_zh, xml_safe

COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 6),
    ("单位", 22),
    ("活动名称", 24),
    ("重点领域", 18),
    ("时间", 18),
    ("地点", 18),
    ("参与人数", 10),
    ("活动内容", 48),
    ("成效", 36),
    ("联系人及电话", 20),
)
HEADERS = tuple(name for name, _ in COLUMNS)
FONT = "宋体"


def rows(report: Report, campaign: Campaign) -> list[list[Any]]:
    """The table's data rows (as written, after neutralising)."""
    u = report.unit
    district = campaign.district(u.district)
    unit = u.name.strip() + (f"（{district.name_zh}）" if district else "")
    contact = " ".join(t for t in (u.contact_person.strip(), u.phone.strip()) if t)
    out: list[list[Any]] = []
    for group in area_groups(report, campaign):
        for a in group.activities:
            out.append(
                [
                    len(out) + 1,
                    neutralise(unit),
                    neutralise(a.name.strip()),
                    neutralise(group.name_zh),
                    neutralise(period_zh(a.start_date, a.end_date)),
                    neutralise(a.place.strip()),
                    a.participants,
                    neutralise(a.description.strip()),
                    neutralise(a.results.strip()),
                    neutralise(contact),
                ]
            )
    return out


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")


def write_sheet(
    ws: Worksheet,
    title: str,
    columns: Sequence[tuple[str, float]],
    data: Sequence[Sequence[Any]],
    centred: frozenset[int] = frozenset({1}),
) -> None:
    """A titled, bordered, printable sheet: title row, header row, then ``data``."""
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


def write_table(out: BinaryIO, report: Report, campaign: Campaign) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "活动情况"
    title = f"{campaign.year}年“质量月”主要活动情况表"
    write_sheet(ws, title, COLUMNS, rows(report, campaign), centred=frozenset({1, 7}))
    wb.properties.title = xml_safe(title)
    wb.properties.creator = xml_safe(report.unit.name)[:255] or "qmclient"
    wb.save(out)
