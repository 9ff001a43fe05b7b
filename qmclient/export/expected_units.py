"""Reading the list of units a district expects reports from, out of the office's sheet.

The sheet is whatever the office keeps: the first worksheet, a header row somewhere in
the first ten rows naming at least the unit (单位名称 / 企业名称 / 名称), optionally the
credit code (统一社会信用代码 / 信用代码), the district (区县 / 所属区县) and a contact
(联系人 / 联系电话) and an e-mail address (电子邮箱, for reminders).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from qmclient.core.rollup import ExpectedUnit
from qmclient.core.work import QmError

HEADER_ROWS = 10
MAX_ROWS = 20_000
_COLUMNS = {
    "name": ("单位名称", "企业名称", "单位", "企业", "名称", "name", "unit"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码", "credit code", "credit_code"),
    "district": ("所属区县", "区县", "区县（功能区）", "district"),
    "contact": ("联系人及电话", "联系人", "联系电话", "contact"),
    "email": ("电子邮箱", "电子邮件", "邮箱", "e-mail", "email"),
}


class ExpectedUnitsError(QmError, ValueError):
    """A list of expected units that cannot be read; the message names the file."""

    code = "expected-units"

    def __init__(self, path: Path, *, zh: str, en: str) -> None:
        super().__init__(zh=zh, en=en)
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message_en}"


def _norm(value: object) -> str:
    return str(value).strip().lower().replace(" ", "") if value is not None else ""


def _find_header(rows: list[tuple[object, ...]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_ROWS]):
        cells = [_norm(c) for c in row]
        found: dict[str, int] = {}
        for key, names in _COLUMNS.items():
            wanted = [n.replace(" ", "") for n in names]
            for col, cell in enumerate(cells):
                if cell in wanted and key not in found and col not in found.values():
                    found[key] = col
        if "name" in found:
            return index, found
    return None


def read_expected_units(
    path: Path, district_names: dict[str, str] | None = None
) -> list[ExpectedUnit]:
    """Units listed in an .xlsx sheet.  ``district_names`` maps names (历下区) to ids."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ExpectedUnitsError(path, en="the file does not exist", zh="文件不存在") from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExpectedUnitsError(
            path,
            en=f"not an Excel workbook (.xlsx) ({exc})",
            zh="不是 Excel 工作簿（.xlsx），请另存为 .xlsx 后再导入",
        ) from None
    try:
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS:
                raise ExpectedUnitsError(
                    path,
                    en=f"more than {MAX_ROWS} rows",
                    zh=f"超过 {MAX_ROWS} 行，请检查是否选错了文件",
                )
    finally:
        wb.close()
    header = _find_header(rows)
    if header is None:
        raise ExpectedUnitsError(
            path,
            en="no header row naming the unit column (单位名称) in the first ten rows",
            zh="前十行中找不到“单位名称”表头，请确认表格第一个工作表含有单位名称一列",
        )
    start, cols = header
    names = district_names or {}
    units: list[ExpectedUnit] = []
    seen: set[str] = set()
    for row in rows[start + 1 :]:

        def cell(key: str, row: tuple[object, ...] = row) -> str:
            col = cols.get(key)
            value = row[col] if col is not None and col < len(row) else None
            return str(value).strip() if value is not None else ""

        name = cell("name")
        if not name or name in seen:
            continue
        seen.add(name)
        district = cell("district")
        units.append(
            ExpectedUnit(
                name=name,
                credit_code=cell("credit_code"),
                district=names.get(district, district),
                contact=cell("contact"),
                email=cell("email"),
            )
        )
    if not units:
        raise ExpectedUnitsError(path, en="the sheet lists no units", zh="表格中没有列出任何单位")
    return units
