"""The sending commands, run in-process against a real qmintake."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from reports import ready_submission

from qmclient.cli import main
from qmclient.services.context import AppContext
from qmclient.sync.tokens import ENV_TOKEN, load_token


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str]:
    rc = main(["--data-dir", str(data_dir), "--lang", "en", *args])
    captured = capsys.readouterr()
    return rc, captured.out + captured.err


@pytest.fixture
def intake(shared_intake: Any) -> Any:
    """These tests leave the server running and look only at their own reports."""
    return shared_intake


def test_login_submit_status_receipt(
    ctx: AppContext,
    data_dir: Path,
    intake: Any,
    memory_keyring: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ENV_TOKEN, raising=False)
    sid = ready_submission(ctx, tmp_path / "src", video_bytes=3 << 20)
    token = intake.unit_token()
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    rc, text = run(capsys, data_dir, "login", "--endpoint", intake.base_url, "--token-stdin")
    assert rc == 0 and "stored" in text and token not in text
    assert load_token(intake.base_url) == token
    rc, text = run(capsys, data_dir, "submit", str(sid))
    assert rc == 0, text
    assert "frozen and queued" in text and "received, receipt" in text and "(late)" in text
    assert token not in text
    rc, text = run(capsys, data_dir, "status", str(sid))
    assert rc == 0 and "received" in text
    rc, text = run(capsys, data_dir, "receipt", str(sid), "--json")
    assert rc == 0 and json.loads(text)["submission_uuid"]
    out_file = tmp_path / "receipt.txt"
    rc, text = run(capsys, data_dir, "receipt", str(sid), "--export", str(out_file))
    assert rc == 0 and "Receipt number" in out_file.read_text(encoding="utf-8")
    rc, text = run(capsys, data_dir, "sync")
    assert rc == 0 and "nothing is queued" in text


def test_submit_refuses_a_report_with_errors(
    ctx: AppContext,
    data_dir: Path,
    intake: Any,
    memory_keyring: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from qmclient.services import drafts, outbox

    outbox.set_endpoint(ctx, intake.base_url)
    sid = drafts.create_draft(ctx)
    rc, text = run(capsys, data_dir, "submit", str(sid))
    assert rc == 1 and "summary" in text and "not sent" in text
    assert drafts.status_of(ctx, sid) == "draft"


def test_no_keyring_says_so_and_the_environment_token_works(
    ctx: AppContext,
    data_dir: Path,
    intake: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    before = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        token = intake.unit_token()
        monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
        rc, text = run(capsys, data_dir, "login", "--endpoint", intake.base_url, "--token-stdin")
        assert rc == 1 and "keyring" in text and ENV_TOKEN in text and token not in text
        sid = ready_submission(ctx, tmp_path / "src")
        rc, text = run(capsys, data_dir, "submit", str(sid))
        assert rc == 1 and "no token" in text.lower()
        monkeypatch.setenv(ENV_TOKEN, token)
        rc, text = run(capsys, data_dir, "sync")
        assert rc == 0 and "received" in text
    finally:
        keyring.set_keyring(before)


def test_unreachable_endpoints_get_clear_messages(
    ctx: AppContext,
    data_dir: Path,
    memory_keyring: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    from qmclient.services import outbox

    monkeypatch.setenv(ENV_TOKEN, "qmt_" + "x" * 43)
    sid = ready_submission(ctx, tmp_path / "src")
    # DNS failure (.invalid never resolves) over https
    outbox.set_endpoint(ctx, "https://intake.example.invalid")
    outbox.queue_submission(ctx, sid)
    rc, text = run(capsys, data_dir, "sync")
    assert rc == 1 and "could not be found" in text
    # nothing listening
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    outbox.set_endpoint(ctx, f"http://127.0.0.1:{port}")
    with ctx.store.write() as sess:
        from sqlalchemy import select

        from qmclient.store.models import OutboxEntry

        sess.scalars(select(OutboxEntry)).one().endpoint_url = f"http://127.0.0.1:{port}"
    rc, text = run(capsys, data_dir, "sync")
    assert rc == 1 and "refused the connection" in text
    rc, text = run(capsys, data_dir, "outbox")
    assert "waiting to send" in text  # still queued
    # plain http to a remote host is refused before anything is sent
    rc, text = run(capsys, data_dir, "login", "--endpoint", "http://intake.example.cn")
    assert rc == 1 and "https" in text
