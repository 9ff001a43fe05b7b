"""The file side of an upload: what is sent, and its bytes read in slices from disk.

A PATCH body is a :class:`FileSlice` — ``length`` bytes of the file from ``start``, read
1 MiB at a time into one reused buffer — so a file is never held in memory, whatever its
size.  A file that changed or went missing since its SHA-256 was recorded is told as a
:class:`~qmclient.sync.errors.SyncError` the user can act on.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qmclient.core.work import Work
from qmclient.sync.errors import SyncError

READ_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class UploadTarget:
    """One file to send: where it is, how long it is and what its SHA-256 is."""

    path: Path
    length: int
    sha256: str
    filename: str = ""
    filetype: str = ""
    extra_metadata: dict[str, str] = field(default_factory=dict)

    def metadata(self) -> dict[str, str]:
        meta = {"sha256": self.sha256}
        if self.filename:
            meta["filename"] = self.filename
        if self.filetype:
            meta["filetype"] = self.filetype
        meta.update(self.extra_metadata)
        return meta


def file_changed_error(target: UploadTarget, what: str = "changed") -> SyncError:
    name = target.filename or target.path.name
    if what == "missing":
        return SyncError(
            "media-missing-locally",
            zh=f"要上传的文件“{name}”在本机找不到了（可能被删除或移动）。请在报告中删除该文件后重新"
            "添加，再次报送。已上传的其他文件不受影响。",
            en=f"The file '{name}' to be sent is no longer on this computer (deleted or moved). "
            "Remove it from the report, add it again and submit again. Other files already "
            "sent are not affected.",
            kind="action",
        )
    return SyncError(
        "media-changed",
        zh=f"要上传的文件“{name}”在冻结报告后被改动过（内容与登记的 SHA-256 不一致）。请在报告中"
        "删除该文件后重新添加，再次报送。",
        en=f"The file '{name}' was changed after the report was frozen (its content no longer "
        "matches the recorded SHA-256). Remove it from the report, add it again and submit "
        "again.",
        kind="action",
    )


class FileSlice:
    """``length`` bytes of a file from ``start``, read 1 MiB at a time by the HTTP layer.

    Reads go straight into one reused buffer (no allocation or extra copy per block); the
    HTTP layer sends each block before it asks for the next.
    """

    def __init__(
        self,
        target: UploadTarget,
        start: int,
        length: int,
        work: Work,
        on_read: Callable[[int], None],
    ) -> None:
        self._target = target
        self._fh = open(target.path, "rb", buffering=0)  # noqa: SIM115 - closed by close()
        self._fh.seek(start)
        self._left = length
        self._work = work
        self._on_read = on_read
        self._view = memoryview(bytearray(min(READ_BLOCK, max(length, 1))))

    def __len__(self) -> int:
        return self._left

    def read(self, size: int = -1) -> memoryview:
        self._work.check()
        if self._left <= 0:
            return self._view[:0]
        want = min(self._left, len(self._view))
        if size is not None and size > 0:
            want = min(want, size)
        got = self._fh.readinto(self._view[:want])
        if not got:
            raise file_changed_error(self._target)
        self._left -= got
        self._on_read(got)
        return self._view[:got]

    def close(self) -> None:
        self._fh.close()


def open_slice(
    target: UploadTarget,
    start: int,
    length: int,
    work: Work,
    on_read: Callable[[int], None],
) -> FileSlice:
    """A :class:`FileSlice`, with a missing or unreadable file told as a SyncError."""
    try:
        return FileSlice(target, start, length, work, on_read)
    except FileNotFoundError:
        raise file_changed_error(target, "missing") from None
    except OSError as exc:
        raise SyncError(
            "media-unreadable",
            zh=f"无法读取要上传的文件“{target.filename}”（{exc.strerror}）。",
            en=f"The file '{target.filename}' cannot be read ({exc.strerror}).",
            kind="action",
        ) from None


def chunk_checksum(target: UploadTarget, start: int, length: int, algo: str, work: Work) -> str:
    """The ``Upload-Checksum`` value (``algo base64``) of ``length`` bytes from ``start``."""
    digest = hashlib.new(algo)
    with open(target.path, "rb") as fh:
        fh.seek(start)
        left = length
        while left > 0:
            work.check()
            data = fh.read(min(READ_BLOCK, left))
            if not data:
                raise file_changed_error(target)
            digest.update(data)
            left -= len(data)
    return f"{algo} {base64.b64encode(digest.digest()).decode('ascii')}"


def file_sha256(target: UploadTarget, work: Work) -> str:
    """The SHA-256 (hex) of the whole file as it is on disk now."""
    digest = hashlib.sha256()
    try:
        with open(target.path, "rb") as fh:
            while block := fh.read(READ_BLOCK):
                work.check()
                digest.update(block)
    except FileNotFoundError:
        raise file_changed_error(target, "missing") from None
    return digest.hexdigest()
