"""The validation doc lists every finding code the code can produce."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_finding_code_is_documented() -> None:
    sources = "".join(
        (ROOT / "qmclient" / part).read_text(encoding="utf-8")
        for part in ("core/validation.py", "core/media_checks.py", "services/drafts.py")
    )
    codes = set(re.findall(r'Finding\(\s*"([a-z_.]+)"', sources))
    codes |= {f"unit.credit_code.{p}" for p in ("length", "chars", "check")}
    doc = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", doc, re.MULTILINE))
    assert len(codes) > 25
    assert codes == documented
