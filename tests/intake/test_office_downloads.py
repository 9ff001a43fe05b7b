"""The office's downloads on a real server's data: the roll-up workbook (formula guard,
a sheet per district, 未报送单位), the campaign archive (CLI and route, resumed with a
range after a cut, every SHA-256 checked), one report as a zip."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from docx import Document
from intake_server import IntakeServer
from openpyxl import load_workbook

from intake.conftest import JINAN
from intake.officeapp import USER, OfficeApp
from intake.officedata import FORMULA_NAME, Sent, populate, write_roster
from intake.protocol import sha256_file
from qmclient.export.expected_units import read_expected_units

CAMPAIGN = "jinan-2022-quality-month"
MISSING = ("济南历下未报丁公司", "历下区", "ding@example.cn", "李四")


@pytest.fixture(scope="module")
def office(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[IntakeServer, list[Sent]]]:
    srv = IntakeServer(tmp_path_factory.mktemp("intake"), db_url=backend, campaign_files=[JINAN])
    srv.start()
    try:
        yield srv, populate(srv, tmp_path_factory.mktemp("media"))
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_roster(tmp_path_factory.mktemp("roster") / "名单.xlsx", [MISSING])


def _no_formulas(path_or_bytes: Path | bytes) -> None:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name


def test_export_never_writes_a_formula(
    office: tuple[IntakeServer, list[Sent]], tmp_path: Path
) -> None:
    srv, _sent = office
    out = tmp_path / "plain.xlsx"
    srv.cli("export", str(out))
    _no_formulas(out)
    values = [
        c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row
    ]
    assert "'" + FORMULA_NAME in values


def test_export_guards_formulas_and_lists_who_is_missing(
    office: tuple[IntakeServer, list[Sent]], roster: Path, tmp_path: Path
) -> None:
    srv, sent = office
    out = tmp_path / "汇总.xlsx"
    done = srv.cli("export", str(out), "--campaign", CAMPAIGN, "--expected", str(roster))
    assert "4 submission(s)" in done.stdout
    _no_formulas(out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["全部", "历下区", "市中区", "槐荫区", "未报送单位"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    names = [r[1] for r in wb["全部"].iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names
    assert len(list(wb["历下区"].iter_rows(min_row=2))) == 2
    receipts = {r[0] for r in wb["全部"].iter_rows(min_row=2, values_only=True)}
    assert receipts == {s.receipt["receipt_number"] for s in sent}
    missing = list(wb["未报送单位"].iter_rows(min_row=2, values_only=True))
    assert [(m[1], m[2], m[5]) for m in missing] == [(MISSING[0], "历下区", MISSING[2])]
    cell = wb["全部"]["H2"]
    assert cell.alignment.wrap_text
    assert wb["全部"].row_dimensions[2].height >= 15


def _check_archive(data: bytes, sent: list[Sent]) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        manifest: dict[str, Any] = json.loads(zf.read("manifest.json"))
        listed = {f["path"]: f for f in manifest["files"]}
        assert set(listed) == set(zf.namelist()) - {"manifest.json"}
        for path, f in listed.items():
            body = zf.read(path)
            assert hashlib.sha256(body).hexdigest() == f["sha256"], path
            assert len(body) == f["size"], path
        _no_formulas(zf.read("汇总表.xlsx"))
    originals = {sha256_file(p) for s in sent for p in s.files}
    assert originals <= {f["sha256"] for f in manifest["files"]}
    folders = {s["folder"] for s in manifest["submissions"]}
    assert "历下区/济南历下甲公司" in folders and "槐荫区/济南槐荫丙公司" in folders
    assert "市中区/济南市中乙公司/视频1 活动现场.mp4" in listed
    hy = [f for f in folders if "HYPERLINK" in f]
    assert len(hy) == 1 and "/" not in hy[0].split("/", 1)[1]  # one safe folder name
    for s in sent:
        folder = next(x for x in manifest["submissions"] if x["uuid"] == s.report.uuid)["folder"]
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert json.loads(zf.read(f"{folder}/回执.json")) == s.receipt
            assert (
                hashlib.sha256(zf.read(f"{folder}/报告.json")).hexdigest()
                == (s.receipt["report_sha256"])
            )
    return manifest


def test_archive_command_is_complete_and_the_same_every_time(
    office: tuple[IntakeServer, list[Sent]], tmp_path: Path
) -> None:
    srv, sent = office
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    srv.cli("archive", CAMPAIGN, str(a))
    srv.cli("archive", CAMPAIGN, str(b))
    assert a.read_bytes() == b.read_bytes()
    manifest = _check_archive(a.read_bytes(), sent)
    assert len(manifest["submissions"]) == 4 and manifest["missing"] == []
    bad = srv.cli("archive", "no-such-campaign", str(tmp_path / "c.zip"), check=False)
    assert bad.returncode == 1 and "no-such-campaign" in bad.stderr and "活动" in bad.stderr
    assert not (tmp_path / "c.zip").exists()


def test_archive_download_cut_then_resumed_with_a_range(
    office: tuple[IntakeServer, list[Sent]], roster: Path
) -> None:
    srv, sent = office
    names = {"历下区": "lixia", "市中区": "shizhong", "槐荫区": "huaiyin"}
    expected = read_expected_units(roster, names)
    with OfficeApp(srv.data_dir, [JINAN], expected, srv.db_url) as app:
        url = app.url(f"/console/campaigns/{CAMPAIGN}/archive.zip")
        assert requests.get(url, timeout=30).status_code == 401  # nobody signed in
        whole = requests.get(url, headers=USER, timeout=60)
        assert whole.status_code == 200 and whole.headers["Accept-Ranges"] == "bytes"
        size, etag = int(whole.headers["Content-Length"]), whole.headers["ETag"]
        assert len(whole.content) == size
        # the download is cut in the middle: the connection closes after part of it
        got = bytearray()
        with requests.get(url, headers=USER, stream=True, timeout=60) as r:
            for chunk in r.iter_content(4096):
                got += chunk
                if len(got) >= size // 2:
                    break
        assert 0 < len(got) < size
        rest = requests.get(
            url, headers={**USER, "Range": f"bytes={len(got)}-", "If-Range": etag}, timeout=60
        )
        assert rest.status_code == 206, rest.text
        assert rest.headers["Content-Range"] == f"bytes {len(got)}-{size - 1}/{size}"
        data = bytes(got) + rest.content
        assert data == whole.content
        manifest = _check_archive(data, sent)
        assert len(manifest["submissions"]) == 4
        # a middle piece, a stale validator, a range past the end
        piece = requests.get(url, headers={**USER, "Range": "bytes=100-199"}, timeout=60)
        assert piece.status_code == 206 and piece.content == data[100:200]
        stale = requests.get(url, headers={**USER, "Range": "bytes=10-", "If-Range": '"x"'})
        assert stale.status_code == 200 and stale.content == data
        past = requests.get(url, headers={**USER, "Range": f"bytes={size}-"}, timeout=60)
        assert past.status_code == 416 and past.headers["Content-Range"] == f"bytes */{size}"
        # the roll-up on its own, with the roster's missing unit
        x = requests.get(app.url(f"/console/campaigns/{CAMPAIGN}/rollup.xlsx"), headers=USER)
        assert x.status_code == 200
        _no_formulas(x.content)
        wb = load_workbook(io.BytesIO(x.content))
        assert [r[1] for r in wb["未报送单位"].iter_rows(min_row=2, values_only=True)] == [
            MISSING[0]
        ]
        unknown = requests.get(app.url("/console/campaigns/nope/archive.zip"), headers=USER)
        assert unknown.status_code == 404


def test_one_report_as_a_zip(office: tuple[IntakeServer, list[Sent]], tmp_path: Path) -> None:
    srv, sent = office
    s = next(x for x in sent if x.report.unit.name == "济南槐荫丙公司")
    with OfficeApp(srv.data_dir, [JINAN], None, srv.db_url) as app:
        r = requests.get(app.url(f"/console/submissions/{s.report.uuid}/report.zip"), headers=USER)
        assert r.status_code == 200, r.text
        assert "filename*=UTF-8''" in r.headers["Content-Disposition"]
        missing = requests.get(
            app.url("/console/submissions/00000000-0000-4000-8000-000000000000/report.zip"),
            headers=USER,
        )
        assert missing.status_code == 404
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        names = zf.namelist()
        base = "济南槐荫丙公司2022年质量月活动情况总结"
        assert f"{base}.docx" in names and f"{base}.xlsx" in names
        assert json.loads(zf.read("回执.json")) == s.receipt
        photos = sorted(n for n in names if n.startswith("图"))
        assert len(photos) == 2 and len(set(photos)) == 2
        shas = {hashlib.sha256(zf.read(n)).hexdigest() for n in photos}
        assert shas == {sha256_file(p) for p in s.files}
        doc = Document(io.BytesIO(zf.read(f"{base}.docx")))
        assert len(doc.inline_shapes) == 2
        assert any("济南槐荫丙公司" in p.text for p in doc.paragraphs)
    formula = next(x for x in sent if x.report.unit.name == FORMULA_NAME)
    out = tmp_path / "f.zip"
    srv.cli("report-zip", formula.report.uuid, str(out))
    with zipfile.ZipFile(out) as zf:
        table = next(n for n in zf.namelist() if n.endswith(".xlsx"))
        _no_formulas(zf.read(table))
