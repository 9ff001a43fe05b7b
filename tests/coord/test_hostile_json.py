"""Hostile JSON from outside: every reader refuses it with a message naming the file, and
a folder import files every good item whatever the bad ones do.

The three shapes: nested 10,000 deep, one 10 MB string, a million keys.
"""

from __future__ import annotations

import json
import threading
import uuid
import zipfile
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from district import enterprise

from qmclient.core.campaign import CampaignError, load_campaign, parse_campaign
from qmclient.export.errors import PackageError
from qmclient.export.package import MANIFEST, open_package
from qmclient.export.returnnote import read_note
from qmclient.services import inbox_import
from qmclient.services.context import AppContext, open_context
from qmclient.services.packages import export_package, import_package
from qmclient.sync.api import IntakeClient
from qmclient.sync.errors import SyncError
from qmclient.sync.http import HttpClient, HttpSettings

DEEP = "[" * 10_000 + "]" * 10_000
LONG = json.dumps({"format": "qmpkg", "x": "x" * (10 * 1024 * 1024)})
MANY = "{" + ",".join(f'"k{i}":0' for i in range(1_000_000)) + "}"
HOSTILE = {"deep": DEEP, "long-string": LONG, "million-keys": MANY}
WHY = {"deep": "嵌套", "long-string": "字符", "million-keys": "条目"}


def zipped(path: Path, manifest: str, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method, compresslevel=9) as zf:
        zf.writestr(MANIFEST, manifest)
    return path


@pytest.fixture(scope="module")
def good_packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two good packages made by a unit's own qmclient."""
    root = tmp_path_factory.mktemp("unit")
    ctx = open_context(root / "data")
    try:
        return [
            export_package(ctx, enterprise(ctx, root, i), root / f"企业{i}.qmpkg") for i in (0, 1)
        ]
    finally:
        ctx.close()


def _folder(tmp_path: Path, good: list[Path]) -> Path:
    folder = tmp_path / "收到的包"
    folder.mkdir()
    for p in good:
        (folder / p.name).write_bytes(p.read_bytes())
    bad = zipped(folder / "坏包.qmpkg", DEEP)
    assert bad.stat().st_size < 400  # the audit's 338-byte package
    return folder


def test_cli_import_of_a_folder_imports_the_good_ones(
    ctx: AppContext, good_packages: list[Path], tmp_path: Path
) -> None:
    folder = _folder(tmp_path, good_packages)
    results = [import_package(ctx, p) for p in sorted(folder.glob("*.qmpkg"))]
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["坏包.qmpkg"].code == "refused:bad-manifest"
    assert "嵌套超过" in by_name["坏包.qmpkg"].message_zh
    assert "nested deeper" in by_name["坏包.qmpkg"].message_en
    assert sorted(r.outcome for n, r in by_name.items() if n != "坏包.qmpkg") == ["new", "new"]


def test_command_line_import_names_the_bad_one(good_packages: list[Path], tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    folder = _folder(tmp_path, good_packages)
    env = {**os.environ, "QMCLIENT_LANG": "zh_CN"}
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "qmclient",
            "--data-dir",
            str(tmp_path / "d"),
            "import",
            str(folder),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "坏包.qmpkg" in r.stderr and "嵌套" in r.stderr
    assert r.stdout.count("new") == 2, r.stdout


def test_inbox_files_every_good_item(
    coord: AppContext, good_packages: list[Path], tmp_path: Path
) -> None:
    folder = _folder(tmp_path, good_packages)
    rows = inbox_import.import_paths(coord, [folder])
    by_name = {r.source_name: r for r in rows}
    assert by_name["坏包.qmpkg"].outcome == "quarantined"
    assert by_name["坏包.qmpkg"].reason == "bad-manifest"
    assert "嵌套" in by_name["坏包.qmpkg"].message_zh
    assert (coord.data_dir / by_name["坏包.qmpkg"].kept_path).is_file()
    assert sorted(r.outcome for n, r in by_name.items() if n != "坏包.qmpkg") == ["new", "new"]


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_package_manifest(shape: str, tmp_path: Path) -> None:
    with pytest.raises(PackageError) as info:
        # stored, not deflated: a deflated 10 MB run of one letter is refused as a zip bomb
        open_package(zipped(tmp_path / "x.qmpkg", HOSTILE[shape], zipfile.ZIP_STORED))
    assert info.value.reason == "bad-manifest"
    assert WHY[shape] in info.value.message_zh and "manifest" in info.value.message_en


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_mail_manifest(shape: str, coord: AppContext, tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["From"] = "qy@example.cn"
    msg["To"] = "lixia@example.cn"
    msg["Subject"] = "报送"
    msg["X-QM-Submission"] = str(uuid.uuid4())
    msg["X-QM-Revision"] = "1"
    msg["X-QM-Part"] = "1/1"
    msg.set_content("请查收附件。")
    msg.add_attachment(
        HOSTILE[shape].encode(), maintype="application", subtype="json", filename="qm-manifest.json"
    )
    mail = tmp_path / "报送.eml"
    mail.write_bytes(msg.as_bytes())
    [row] = inbox_import.import_paths(coord, [mail])
    assert row.outcome == "quarantined"
    if row.reason == "too-large":  # a 10 MB attachment is refused before it is parsed
        assert "过大" in row.message_zh
    else:
        assert row.reason == "bad-manifest", row.message_en
        assert WHY[shape] in row.message_zh and "qm-manifest.json" in row.message_zh


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_return_note(shape: str, tmp_path: Path) -> None:
    note = tmp_path / "退回意见.qmnote"
    note.write_text(HOSTILE[shape], encoding="utf-8")
    with pytest.raises(PackageError) as info:
        read_note(note)
    assert info.value.reason == "bad-note"


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_campaign_in_json_form(shape: str, tmp_path: Path) -> None:
    text = HOSTILE[shape] if HOSTILE[shape].startswith("{") else "{" + f'"a":{DEEP}' + "}"
    with pytest.raises(CampaignError) as info:
        parse_campaign(text, "活动.json")
    assert "活动.json" in info.value.message_zh and "活动.json" in info.value.message_en
    path = tmp_path / "活动.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignError):
        load_campaign(path)


class _Hostile(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile_server() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_server_answer(shape: str, hostile_server: HTTPServer) -> None:
    body = HOSTILE[shape]
    if shape == "long-string":
        body = json.dumps({"protocol_version": 1, "x": "x" * (10 * 1024 * 1024)})
    _Hostile.body = body.encode()
    url = f"http://127.0.0.1:{hostile_server.server_address[1]}"
    client = IntakeClient(HttpClient(HttpSettings(connect_timeout_s=5, read_timeout_s=20)), url)
    with pytest.raises(SyncError) as info:
        client.discover()
    assert info.value.code == "bad-answer" and info.value.retryable
    assert "127.0.0.1" in info.value.message_zh and WHY[shape] in info.value.message_zh


def test_the_refusal_is_quick() -> None:
    import time

    from qmclient.core.boundedjson import JsonRefused, loads_bounded

    for text in HOSTILE.values():
        t0 = time.perf_counter()
        with pytest.raises(JsonRefused):
            loads_bounded(text.encode(), "x.json")
        assert time.perf_counter() - t0 < 5
