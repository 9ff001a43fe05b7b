"""Reading the office's list of expected units from an Excel sheet, as offices keep them."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from qmclient.export.expected_units import ExpectedUnitsError, read_expected_units


def sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_a_sheet_with_a_title_row_and_extra_columns(tmp_path: Path) -> None:
    path = sheet(
        tmp_path / "名单.xlsx",
        [
            ["2022年历下区质量月重点企业名单"],
            [],
            ["序号", "企业名称", "统一社会信用代码", "所属区县", "联系人"],
            [1, "济南甲有限公司", "91350100M000100Y43", "历下区", "张三"],
            [2, "  济南乙有限公司 ", None, "历下区", None],
            [3, "济南甲有限公司", "", "历下区", ""],  # listed twice
            [None, None, None, None, None],
        ],
    )
    units = read_expected_units(path, {"历下区": "lixia"})
    assert [(u.name, u.credit_code, u.district, u.contact) for u in units] == [
        ("济南甲有限公司", "91350100M000100Y43", "lixia", "张三"),
        ("济南乙有限公司", "", "lixia", ""),
    ]


@pytest.mark.parametrize(
    ("rows", "expect"),
    [([["序号", "备注"], [1, "x"]], "单位名称"), ([["单位名称"]], "没有列出任何单位")],
)
def test_sheets_that_cannot_be_used(tmp_path: Path, rows: list[list[object]], expect: str) -> None:
    with pytest.raises(ExpectedUnitsError) as info:
        read_expected_units(sheet(tmp_path / "x.xlsx", rows))
    assert expect in info.value.message_zh


def test_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "名单.xlsx"
    fake.write_text("单位名称\n甲公司\n", encoding="utf-8")
    with pytest.raises(ExpectedUnitsError) as info:
        read_expected_units(fake)
    assert ".xlsx" in info.value.message_zh
    with pytest.raises(ExpectedUnitsError):
        read_expected_units(tmp_path / "missing.xlsx")
