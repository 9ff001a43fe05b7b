"""Bad networks and refusing servers: each gets a clear message, and the queue keeps its place."""

from __future__ import annotations

import datetime as dt
import hashlib
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from netfault import Fault, FaultPlan, FaultProxy, http_answer
from reports import ready_submission

from qmclient.services import drafts, outbox
from qmclient.services.context import AppContext
from qmclient.services.network import save_proxy
from qmclient.sync.backoff import Backoff
from qmclient.sync.http import HttpSettings
from qmclient.sync.tokens import save_token

FAST = Backoff(base_s=0.01, cap_s=0.05)


def send_once(ctx: AppContext, **kw: Any) -> outbox.SendOutcome:
    kw.setdefault("settings", HttpSettings(connect_timeout_s=2, read_timeout_s=2))
    with outbox.OutboxSender(ctx, tus_backoff=FAST, max_stalls=1, **kw) as s:
        [out] = s.send_all()
    return out


@pytest.fixture
def queued(ctx: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path) -> int:
    sid = ready_submission(ctx, tmp_path / "src", video_bytes=2 << 20)
    outbox.set_endpoint(ctx, intake.base_url)
    save_token(outbox.endpoint_for(ctx), intake.unit_token())
    outbox.queue_submission(ctx, sid)
    return sid


def through(ctx: AppContext, proxy: FaultProxy) -> None:
    from sqlalchemy import select

    from qmclient.store.models import OutboxEntry

    token = memory_token(ctx)
    outbox.set_endpoint(ctx, proxy.url)
    save_token(proxy.url, token)
    with ctx.store.write() as s:
        for e in s.scalars(select(OutboxEntry)):
            e.endpoint_url = proxy.url


def memory_token(ctx: AppContext) -> str:
    from qmclient.sync.tokens import load_token

    token = load_token(outbox.endpoint_for(ctx))
    assert token
    return token


def assert_still_queued(ctx: AppContext, sid: int) -> None:
    assert drafts.status_of(ctx, sid) == "queued"
    [row] = outbox.outbox_rows(ctx)
    assert row.submission_id == sid


@pytest.mark.parametrize(
    ("fault", "code", "words"),
    [
        (Fault("stall", "down", 0, 5.0), "read-timeout", "stopped answering"),
        (Fault("reset", "up", 10), "connection-lost", "connection"),
        (
            http_answer(200, "OK", {"Content-Type": "text/html"}, b"<html>Wi-Fi login</html>"),
            "captive-portal",
            "web page",
        ),
        (
            http_answer(302, "Found", {"Location": "http://portal.example/login"}),
            "captive-portal",
            "web page",
        ),
        (http_answer(503, "Busy", {"Retry-After": "120"}), "server-busy", "busy"),
        (http_answer(502, "Bad Gateway", {}), "server-error", "error"),
        (
            http_answer(
                507,
                "Insufficient Storage",
                {"Content-Type": "application/problem+json"},
                b'{"code": "storage-full", "status": 507, "title": "storage full"}',
            ),
            "storage-full",
            "storage is full",
        ),
    ],
)
def test_network_failure_is_explained_and_retried_later(
    ctx: AppContext, intake: Any, queued: int, fault: Fault, code: str, words: str
) -> None:
    with FaultProxy(intake.port, plan=FaultPlan(only=[fault])) as proxy:
        through(ctx, proxy)
        out = send_once(ctx)
    assert out.error is not None and out.error.code == code, out.error
    assert words in out.error.message_en and out.error.message_zh
    assert out.error.kind == "retry"
    assert_still_queued(ctx, queued)
    [row] = outbox.outbox_rows(ctx)
    assert row.next_attempt_at is not None and row.error_code == code
    if code == "server-busy":  # Retry-After: 120 is honoured
        assert row.next_attempt_at >= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=100)


