"""Sending the drafts to a real SMTP server (aiosmtpd) over plain loopback and STARTTLS."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from memkeyring import MemoryKeyring

from qmclient.export.smtp import SendError, SmtpSettings, send_messages
from qmclient.services import mailing
from qmclient.services.context import AppContext
from qmclient.services.export import ExportOptions, run

pytestmark = pytest.mark.linux_tools  # certificates are made with the openssl program


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _auth(server, session, envelope, mechanism, data):  # type: ignore[no-untyped-def]
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"unit", b"s3cret")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    key, crt = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(crt)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, crt


@pytest.fixture
def server(cert: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(str(cert[1]), str(cert[0]))
    port = _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=tls, require_starttls=True,
        authenticator=_auth, auth_required=True,
    )  # fmt: skip
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def plain_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def parts(ctx: AppContext, mail_sid: int, tmp_path: Path) -> list[Path]:
    result = run(ctx, mail_sid, ExportOptions(eml_dir=tmp_path / "m"))
    assert len(result.mail_parts) >= 2
    return [p.path for p in result.mail_parts]


def test_starttls_login_and_delivery(
    ctx: AppContext,
    mail_sid: int,
    parts: list[Path],
    server: tuple[Inbox, int],
    cert: tuple[Path, Path],
    memory_keyring: MemoryKeyring,
) -> None:
    inbox, port = server
    settings = SmtpSettings(
        "127.0.0.1", port, "starttls", username="unit", sender="unit@example.com",
        cafile=str(cert[1]),
    )  # fmt: skip
    mailing.save_settings(ctx, settings)
    assert mailing.load_settings(ctx) == settings
    mailing.remember_password(settings, "s3cret")
    assert "s3cret" not in (ctx.data_dir / "qmclient.sqlite3").read_bytes().decode("latin-1")
    sent = mailing.send(ctx, parts, settings, submission_id=mail_sid)
    assert sent == len(parts) == len(inbox.messages)
    for path, (mail_from, rcpts, data) in zip(parts, inbox.messages, strict=True):
        assert mail_from == "unit@example.com"
        assert rcpts == ["jnzjjzlc@jn.shandong.cn"]
        msg = email.message_from_bytes(data, policy=email.policy.default)
        assert msg["X-Unsent"] is None and msg["From"].addresses[0].addr_spec == "unit@example.com"
        original = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert msg["Subject"] == original["Subject"]
        assert [a.get_content() for a in msg.iter_attachments()] == [
            a.get_content() for a in original.iter_attachments()
        ]
    from qmclient.services import drafts

    assert "mailed" in [e.action for e in drafts.audit_log(ctx, mail_sid)]


def test_wrong_password_and_untrusted_certificate(
    parts: list[Path], server: tuple[Inbox, int], cert: tuple[Path, Path]
) -> None:
    inbox, port = server
    good = SmtpSettings("127.0.0.1", port, "starttls", "unit", "u@example.com", cafile=str(cert[1]))
    with pytest.raises(SendError) as info:
        send_messages(good, "wrong", parts)
    assert info.value.code == "auth" and "密码" in info.value.message_zh
    untrusted = SmtpSettings("127.0.0.1", port, "starttls", "unit", "u@example.com")
    with pytest.raises(SendError) as info:
        send_messages(untrusted, "s3cret", parts)
    assert info.value.code == "tls"
    assert not inbox.messages


def test_plain_only_to_this_machine_and_no_server(
    parts: list[Path], plain_server: tuple[Inbox, int]
) -> None:
    inbox, port = plain_server
    sent = send_messages(
        SmtpSettings("127.0.0.1", port, "none", sender="u@example.com"), None, parts
    )
    assert sent == len(inbox.messages) == len(parts)
    with pytest.raises(SendError) as info:
        send_messages(SmtpSettings("mail.example.com", 25, "none"), None, parts)
    assert info.value.code == "insecure"
    with pytest.raises(SendError) as info:
        send_messages(SmtpSettings("127.0.0.1", _free_port(), "none", timeout=5), None, parts)
    assert info.value.code == "network"


def test_missing_password_in_keyring(
    ctx: AppContext, parts: list[Path], memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(SendError) as info:
        mailing.send(ctx, parts, SmtpSettings("127.0.0.1", 1, "starttls", "nobody"))
    assert info.value.code == "no-password"


def test_no_sender_is_a_clear_error(parts: list[Path], plain_server: tuple[Inbox, int]) -> None:
    _inbox, port = plain_server
    with pytest.raises(SendError) as info:
        send_messages(SmtpSettings("127.0.0.1", port, "none"), None, parts)
    assert info.value.code == "no-sender" and info.value.sent == 0


def test_cli_send_mail(
    data_dir: Path,
    parts: list[Path],
    plain_server: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from qmclient.cli import main

    inbox, port = plain_server
    folder = parts[0].parent
    base = ["--data-dir", str(data_dir), "--lang", "en", "send-mail", str(folder)]
    code = main([*base, "--host", "127.0.0.1", "--port", str(port), "--security", "none",
                 "--from", "unit@example.com"])  # fmt: skip
    assert code == 0 and len(inbox.messages) == len(parts)
    assert f"sent {len(parts)} messages" in capsys.readouterr().out
    assert main(base) == 0  # the settings were kept
    assert len(inbox.messages) == 2 * len(parts)
