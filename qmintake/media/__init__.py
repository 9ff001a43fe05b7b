"""Where verified photos and videos live: one small interface, two stores.

- :class:`~qmintake.media.local.LocalMediaStore` — the data folder (the default):
  ``media/ab/cd/<sha256>``, unfinished tus uploads in ``uploads/<id>.part``.
- :class:`~qmintake.media.s3.S3MediaStore` — an S3-compatible object store
  (``--media-store s3://bucket/prefix``): ``<prefix>media/<sha256>``, unfinished uploads
  as S3 multipart uploads whose state (parts, offset, running SHA-256) is in the database,
  so replicas share no folder.

Keys are content addresses (the file's SHA-256, 64 lower-case hex digits).  A file is put
into a store only after its SHA-256 and type were checked (``tus/engine.py``,
``hooks.py``).  Readers (downloads, the console's thumbnails and video playback, the
office's archives) call :func:`open_range` and :func:`size` and stream; nothing is copied
to local disk first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO, Protocol

from qmclient.core.work import QmError

if TYPE_CHECKING:
    from qmintake.settings import IntakeState, Settings

SHA256_KEY = re.compile(r"^[0-9a-f]{64}$")


class MediaStoreError(QmError):
    """The media store cannot be used: unreachable, refused credentials, no bucket, or
    a recorded file missing from it.  ``code`` says which."""

    code = "media-store"


def check_key(sha256: str) -> str:
    if not SHA256_KEY.match(sha256):
        raise ValueError(f"not a SHA-256 key: {sha256[:80]!r}")
    return sha256


class MediaStore(Protocol):
    """What the rest of qmintake may ask of a media store."""

    kind: str  # "local" or "s3"

    def describe(self) -> str: ...

    def check(self) -> None:
        """Raise :class:`MediaStoreError` (clear, bilingual) unless the store is usable."""

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int | None:
        """The stored file's size in bytes, or None when it is not there."""

    def open_range(self, sha256: str, start: int = 0, end: int | None = None) -> BinaryIO:
        """A stream of bytes ``[start, end)`` of the file (``end`` None: to its end).

        Raises :class:`MediaStoreError` (code ``media-missing``) when it is not there."""

    def put(self, sha256: str, src: BinaryIO, size: int) -> None:
        """Store a verified file read from ``src`` (``size`` bytes)."""

    def delete(self, sha256: str) -> None: ...

    def list(self) -> Iterator[str]:
        """Every key in the store."""


def open_media_store(settings: Settings) -> MediaStore:
    """The store named by ``settings.media_store`` ('' → the data folder)."""
    url = settings.media_store
    if not url or url.startswith("file:") or url == "local":
        from qmintake.media.local import LocalMediaStore

        return LocalMediaStore(settings.data_dir)
    if url.startswith("s3://"):
        from qmintake.media.s3 import S3MediaStore

        return S3MediaStore.from_url(url, endpoint=settings.s3_endpoint)
    raise MediaStoreError(
        zh=f"无法识别的媒体存储地址 {url!r}：请使用 s3://存储桶/前缀，或不填（使用数据目录）。",
        en=f"unknown media store {url!r}: use s3://bucket/prefix, or leave it out for the "
        "data folder",
        code="media-store-url",
    )


def open_range(st: IntakeState, sha256: str, start: int = 0, end: int | None = None) -> BinaryIO:
    """The one function readers call: a stream of a stored file's bytes (see above)."""
    return st.blobs.open_range(check_key(sha256), start, end)


def size(st: IntakeState, sha256: str) -> int | None:
    return st.blobs.size(check_key(sha256))
