"""A report as plain data: the form that is validated, exported, packaged and sent.

The store keeps reports in SQL tables; services turn a stored submission into a
:class:`Report` and back.  The JSON form (:meth:`Report.to_dict`) is what travels in
packages and to the intake endpoint, and what the report hash is computed over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from qmclient.core.filetype import media_kind
from qmclient.core.work import QmError

REPORT_FORMAT = 1


class ReportFormatError(QmError, ValueError):
    """A report document (JSON) that does not have the expected shape; ``detail`` says
    what exactly, in the document's own terms (field names), and is quoted in both
    messages."""

    code = "report-format"

    def __init__(self, detail: str) -> None:
        super().__init__(
            zh=f"报告内容格式不正确（{detail}）。文件可能已损坏，或由不兼容的程序版本生成；"
            "请让对方重新导出后再试。",
            en=f"The report document is malformed ({detail}). The file may be damaged or "
            "made by an incompatible version; ask for it to be exported again.",
        )
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


@dataclass
class Unit:
    name: str = ""
    kind: str = "enterprise"  # department | district | enterprise
    district: str = ""  # district id from the campaign
    credit_code: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class Activity:
    id: str
    focus_area: str = ""
    name: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    place: str = ""
    organiser: str = ""
    participants: int | None = None
    description: str = ""
    results: str = ""


@dataclass
class MediaRef:
    sha256: str
    size: int
    media_type: str  # detected from the bytes, e.g. "image/jpeg"; "" when unknown
    original_name: str = ""
    caption: str = ""
    activity_id: str | None = None
    position: int = 0
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None

    @property
    def kind(self) -> str:
        """'photo', 'video' or 'other', from the detected type."""
        return media_kind(self.media_type)


@dataclass
class Report:
    uuid: str
    campaign_id: str
    revision: int = 1
    title: str = ""
    summary: str = ""
    unit: Unit = field(default_factory=Unit)
    activities: list[Activity] = field(default_factory=list)
    media: list[MediaRef] = field(default_factory=list)

    @property
    def photos(self) -> list[MediaRef]:
        return [m for m in self.media if m.kind == "photo"]

    @property
    def videos(self) -> list[MediaRef]:
        return [m for m in self.media if m.kind == "video"]

    def to_dict(self) -> dict[str, Any]:
        def conv(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, list):
                return [conv(v) for v in value]
            if isinstance(value, dt.date):
                return value.isoformat()
            return value

        data: dict[str, Any] = conv(asdict(self))
        data["format"] = REPORT_FORMAT
        return data

    def canonical_json(self) -> bytes:
        """Stable bytes of the report: sorted keys, no spaces, UTF-8."""
        return json.dumps(
            self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ).encode("utf-8")

    def report_hash(self) -> str:
        return hashlib.sha256(self.canonical_json()).hexdigest()

    @classmethod
    def from_dict(cls, data: Any) -> Report:
        """Build a report from its JSON form; raises :class:`ReportFormatError`."""
        try:
            return _report_from_dict(data)
        except ReportFormatError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ReportFormatError(f"report document is malformed: {exc!r}") from None


def _str(data: dict[str, Any], key: str, limit: int = 100_000) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ReportFormatError(f"{key}: expected text, got {type(value).__name__}")
    if len(value) > limit:
        raise ReportFormatError(f"{key}: text longer than {limit} characters")
    return value


def _opt_int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportFormatError(f"{key}: expected a whole number")
    return value


def _opt_date(data: dict[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ReportFormatError(f"{key}: expected a date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ReportFormatError(f"{key}: {value!r} is not a date (YYYY-MM-DD)") from None


def _report_from_dict(data: Any) -> Report:
    if not isinstance(data, dict):
        raise ReportFormatError("report document must be a JSON object")
    fmt = data.get("format", REPORT_FORMAT)
    if fmt != REPORT_FORMAT:
        raise ReportFormatError(f"report format {fmt!r} is not supported")
    unit_d = data.get("unit") or {}
    if not isinstance(unit_d, dict):
        raise ReportFormatError("unit: expected an object")
    unit = Unit(**{k: _str(unit_d, k, 500) for k in Unit.__dataclass_fields__})
    revision = data.get("revision", 1)
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
        raise ReportFormatError("revision: expected a whole number of at least 1")
    activities = []
    for a in data.get("activities") or []:
        if not isinstance(a, dict):
            raise ReportFormatError("activities: each activity must be an object")
        activities.append(
            Activity(
                id=_str(a, "id", 64),
                focus_area=_str(a, "focus_area", 64),
                name=_str(a, "name", 500),
                start_date=_opt_date(a, "start_date"),
                end_date=_opt_date(a, "end_date"),
                place=_str(a, "place", 500),
                organiser=_str(a, "organiser", 500),
                participants=_opt_int(a, "participants"),
                description=_str(a, "description"),
                results=_str(a, "results"),
            )
        )
    media = []
    for m in data.get("media") or []:
        if not isinstance(m, dict):
            raise ReportFormatError("media: each item must be an object")
        sha = _str(m, "sha256", 64).lower()
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ReportFormatError(f"media sha256 {sha!r} is not a SHA-256 hex digest")
        size = _opt_int(m, "size")
        if size is None or size < 0:
            raise ReportFormatError("media size: expected a whole number of bytes")
        duration = m.get("duration_s")
        if duration is not None and (
            isinstance(duration, bool) or not isinstance(duration, (int, float))
        ):
            raise ReportFormatError("media duration_s: expected a number of seconds")
        media.append(
            MediaRef(
                sha256=sha,
                size=size,
                media_type=_str(m, "media_type", 100),
                original_name=_str(m, "original_name", 500),
                caption=_str(m, "caption", 2000),
                activity_id=m.get("activity_id") or None,
                position=_opt_int(m, "position") or 0,
                width=_opt_int(m, "width"),
                height=_opt_int(m, "height"),
                duration_s=float(duration) if duration is not None else None,
            )
        )
    return Report(
        uuid=_str(data, "uuid", 64),
        campaign_id=_str(data, "campaign_id", 64),
        revision=revision,
        title=_str(data, "title", 500),
        summary=_str(data, "summary", 200_000),
        unit=unit,
        activities=activities,
        media=media,
    )
