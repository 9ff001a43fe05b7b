"""Where files live on the server: tus uploads in progress and the content-addressed store.

``uploads/<id>.part`` holds the bytes of an unfinished upload (its size is the tus
offset); a verified file is renamed to ``media/ab/cd/<sha256>``.  Both folders are on the
same file system, so the final move is an atomic rename.
"""

from __future__ import annotations

import os
from pathlib import Path


class BlobStore:
    def __init__(self, data_dir: Path) -> None:
        self.uploads = data_dir / "uploads"
        self.media = data_dir / "media"
        self.uploads.mkdir(parents=True, exist_ok=True)
        self.media.mkdir(parents=True, exist_ok=True)

    def part_path(self, upload_id: str) -> Path:
        if not upload_id.isalnum():  # ids are hex; never a path
            raise ValueError("bad upload id")
        return self.uploads / f"{upload_id}.part"

    def path_for(self, sha256: str) -> Path:
        return self.media / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

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
