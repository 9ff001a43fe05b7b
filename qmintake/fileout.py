"""Copying a submission's files out of the media store for the office to look at
(streamed from the store, local folder or object store alike).

Files keep the names the unit gave them, made safe: only the last path component,
no control characters, nothing starting with a dot, and a number in front so two
photos called ``IMG_0001.jpg`` from different phones do not overwrite each other.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from qmintake.media import open_range
from qmintake.settings import IntakeState

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
_EXT = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/heic": ".heic",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
}


def safe_name(original: str, index: int, media_type: str, sha256: str) -> str:
    base = re.split(r"[/\\]", original)[-1]
    base = _UNSAFE.sub("_", base).strip().lstrip(".").strip()[:120]
    if not base:
        base = sha256[:12] + _EXT.get(media_type, "")
    return f"{index:03d}-{base}"


def export_files(st: IntakeState, report: dict[str, Any], out: Path) -> list[Path]:
    """Copy every file of ``report`` into ``out`` (created); returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    root = out.resolve()
    written = []
    for i, m in enumerate(report.get("media", []), start=1):
        sha = str(m.get("sha256", ""))
        if not re.fullmatch(r"[0-9a-f]{64}", sha) or not st.blobs.exists(sha):
            continue
        dest = (
            out / safe_name(str(m.get("original_name", "")), i, str(m.get("media_type")), sha)
        ).resolve()
        if dest.parent != root:  # belt and braces: never outside the folder
            raise ValueError(f"refusing to write {dest}")
        with open_range(st, sha) as src, dest.open("wb") as sink:
            shutil.copyfileobj(src, sink, 1024 * 1024)
        written.append(dest)
    return written
