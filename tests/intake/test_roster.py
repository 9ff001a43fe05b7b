"""The roster: reading .xlsx/.csv files row by row, bounded, and storing them as units."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from qmclient.core.campaign import bundled_campaigns
from qmintake import roster
from qmintake.db import Database, migrate
from qmintake.roster import RosterFileError, read_roster

HEAD = ["单位名称", "类型", "区县", "统一社会信用代码", "联系人", "联系电话", "电子邮箱"]
GOOD = "91350100M000100Y43"
GOOD2 = "91370100MA3C5LXL25"


def campaign():  # type: ignore[no-untyped-def]
    return bundled_campaigns()["jinan-2022-quality-month"]


def xlsx(rows: list[list[object]], sheets: dict[str, list[list[object]]] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "名单"
    for r in rows:
        ws.append(r)
    for title, extra in (sheets or {}).items():
        other = wb.create_sheet(title, 0)
        for r in extra:
            other.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(",".join(r) for r in rows).encode(encoding)


def test_a_good_workbook_reads_every_row() -> None:
    data = xlsx(
        [
            HEAD,
            ["济南甲公司", "企业", "历下区", GOOD, "张三", "13800000000", "a@example.cn"],
            ["历下区市场监督管理局", "区县（功能区）", "lixia", "", "李四", "0531-82568852", ""],
            ["济南市工业和信息化局", "市直有关部门", "", "", "王五", "", ""],
        ]
    )
    got = read_roster(data, "名单.xlsx", campaign())
    assert got.problems == [] and got.sheet == "名单"
    assert [(x.kind, x.district) for x in got.lines] == [
        ("enterprise", "lixia"),
        ("district", "lixia"),
        ("department", ""),
    ]


def test_broken_rows_are_named_and_the_others_kept() -> None:
    data = xlsx(
        [
            HEAD,
            ["甲公司", "企业", "历下区", "91350100M000100Y44", "", "", ""],  # check digit
            ["乙公司", "企业", "火星区", GOOD, "", "", ""],  # unknown district
            ["丙公司", "公司", "历下区", "", "", "", ""],  # unknown kind
            ["", "企业", "历下区", "", "", "", ""],  # no name, no code
            ["丁公司", "企业", "市中区", GOOD, "", "12345", "not-mail"],  # dup code, phone, mail
            ["戊公司", "企业", "市中区", GOOD2, "", "", ""],
            ["戊公司", "企业", "市中区", "", "", "", ""],  # the same unit again
        ]
    )
    got = read_roster(data, "x.xlsx", campaign())
    by_row: dict[int, list[str]] = {}
    for p in got.problems:
        by_row.setdefault(p.row, []).append(p.column)
    assert by_row[2] == ["credit_code"]
    assert by_row[3] == ["district"]
    district_msg = next(p.zh for p in got.problems if p.row == 3)
    assert "火星区" in district_msg and "历下区（lixia）" in district_msg  # lists the valid ones
    assert by_row[4] == ["kind"]
    assert set(by_row[5]) == {"name", "credit_code"}
    assert set(by_row[6]) == {"credit_code", "phone", "email"}  # the code repeats row 3
    assert by_row[8][-1] == "name" and "第 7 行" in got.problems[-1].zh
    assert [x.name for x in got.good_lines] == ["戊公司"]


def test_the_roster_sheet_is_found_and_a_wrong_sheet_is_named() -> None:
    data = xlsx([HEAD, ["甲公司", "企业", "历下区", GOOD]], {"说明": [["填表说明"], ["…"]]})
    got = read_roster(data, "x.xlsx", campaign())
    assert got.sheet == "名单" and len(got.good_lines) == 1
    wrong = xlsx([["序号", "姓名"], ["1", "张三"]], {"说明": [["填表说明"]]})
    with pytest.raises(RosterFileError) as err:
        read_roster(wrong, "x.xlsx", campaign())
    assert "说明" in err.value.message_zh and "名单" in err.value.message_zh


def test_formulas_are_read_as_text_never_run() -> None:
    data = xlsx([HEAD, ['=HYPERLINK("http://evil.example","点我")', "企业", "历下区", GOOD]])
    got = read_roster(data, "x.xlsx", campaign())
    assert got.lines[0].name.startswith("=HYPERLINK(")  # stored as the text typed


def test_csv_in_utf8_and_in_gbk() -> None:
    rows = [HEAD, ["济南甲公司", "企业", "历下区", GOOD, "张三", "13800000000", ""]]
    for enc in ("utf-8-sig", "gb18030"):
        got = read_roster(csv_bytes(rows, enc), "名单.csv", campaign())
        assert got.problems == [] and got.lines[0].name == "济南甲公司"


def test_files_that_are_not_rosters_get_a_clear_refusal() -> None:
    c = campaign()
    for data, name, code in (
        (b"\x00\x01garbage" * 100, "x.xlsx", "roster-unreadable"),
        (b"PK\x03\x04 truncated zip", "x.xlsx", "roster-unreadable"),
        (b"%PDF-1.4", "x.pdf", "roster-type"),
        (b"a,b\r\n1,2", "x.csv", "roster-no-header"),
        (b"x" * (roster.MAX_FILE_BYTES + 1), "x.csv", "roster-too-large"),
    ):
        with pytest.raises(RosterFileError) as err:
            read_roster(data, name, c)
        assert err.value.code == code, name
        assert err.value.message_zh and err.value.message_en


def test_a_zip_bomb_is_refused_before_unpacking() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 1024)
        # what a bomb's directory says: far more bytes than a roster could need
        zf.infolist()[0].file_size = roster.MAX_UNPACKED_BYTES + 1
    with pytest.raises(RosterFileError) as err:
        read_roster(out.getvalue(), "bomb.xlsx", campaign())
    assert err.value.code == "roster-too-large"


def test_more_than_100000_rows_stop_with_a_message() -> None:
    rows = [",".join(HEAD)] + [f"单位{i},市直有关部门,,,,," for i in range(roster.MAX_ROWS + 5)]
    got = read_roster("\r\n".join(rows).encode(), "big.csv", campaign())
    assert got.rows_read == roster.MAX_ROWS
    assert "100,000" in got.problems[-1].zh and len(got.good_lines) == roster.MAX_ROWS


def test_stored_rows_are_units_and_a_second_import_updates_them(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    migrate(db.engine)
    try:
        c = campaign()
        first = read_roster(
            xlsx([HEAD, ["甲公司", "企业", "历下区", GOOD, "张三", "13800000000", ""]]), "x", c
        )
        assert roster.apply_roster(db, c.id, first.good_lines) == (1, 0)
        again = read_roster(
            xlsx(
                [
                    HEAD,
                    ["甲公司（新名）", "企业", "历下区", GOOD, "李四", "13900000000", ""],
                    ["乙公司", "企业", "市中区", GOOD2, "", "", ""],
                ]
            ),
            "x",
            c,
        )
        assert roster.apply_roster(db, c.id, again.good_lines) == (1, 1)
        entries = roster.roster_entries(db, c.id)
        assert [(e.unit.name, e.contact_person) for e in entries] == [
            ("甲公司（新名）", "李四"),
            ("乙公司", ""),
        ]
        issued = roster.issue_roster_tokens(db, c.id)
        assert len(issued) == 2 and all(t.startswith("qmt_") for _, t in issued)
        assert roster.issue_roster_tokens(db, c.id) == []  # all have one now
        from qmintake.auth import unit_for_token

        unit = unit_for_token(db, issued[0][1])
        assert unit is not None and unit.id == issued[0][0].unit.id
        again_issued = roster.issue_roster_tokens(db, c.id, [unit.id], reissue=True)
        assert unit_for_token(db, issued[0][1]) is None  # the old code no longer works
        assert unit_for_token(db, again_issued[0][1]) == unit
    finally:
        db.close()
