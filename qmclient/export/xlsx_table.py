"""The Excel table of activities, laid out as the office tabulates them.

One row per activity under a title row and a frozen header row: 序号, 单位, 活动名称,
重点领域, 时间, 地点, 参与人数, 活动内容, 成效, 联系人及电话.  Columns are as wide as
their Chinese text needs (up to a maximum each), text wraps and every row is as high as
its most wrapped cell — spreadsheets do not grow rows by themselves when a file is
opened, so LibreOffice and WPS would cut the text off.  The page prints landscape on A4,
fitted to the width, with the title and header rows repeated and page numbers below.
Text that a spreadsheet would run as a formula is stored with a leading apostrophe by the
project's one formula guard (:mod:`qmclient.core.sheetsafe`), so a crafted activity name
cannot become a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
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
FONT_SIZE = 11
LINE_HEIGHT = 14.5  # pt: one line of 11 pt 宋体
CJK_UNITS = 2.2  # a Chinese character of 11 pt 宋体 in column-width units (a digit ≈ 1.1)
MIN_WIDTH = 6.0


def text_units(text: str) -> float:
    """Width of ``text`` in column-width units (the width of one digit of the default font)."""
    return sum(CJK_UNITS if unicodedata.east_asian_width(c) in "WF" else 1.1 for c in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` units wide."""
    room = max(width - 1.5, 1.0)  # the cell's padding
    return sum(max(1, math.ceil(text_units(part) / room)) for part in text.split("\n"))


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
    widths = []
    for col, (name, most) in enumerate(columns, 1):
        cell = ws.cell(row=2, column=col, value=name)
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=True)
        cell.alignment = _CENTRE
        cell.border = _BORDER
        # as wide as the longest text needs (header included), up to the column's maximum
        longest = max(
            [text_units(name)]
            + [text_units(line) for v in data for line in _text(v[col - 1]).split("\n")]
        )
        width = max(MIN_WIDTH, min(float(most), longest + 2))
        widths.append(width)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[2].height = _height([name for name, _ in columns], widths)
    for r, values in enumerate(data, 3):
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=col)
            cell.value = neutralise(value) if isinstance(value, str) else value
            if isinstance(value, str):
                cell.data_type = "s"
            cell.font = Font(name=FONT, size=FONT_SIZE)
            cell.alignment = _CENTRE if col in centred else _WRAP
            cell.border = _BORDER
        ws.row_dimensions[r].height = _height([_text(v) for v in values], widths)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _height(texts: Sequence[str], widths: Sequence[float]) -> float:
    """Row height (pt) for the most wrapped cell of a row; rows do not grow by themselves."""
    lines = max(wrapped_lines(t, w) for t, w in zip(texts, widths, strict=False))
    return lines * LINE_HEIGHT + 6


def write_table(out: BinaryIO, report: Report, campaign: Campaign, *, draft: bool = False) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "活动情况"
    title = ("【草稿】" if draft else "") + f"{campaign.year}年“质量月”主要活动情况表"
    write_sheet(ws, title, COLUMNS, rows(report, campaign), centred=frozenset({1, 7}))
    wb.properties.title = xml_safe(title)
    wb.properties.creator = xml_safe(report.unit.name)[:255] or "qmclient"
    save_dated(wb, out)


def save_dated(wb: Workbook, out: BinaryIO) -> None:
    """Save with the document's dates set to the day, not the second: ``Workbook.save``
    stamps the current time, and the compressed file's size then changes from one second
    to the next — the export's preview would give a size one byte off."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    today = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time())
    wb.properties.created = wb.properties.modified = today
    with ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
