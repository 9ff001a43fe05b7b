"""Connecting to the office's intake server (service and command line) against a real
qmintake on 127.0.0.1, and every bad input the issue lists: each refused with a clear
message, nothing stored, the token never in clear in the database."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import keyring
import pytest
from netfault import Fault, FaultPlan, FaultProxy
from test_network_errors import tls_server  # noqa: F401  (a fixture)

from qmclient.cli import main
from qmclient.core.report import Unit
from qmclient.services import connection, drafts, outbox, receipts
from qmclient.services.context import AppContext
from qmclient.sync.errors import SyncError
from qmclient.sync.tokens import load_token

CAMPAIGN = "jinan-2022-quality-month"


def qmconnect(path: Path, endpoint: str, token: str, **extra: Any) -> Path:
    doc = {"format": "qmconnect", "version": 1, "endpoint": endpoint, "token": token}
    doc.update({"campaign_id": CAMPAIGN, "office": "济南市质量强市办公室"})
    doc.update(extra)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def data_bytes(ctx: AppContext) -> bytes:
    """Every byte in the data folder: database, WAL, settings, logs."""
    return b"".join(p.read_bytes() for p in ctx.data_dir.rglob("*") if p.is_file())


def test_a_connection_file_connects_and_keeps_the_token_only_in_the_keyring(
    ctx: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    drafts.save_profile(ctx, Unit(name="济南某公司", kind="enterprise", district="lixia"))
    token = intake.unit_token()
    f = qmconnect(tmp_path / "u.qmconnect", intake.base_url, token)
    result = connection.connect_file(ctx, f)
    assert result.office_unit["name"] == "济南某某有限公司"
    assert result.office_unit["district"] == "lixia"
    assert CAMPAIGN in result.campaigns
    assert abs(result.clock_offset_s) < 60 and result.clock_warning is None
    # the office's name differs from the local profile: shown, and can be taken over
    assert ("name", "济南某公司", "济南某某有限公司") in result.mismatches
    connection.take_over_profile(ctx, result.office_unit)
    profile = drafts.get_profile(ctx)
    assert profile is not None and profile.name == "济南某某有限公司"
    st = connection.state(ctx)
    assert st.connected and st.unit_name == "济南某某有限公司"
    assert load_token(st.endpoint) == token
    assert token.encode() not in data_bytes(ctx)
    # disconnect: token and address gone
    assert connection.disconnect(ctx) == st.endpoint
    assert not connection.state(ctx).connected and load_token(st.endpoint) is None


def test_wrong_and_revoked_codes_are_refused_and_nothing_is_stored(
    ctx: AppContext, intake: Any, memory_keyring: Any
) -> None:
    with pytest.raises(SyncError) as wrong:
        connection.connect(ctx, intake.base_url, "qmt_" + "x" * 43)
    assert wrong.value.code == "token-invalid" and wrong.value.kind == "action"
    token = intake.unit_token(name="被撤销的企业")
    [unit_id] = [
        line.split("\t")[1].split()[1]
        for line in intake.cli("token", "list").stdout.splitlines()
        if "被撤销的企业" in line
    ]
    intake.cli("token", "revoke", unit_id)
    with pytest.raises(SyncError) as revoked:
        connection.connect(ctx, intake.base_url, token)
    assert revoked.value.code == "token-invalid"
    assert "令牌" in revoked.value.message_zh or "连接码" in revoked.value.message_zh
    assert not connection.state(ctx).endpoint
    assert memory_keyring.items == {}


@pytest.fixture
def web_page() -> Iterator[str]:
    """A web page where the API should be (a captive portal, a company homepage)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = "<html><body>请登录上网认证</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_web_page_plain_http_and_a_bad_certificate_are_refused(
    ctx: AppContext,
    web_page: str,
    tls_server: int,  # noqa: F811
    memory_keyring: Any,
) -> None:
    code = "qmt_" + "a" * 43
    with pytest.raises(SyncError) as page:
        connection.connect(ctx, web_page, code)
    assert page.value.code == "captive-portal"
    with pytest.raises(SyncError) as plain:
        connection.connect(ctx, "http://intake.example.cn", code)
    assert plain.value.code == "endpoint-invalid" and "https" in plain.value.message_zh
    with pytest.raises(SyncError) as tls:
        connection.connect(ctx, f"https://127.0.0.1:{tls_server}", code)
    assert tls.value.code == "tls" and "证书" in tls.value.message_zh
    assert not connection.state(ctx).endpoint


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"format": "qmconnect", "version": 1, "endpoint": "https://a.cn", "tok', "不完整"),
        (b"[" * 10_000 + b"]" * 10_000, "嵌套"),
        (b'{"format": "qmconnect", "x": "' + b"a" * 10_000_000 + b'"}', "过大"),
        (json.dumps({f"k{i}": i for i in range(1_000_000)}).encode(), "过大"),
        (b'{"format": "other", "version": 1}', "不是报送服务器连接文件"),
        (b'{"format": "qmconnect", "version": 7, "endpoint": "https://a.cn"}', "版本"),
        (
            b'{"format": "qmconnect", "version": 1, "endpoint": "ftp://a.cn", "token": "x"}',
            "https",
        ),
        (
            b'{"format": "qmconnect", "version": 1, "endpoint": "https://a.cn", "token": "x"}',
            "连接码格式不对",
        ),
    ],
    ids=[
        "truncated",
        "nested",
        "huge-string",
        "million-keys",
        "other-format",
        "version",
        "other-scheme",
        "bad-token",
    ],
)
def test_hostile_connection_files_are_refused_by_name(
    ctx: AppContext, tmp_path: Path, content: bytes, words: str
) -> None:
    f = tmp_path / "office.qmconnect"
    f.write_bytes(content)
    with pytest.raises(connection.ConnectionRefused) as err:
        connection.connect_file(ctx, f)
    assert words in err.value.message_zh
    assert "office.qmconnect" in err.value.message_zh
    assert err.value.message_en and not connection.state(ctx).endpoint


