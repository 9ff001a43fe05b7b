"""The protocol's documents agree with the server."""

from __future__ import annotations

import json
import re
from pathlib import Path

from qmintake.openapi import openapi_json
from qmintake.problems import PROBLEMS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_openapi_json_is_current() -> None:
    current = openapi_json()
    stored = (DOCS / "openapi.json").read_text(encoding="utf-8")
    assert json.loads(stored) == json.loads(current), (
        "docs/openapi.json is stale: run `qmintake openapi > docs/openapi.json`"
    )


def test_every_problem_code_is_documented_with_its_status() -> None:
    text = (DOCS / "protocol.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (\d{3}) \|", text, re.MULTILINE))
    for code, (status, _title, title_zh) in PROBLEMS.items():
        assert code in rows, f"problem code {code} is not in docs/protocol.md"
        assert int(rows[code]) == status, f"{code}: documented {rows[code]}, server {status}"
        assert title_zh
    assert set(rows) <= set(PROBLEMS), f"documented but unknown: {set(rows) - set(PROBLEMS)}"
