"""The coordinator's command line end to end: inbox, check, return, batch, roll-up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from coordsetup import make_coordinator
from openpyxl import Workbook, load_workbook
from test_batch_upload import received_packages, server_listing

from qmclient.cli import main
from qmclient.export.returnnote import read_note
from qmclient.services import inbox, inbox_import, outbox
from qmclient.services.context import open_context


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    rc = main(["--data-dir", str(data), "--lang", "en", *args])
    got = capsys.readouterr()
    return rc, got.out, got.err


def expected_sheet(path: Path, names: list[str]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["历下区质量月应报单位名单"])
    ws.append(["序号", "单位名称", "统一社会信用代码", "所属区县", "联系人"])
    for i, n in enumerate(names, 1):
        ws.append([i, n, "", "历下区", "王五"])
    wb.save(path)
    return path


def test_inbox_check_return_batch_rollup(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    intake: Any,
    memory_keyring: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "coord"
    ctx = open_context(data)
    make_coordinator(ctx)
    outbox.set_endpoint(ctx, intake.base_url)
    ctx.close()
    folder = received_packages(tmp_path, 4)
    (folder / "broken.qmpkg").write_bytes(b"PK\x03\x04 not really")

    rc, text, _ = run(capsys, data, "inbox", "import", str(folder), "--json")
    assert rc == 0
    filed = json.loads(text)
    assert [f["code"] for f in filed] == ["quarantined:corrupt"] + ["new"] * 4
    assert filed[0]["group"] == "broken" and filed[0]["kept"]

    rc, text, _ = run(capsys, data, "inbox", "list", "--outcome", "new")
    assert rc == 0 and text.count("new") == 4

    ids = [f["id"] for f in filed[1:]]
    for i in ids[:3]:
        assert run(capsys, data, "inbox", "check", str(i))[0] == 0
    rc, text, _ = run(capsys, data, "inbox", "return", str(ids[3]), "--comment", "缺少活动照片说明")
    assert rc == 0 and "note file" in text
    rc, _, err = run(capsys, data, "inbox", "check", str(filed[0]["id"]))
    assert rc == 1 and "quarantined" in err
    rc, _, err = run(capsys, data, "inbox", "return", str(ids[0]), "--comment", "  ")
    assert rc == 1 and "comment" in err

    token = intake.district_token()
    monkeypatch.setenv("QMCLIENT_TOKEN", token)
    rc, text, _ = run(capsys, data, "batch", "upload", "--all-checked", "--parallel", "2")
    assert rc == 0, text
    assert "3 received" in text
    assert len(server_listing(intake, token)) == 3  # the returned one was not sent
    rc, _, err = run(capsys, data, "batch", "upload", "--parallel", "0")
    assert rc == 1 and "--parallel" in err

    names = [f["unit"] for f in filed[1:]] + ["济南未报送甲有限公司", "济南未报送乙有限公司"]
    sheet = expected_sheet(tmp_path / "应报单位.xlsx", names)
    xlsx, docx = tmp_path / "汇总.xlsx", tmp_path / "总结.docx"
    rc, text, _ = run(
        capsys,
        data,
        "rollup",
        "--xlsx",
        str(xlsx),
        "--docx",
        str(docx),
        "--expected",
        str(sheet),
        "--json",
    )
    assert rc == 0, text
    counts = json.loads(text[text.index("{") : text.rindex("}") + 1])
    assert counts["reports"] == 4 and counts["district"] == "lixia"
    assert counts["not_reported"] == ["济南未报送甲有限公司", "济南未报送乙有限公司"]
    assert sum(counts["by_unit"].values()) == counts["activities"]
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["活动情况", "按活动重点统计", "按单位统计", "未报送单位"]
    rows = list(wb["活动情况"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == counts["activities"] and [r[0] for r in rows] == list(
        range(1, len(rows) + 1)
    )
    assert {r[1].split("（")[0] for r in rows} == set(names[:4])
    missing = [r[1] for r in wb["未报送单位"].iter_rows(min_row=3, values_only=True)]
    assert missing == names[4:]
    from docx import Document

    text_all = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "济南未报送甲有限公司" in text_all and "共有4家单位" in text_all

    # the stored expected list is used again without --expected
    rc, text, _ = run(capsys, data, "rollup", "--xlsx", str(xlsx), "--json")
    assert json.loads(text[text.index("{") : text.rindex("}") + 1])["not_reported"] == names[4:]
    # a bad sheet is refused and the kept list stays
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    rc, _, err = run(capsys, data, "rollup", "--xlsx", str(xlsx), "--expected", str(bad))
    assert rc == 1 and "xlsx" in err


def test_return_note_reaches_the_enterprise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from district import enterprise

    from qmclient.services import drafts
    from qmclient.services.packages import export_package

    ent = open_context(tmp_path / "ent")
    sid = enterprise(ent, tmp_path, 5)
    pkg = export_package(ent, sid, tmp_path / "e.qmpkg")
    drafts.freeze(ent, sid)
    ent.close()
    coord = open_context(tmp_path / "coord")
    make_coordinator(coord)
    [row] = inbox_import.import_paths(coord, [pkg])
    _, note = inbox.return_item(coord, row.id, "请补充活动成效", note_dir=tmp_path / "notes")
    coord.close()
    assert note is not None
    parsed = read_note(note)
    assert parsed.comment == "请补充活动成效" and parsed.revision == 1
    rc, text, _ = run(capsys, tmp_path / "ent", "inbox", "apply-note", str(note))
    assert rc == 0 and "请补充活动成效" in text
    ent = open_context(tmp_path / "ent")
    with ent.store.read() as s:
        from qmclient.store.models import SubmissionRevision

        rev = s.query(SubmissionRevision).one()
        assert rev.remote_status == "returned" and "请补充活动成效" in rev.remote_comment
    ent.close()
    # a hostile or foreign note is refused with a message
    (tmp_path / "bad.qmnote").write_text('{"format": "qmnote", "format_version": 1}')
    rc, _, err = run(capsys, tmp_path / "ent", "inbox", "apply-note", str(tmp_path / "bad.qmnote"))
    assert rc == 1 and "malformed" in err
