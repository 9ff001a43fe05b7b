"""Secrets never reach the log file: a real rotating file handler with the filter."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import pytest

from qmclient.logredact import RedactSecrets, redact

SECRET = "s3cr3t-T0ken-abcdef123456"


@pytest.fixture
def log_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "qmclient.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=10_000, backupCount=2, encoding="utf-8"
    )
    handler.addFilter(RedactSecrets())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("qmclient.test.redact")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, path
    logger.removeHandler(handler)
    handler.close()


@pytest.mark.parametrize(
    "message",
    [
        f"sending with headers {{'Authorization': 'Bearer {SECRET}', 'Accept': 'json'}}",
        f"Authorization: Bearer {SECRET}",
        f"GET https://intake.example.cn/api/v1/campaign?token={SECRET}&x=1",
        f'body {{"token": "{SECRET}", "unit": "历下区"}}',
        f"proxy http://zhang:{SECRET}@proxy.example.cn:8080 refused",
        f"mail login password={SECRET} failed",
        f"{{'client_secret': '{SECRET}'}}",
    ],
)
def test_the_secret_is_masked_in_the_file(log_file, message: str) -> None:  # type: ignore[no-untyped-def]
    logger, path = log_file
    logger.info(message)
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    assert "***" in text


def test_arguments_and_tracebacks_are_masked(log_file) -> None:  # type: ignore[no-untyped-def]
    logger, path = log_file
    logger.warning("upload to %s failed", f"https://h.example.cn/files?access_token={SECRET}")
    try:
        raise RuntimeError(f"server said: Authorization: Bearer {SECRET} is invalid")
    except RuntimeError:
        logger.exception("sync failed")
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    assert "Traceback" in text and "sync failed" in text and "h.example.cn/files" in text


def test_ordinary_messages_are_left_alone() -> None:
    for text in (
        "3 tokens left in the bucket",
        "basic information saved for 济南某某有限公司",
        "uploaded 12/20 MiB to https://intake.example.cn/files/abc",
        "token expired, asking for a new one",
    ):
        assert redact(text) == text


def test_a_broken_format_string_is_still_logged(log_file) -> None:  # type: ignore[no-untyped-def]
    logger, path = log_file
    logger.info("half %s %s", "one")
    assert "half" in path.read_text(encoding="utf-8")