def test_429_is_waited_out_as_told(ctx: AppContext, intake: Any, queued: int) -> None:
    busy = http_answer(429, "Too Many Requests", {"Retry-After": "600"})
    with FaultProxy(intake.port, plan=FaultPlan(only=[busy])) as proxy:
        through(ctx, proxy)
        out = send_once(ctx)
    assert out.error is not None and out.error.status == 429 and out.error.kind == "retry"
    assert_still_queued(ctx, queued)
    [row] = outbox.outbox_rows(ctx)
    assert row.next_attempt_at is not None
    assert row.next_attempt_at >= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=500)


def test_413_too_large_holds_the_report(
    ctx: AppContext, memory_keyring: Any, tmp_path: Path
) -> None:
    from intake_server import IntakeServer

    with IntakeServer(tmp_path / "small", extra_args=["--max-upload-bytes", "1000000"]) as srv:
        sid = ready_submission(ctx, tmp_path / "src", video_bytes=2 << 20)
        outbox.set_endpoint(ctx, srv.base_url)
        save_token(srv.base_url, srv.unit_token())
        outbox.queue_submission(ctx, sid)
        out = send_once(ctx)
    assert out.error is not None and out.error.kind == "action"
    assert "larger than" in out.error.message_en
    assert out.error.code in ("upload-too-large", "too-large")
    [row] = outbox.outbox_rows(ctx)
    assert row.state == outbox.HELD


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[int]:
    """An https server with a self-signed certificate (which must not be trusted)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield httpd.server_address[1]
    httpd.shutdown()


def test_untrusted_certificate_is_refused(
    ctx: AppContext, tls_server: int, memory_keyring: Any, tmp_path: Path
) -> None:
    sid = ready_submission(ctx, tmp_path / "src")
    endpoint = outbox.set_endpoint(ctx, f"https://127.0.0.1:{tls_server}")
    save_token(endpoint, "qmt_" + "t" * 43)
    outbox.queue_submission(ctx, sid)
    out = send_once(ctx)
    assert out.error is not None and out.error.code == "tls"
    assert "certificate" in out.error.message_en and "证书" in out.error.message_zh
    assert_still_queued(ctx, sid)


@pytest.mark.parametrize("chunk", [32 << 20, 1 << 20], ids=["creation-with-upload", "patch"])
def test_a_corrupted_byte_is_caught_by_the_servers_sha256_and_the_file_sent_again(
    ctx: AppContext, intake: Any, queued: int, chunk: int
) -> None:
    # the byte flipped is deep inside the first upload body; the server's check of the
    # whole file's SHA-256 refuses it, the client finds its own copy intact (so the bytes
    # were damaged on the way, not the file changed) and sends the file again
    corrupt = Fault("corrupt", "up", 600_000)
    with FaultProxy(intake.port, plan=FaultPlan(only=[corrupt])) as proxy:
        through(ctx, proxy)
        with outbox.OutboxSender(
            ctx,
            tus_backoff=FAST,
            settings=HttpSettings(connect_timeout_s=2, read_timeout_s=5),
            chunk_size=chunk,
        ) as s:
            [out] = s.send_all()
        assert proxy.stats.faults == {"corrupt": 1}
    assert out.ok, out.error
    for m in drafts.load_report(ctx, queued).media:
        stored = Path(intake.data_dir) / "media" / m.sha256[:2] / m.sha256[2:4] / m.sha256
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == m.sha256


def test_an_explicit_proxy_is_used(
    ctx: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    """Set as the proxy, a forwarder to the server is the only way to reach it."""
    import socket

    with socket.socket() as s:  # an endpoint address where nothing listens
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    sid = ready_submission(ctx, tmp_path / "src")
    endpoint = outbox.set_endpoint(ctx, dead)
    save_token(endpoint, intake.unit_token())
    outbox.queue_submission(ctx, sid)
    with FaultProxy(intake.port) as proxy:
        save_proxy(ctx, "manual", proxy.url)
        with outbox.OutboxSender(ctx, tus_backoff=FAST) as s:
            [out] = s.send_all()
        assert proxy.stats.connections >= 1
    assert out.ok, out.error
    save_proxy(ctx, "system")
    assert outbox.http_settings(ctx).proxy is None
