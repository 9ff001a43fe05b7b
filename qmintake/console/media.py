"""Reading a received file for the console, from whichever media store the server uses
(the data folder or an S3 bucket, through :mod:`qmintake.media`), and photo thumbnails
made once and cached in ``<data-dir>/thumbs``.

A file in the data folder is answered from its path (the operating system sends it); a
file in a bucket is streamed from the store with the range the browser asked for, so a
video plays and seeks without a local copy.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from qmintake import media
from qmintake.settings import IntakeState

THUMB_PX = 360
# a photo read from a bucket to make its thumbnail is read whole: phone photos are a few MB
MAX_THUMB_SOURCE = 64 * 1024 * 1024
BLOCK = 256 * 1024
_SHA = re.compile(r"[0-9a-f]{64}")


def media_file(state: IntakeState, sha256: str) -> Path | None:
    """The stored file of ``sha256`` when the store is the data folder, else None."""
    if not _SHA.fullmatch(sha256):
        return None
    path_for = getattr(state.blobs, "path_for", None)  # the data folder; not a bucket
    if path_for is None:
        return None
    path: Path = path_for(sha256)
    return path if path.is_file() else None


def stored_size(state: IntakeState, sha256: str) -> int | None:
    """The size of the stored file of ``sha256`` in any store, or None when it is not there."""
    if not _SHA.fullmatch(sha256):
        return None
    return media.size(state, sha256)


def stream(state: IntakeState, sha256: str, first: int, last: int) -> Iterator[bytes]:
    """Bytes ``first..last`` (inclusive) of a stored file, a block at a time."""
    with media.open_range(state, sha256, first, last + 1) as src:
        left = last - first + 1
        while left > 0:
            block = src.read(min(BLOCK, left))
            if not block:
                break
            left -= len(block)
            yield block


def _source(state: IntakeState, sha256: str) -> Path | BinaryIO | None:
    path = media_file(state, sha256)
    if path is not None:
        return path
    size = stored_size(state, sha256)
    if size is None or size > MAX_THUMB_SOURCE:
        return None
    with media.open_range(state, sha256, 0, size) as src:
        return io.BytesIO(src.read())


def thumbnail(state: IntakeState, sha256: str) -> Path | None:
    """A JPEG thumbnail of a stored photo, made on first request and kept."""
    if not _SHA.fullmatch(sha256):
        return None
    out = state.settings.data_dir / "thumbs" / sha256[:2] / f"{sha256}-{THUMB_PX}.jpg"
    if out.is_file():
        return out
    src = _source(state, sha256)
    if src is None:
        return None
    from PIL import Image, ImageOps

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
    try:
        with Image.open(src) as opened:
            opened.draft("RGB", (THUMB_PX * 2, THUMB_PX * 2))
            im = ImageOps.exif_transpose(opened)
            im.thumbnail((THUMB_PX, THUMB_PX))
            im.convert("RGB").save(tmp, "JPEG", quality=82)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    os.replace(tmp, out)
    return out
