"""Hostile JSON bodies sent to the server: refused as ``bad-json`` (400), never a 500."""

from __future__ import annotations

import uuid

import pytest
import requests
from intake_server import IntakeServer

DEEP = b"[" * 10_000 + b"]" * 10_000
DEEP_OBJECT = b'{"a":' * 10_000 + b"1" + b"}" * 10_000


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_body_is_bad_json(intake: IntakeServer, body: bytes) -> None:
    token = intake.unit_token()
    r = requests.put(
        intake.url(f"/api/v1/submissions/{uuid.uuid4()}"),
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "bad-json"
    assert requests.get(intake.url("/api/v1"), timeout=10).status_code == 200  # still serving
