"""The coordinator's "returned for revision" note (.qmnote): a small JSON file.

Signed by nothing: it says which report (UUID and revision) is returned, why, by whom and
when, and the unit imports it to see the comment beside its report.  Reading it is
careful (size cap, strict fields) because it arrives from outside.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from qmclient.core.boundedjson import JsonBounds, JsonRefused, loads_bounded
from qmclient.export.atomic import Staging
from qmclient.export.errors import PackageError
from qmclient.export.text import safe_filename

FORMAT = "qmnote"
FORMAT_VERSION = 1
SUFFIX = ".qmnote"
MAX_BYTES = 256 * 1024
NOTE_BOUNDS = JsonBounds(max_bytes=MAX_BYTES, max_depth=16, max_items=10_000, max_string=MAX_BYTES)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class ReturnNote:
    uuid: str
    revision: int
    unit_name: str
    comment: str
    by: str
    at: dt.datetime

    def to_dict(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "uuid": self.uuid,
            "revision": self.revision,
            "unit_name": self.unit_name,
            "comment": self.comment,
            "by": self.by,
            "at": self.at.astimezone(dt.UTC).isoformat(),
        }


def write_note(folder: Path, note: ReturnNote) -> Path:
    """Write the note atomically into ``folder``; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    name = safe_filename(f"退回意见-{note.unit_name or note.uuid[:8]}-第{note.revision}版{SUFFIX}")
    target = folder / name
    staging = Staging()
    try:
        with staging.open(target) as fh:
            fh.write(json.dumps(note.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"))
        return staging.commit()[0]
    finally:
        staging.discard()


def read_note(path: Path) -> ReturnNote:
    """Raises :class:`PackageError` (reason ``bad-note``/``newer-format``/``unreadable``)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise PackageError("bad-note", zh="退回意见文件过大", en="the note file is too large")
        doc = loads_bounded(path.read_bytes(), path.name, NOTE_BOUNDS)
    except OSError as exc:
        raise PackageError(
            "unreadable", zh=f"无法读取 {path.name}", en=f"{path.name} cannot be read ({exc})"
        ) from None
    except JsonRefused as exc:
        raise PackageError(
            "bad-note",
            zh=f"{exc.message_zh}（不是可读的退回意见文件）",
            en=f"{exc.message_en} (not a readable return note)",
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PackageError(
            "bad-note", zh=f"{path.name} 不是退回意见文件", en=f"{path.name} is not a note"
        )
    if not isinstance(doc.get("format_version"), int) or doc["format_version"] > FORMAT_VERSION:
        raise PackageError(
            "newer-format",
            zh="退回意见由更新版本的程序生成",
            en="the note is from a newer qmclient",
        )
    try:
        uuid = str(doc["uuid"]).lower()
        revision = int(doc["revision"])
        at = dt.datetime.fromisoformat(str(doc["at"]))
        if not _UUID.match(uuid) or revision < 1 or at.tzinfo is None:
            raise ValueError("fields")
        return ReturnNote(
            uuid,
            revision,
            str(doc.get("unit_name", ""))[:200],
            str(doc.get("comment", ""))[:10_000],
            str(doc.get("by", ""))[:200],
            at,
        )
    except (KeyError, TypeError, ValueError):
        raise PackageError(
            "bad-note", zh=f"{path.name} 的内容不完整或格式错误", en=f"{path.name} is malformed"
        ) from None