def test_a_file_for_another_campaign_is_refused(
    ctx: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    f = qmconnect(
        tmp_path / "x.qmconnect", intake.base_url, intake.unit_token(), campaign_id="tianjin-2030"
    )
    with pytest.raises(connection.ConnectionRefused) as err:
        connection.connect_file(ctx, f)
    assert "tianjin-2030" in err.value.message_zh and "another" not in err.value.message_zh
    assert not connection.state(ctx).endpoint


def test_no_keyring_says_so_and_offers_the_fallback(
    ctx: AppContext, intake: Any, tmp_path: Path
) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    before = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        with pytest.raises(connection.KeyringUnavailable) as err:
            connection.connect(ctx, intake.base_url, intake.unit_token())
    finally:
        keyring.set_keyring(before)
    assert "钥匙串" in err.value.message_zh and "QMCLIENT_TOKEN" in connection.FALLBACK_HINT[0]
    assert not connection.state(ctx).endpoint


def test_a_network_drop_during_the_check_stores_nothing(
    ctx: AppContext, intake: Any, memory_keyring: Any
) -> None:
    cut = Fault("cut", "down", 10)
    with (
        FaultProxy(intake.port, plan=FaultPlan(only=[cut])) as proxy,
        pytest.raises(SyncError) as err,
    ):
        connection.connect(ctx, proxy.url, intake.unit_token())
    assert err.value.kind == "retry" and err.value.message_zh
    assert not connection.state(ctx).endpoint


def test_clock_hours_off_is_pointed_out() -> None:
    import datetime as dt

    check = connection.ConnectionCheck(
        "https://a.cn", {}, dt.datetime.now(dt.UTC), 3 * 3600.0, [], []
    )
    assert check.clock_warning is not None and "3.0 小时" in check.clock_warning[0]


def run(capsys: Any, data_dir: Path, *args: str) -> tuple[int, str]:
    rc = main(["--data-dir", str(data_dir), "--lang", "en", *args])
    cap = capsys.readouterr()
    return rc, cap.out + cap.err


def test_cli_connect_disconnect_and_receipt_verify(
    ctx: AppContext,
    data_dir: Path,
    intake: Any,
    memory_keyring: Any,
    tmp_path: Path,
    capsys: Any,
    monkeypatch: Any,
) -> None:
    from reports import ready_submission

    token = intake.unit_token()
    f = qmconnect(tmp_path / "u.qmconnect", intake.base_url, token)
    rc, text = run(capsys, data_dir, "connect", str(f))
    assert rc == 0 and "济南某某有限公司" in text and token not in text, text
    sid = ready_submission(ctx, tmp_path / "src")
    outbox.queue_submission(ctx, sid)
    with outbox.OutboxSender(ctx) as s:
        [out] = s.send_all()
    assert out.ok
    saved = outbox.export_receipt(ctx, sid, tmp_path / "receipt.json")
    rc, text = run(capsys, data_dir, "receipt", "verify", str(saved))
    assert rc == 0 and "Signature valid" in text
    # one changed character: the signature no longer holds
    doc = json.loads(saved.read_text(encoding="utf-8"))
    doc["on_time"] = not doc["on_time"]
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(doc), encoding="utf-8")
    rc, text = run(capsys, data_dir, "receipt", "verify", str(forged))
    assert rc == 1 and "INVALID" in text
    assert receipts.verify_receipt(ctx, doc).state == "invalid"
    rc, text = run(capsys, data_dir, "disconnect")
    assert rc == 0 and "disconnected" in text
    # the CLI with an address and a code read from standard input
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    rc, text = run(capsys, data_dir, "connect", "--endpoint", intake.base_url, "--code-stdin")
    assert rc == 0 and connection.state(ctx).connected
