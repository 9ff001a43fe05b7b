"""The media store in the data folder (the default).

``uploads/<id>.part`` holds the bytes of an unfinished upload (its size is the tus
offset); a verified file is renamed to ``media/ab/cd/<sha256>``.  Both folders are on the
same file system, so the final move is an atomic rename.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from qmintake.media import MediaStoreError, check_key
from qmintake.media.rangeio import LimitedReader


class LocalMediaStore:
    kind = "local"

    def __init__(self, data_dir: Path) -> None:
        self.uploads = data_dir / "uploads"
        self.media = data_dir / "media"
        self.uploads.mkdir(parents=True, exist_ok=True)
        self.media.mkdir(parents=True, exist_ok=True)

    def describe(self) -> str:
        return f"folder {self.media}"

    def check(self) -> None:
        if not os.access(self.media, os.W_OK):
            raise MediaStoreError(
                zh=f"媒体目录 {self.media} 不可写：请检查目录权限。",
                en=f"the media folder {self.media} is not writable: check its permissions",
                code="media-store-denied",
            )

    # -- paths ---------------------------------------------------------------------
    def part_path(self, upload_id: str) -> Path:
        if not upload_id.isalnum():  # ids are hex; never a path
            raise ValueError("bad upload id")
        return self.uploads / f"{upload_id}.part"

    def path_for(self, sha256: str) -> Path:
        check_key(sha256)
        return self.media / sha256[:2] / sha256[2:4] / sha256

    # -- the interface -------------------------------------------------------------
    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    has = exists

    def size(self, sha256: str) -> int | None:
        try:
            return self.path_for(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def open_range(self, sha256: str, start: int = 0, end: int | None = None) -> BinaryIO:
        try:
            f = self.path_for(sha256).open("rb")
        except FileNotFoundError:
            raise _missing(sha256) from None
        f.seek(start)
        if end is None:
            return f
        return io.BufferedReader(LimitedReader(f, max(0, end - start)))

    def put(self, sha256: str, src: BinaryIO, size: int) -> None:
        dest = self.path_for(sha256)
        if dest.is_file():
            return
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.uploads, prefix="put-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
            self.commit(Path(tmp), sha256)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def list(self) -> Iterator[str]:
        for path in self.media.glob("??/??/*"):
            if path.is_file() and path.name.startswith(path.parent.parent.name + path.parent.name):
                yield path.name

    def commit(self, part: Path, sha256: str) -> Path:
        """Move a verified upload into the store (already fsynced by the writer)."""
        dest = self.path_for(sha256)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            part.unlink(missing_ok=True)
        else:
            os.replace(part, dest)
            fd = os.open(dest.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return dest


def _missing(sha256: str) -> MediaStoreError:
    return MediaStoreError(
        zh=f"媒体存储中缺少文件 {sha256}：它已登记却不在存储里，请运行 qmintake check 核对。",
        en=f"the file {sha256} is recorded but missing from the media store; run qmintake check",
        code="media-missing",
    )
