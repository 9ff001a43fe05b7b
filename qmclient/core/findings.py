"""What a check finds: a stable code, where, how bad, and what to do in Chinese and English."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    code: str
    path: str
    severity: Severity
    message_zh: str
    message_en: str
    ref: str = ""  # the activity id or media SHA-256 the finding is about, if any

    def message(self, language: str = "zh") -> str:
        return self.message_zh if language.startswith("zh") else self.message_en

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
