"""Reading a received file for the console: the one place that knows where media live
(so it can be switched to another media store), and photo thumbnails made once and
cached in ``<data-dir>/thumbs``."""

from __future__ import annotations

import os
import re
from pathlib import Path

from qmintake.settings import IntakeState

THUMB_PX = 360
_SHA = re.compile(r"[0-9a-f]{64}")


def media_file(state: IntakeState, sha256: str) -> Path | None:
    """The stored file of ``sha256`` (a path, read with ranges), or None."""
    if not _SHA.fullmatch(sha256):
        return None
    path_for = getattr(state.blobs, "path_for", None)  # the data folder; not a bucket
    if path_for is None:
        return None
    path: Path = path_for(sha256)
    return path if path.is_file() else None


def thumbnail(state: IntakeState, sha256: str) -> Path | None:
    """A JPEG thumbnail of a stored photo, made on first request and kept."""
    src = media_file(state, sha256)
    if src is None:
        return None
    out = state.settings.data_dir / "thumbs" / sha256[:2] / f"{sha256}-{THUMB_PX}.jpg"
    if out.is_file():
        return out
    from PIL import Image, ImageOps

    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with Image.open(src) as opened:
            opened.draft("RGB", (THUMB_PX * 2, THUMB_PX * 2))
            im = ImageOps.exif_transpose(opened)
            im.thumbnail((THUMB_PX, THUMB_PX))
            tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
            im.convert("RGB").save(tmp, "JPEG", quality=82)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    os.replace(tmp, out)
    return out
