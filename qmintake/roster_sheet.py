"""The rows of a roster spreadsheet (.xlsx or .csv) as text, found by their column names
in Chinese or English; bounded in unpacked size and cell length, and a file that cannot
be read raises :class:`RosterFileError` saying what to do."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from qmclient.core.work import QmError

MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_CELL = 500
FIELDS = ("name", "kind", "district", "credit_code", "contact_person", "phone", "email")
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("单位名称", "名称", "单位", "name", "unit name", "unit"),
    "kind": ("类型", "单位类型", "类别", "kind", "type"),
    "district": ("区县", "所属区县", "区县（功能区）", "所在区县", "district"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit code", "credit_code"),
    "contact_person": ("联系人", "contact", "contact person", "contact_person"),
    "phone": ("联系电话", "电话", "手机", "phone", "telephone"),
    "email": ("电子邮箱", "邮箱", "电子邮件", "email", "e-mail"),
}
REQUIRED = ("name", "kind")
FIELD_ZH = {
    "name": "单位名称",
    "kind": "类型",
    "district": "区县",
    "credit_code": "统一社会信用代码",
    "contact_person": "联系人",
    "phone": "联系电话",
    "email": "电子邮箱",
}


class RosterFileError(QmError):
    """A roster file that cannot be read at all (not one bad row)."""


def cell(value: object) -> str:
    """A cell as text: numbers without '.0', formulas as their text, bounded length."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()[:MAX_CELL]


def header_map(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, text in enumerate(cells):
        key = text.strip().lower().replace("*", "").replace("＊", "")
        for fname, names in HEADERS.items():
            if key in names and fname not in found:
                found[fname] = i
    return found


def xlsx_rows(data: bytes) -> tuple[str, Iterator[list[str]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise _unreadable("xlsx") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise RosterFileError(
            zh="这个 Excel 文件解压后过大（可能是压缩炸弹），不能读取；请另存为普通的 .xlsx 或 .csv。",
            en="The workbook unpacks to too many bytes (a zip bomb?); save it as a plain "
            ".xlsx or .csv.",
            code="roster-too-large",
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise _unreadable("xlsx") from None
    names = wb.sheetnames
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        head = next(rows, None)
        if head is not None and all(f in header_map([cell(c) for c in head]) for f in REQUIRED):
            title = ws.title

            def gen(
                head: tuple[object, ...] = head,
                rows: Iterator[tuple[object, ...]] = rows,
            ) -> Iterator[list[str]]:
                yield [cell(c) for c in head]
                for r in rows:
                    yield [cell(c) for c in r]

            return title, gen()
    raise no_header("、".join(names), ", ".join(names))


def csv_rows(data: bytes) -> tuple[str, Iterator[list[str]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unreadable("csv")
    if "\x00" in text:
        raise _unreadable("csv")
    reader = csv.reader(io.StringIO(text, newline=""))
    csv.field_size_limit(64 * 1024)

    def gen() -> Iterator[list[str]]:
        try:
            for r in reader:
                yield [cell(c) for c in r]
        except csv.Error:
            return

    return "CSV", gen()


def _unreadable(kind: str) -> RosterFileError:
    return RosterFileError(
        zh=f"无法读取这个名单文件（不是有效的 .{kind} 文件或已损坏）。请用 Excel 或 WPS 另存为 .xlsx 或 .csv 后重新导入。",
        en=f"The roster file cannot be read (not a valid .{kind} file, or damaged). "
        "Save it as .xlsx or .csv from Excel or WPS and import it again.",
        code="roster-unreadable",
    )


def no_header(names_zh: str, names_en: str) -> RosterFileError:
    cols = "、".join(FIELD_ZH[f] for f in FIELDS)
    return RosterFileError(
        zh=f"没有找到名单：第一行应是列名（{cols}），至少要有“单位名称”和“类型”。"
        f"文件中的工作表：{names_zh or '（无）'}。",
        en="No roster found: the first row must name the columns (name, kind, district, "
        "credit code, contact person, phone, e-mail), at least name and kind. "
        f"Sheets in the file: {names_en or '(none)'}.",
        code="roster-no-header",
    )
