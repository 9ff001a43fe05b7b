"""The file chores every layer shares, each written once: hashing a file, writing a file
so that a crash never leaves half of it, making a rename durable, and telling a full disk
from other write errors.

Nothing here knows of Qt, SQL or HTTP; long loops take a :class:`Work`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from qmclient.core.work import Work

CHUNK = 1024 * 1024
_FULL = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code is not None
)


def is_disk_full(exc: BaseException) -> bool:
    """``True`` when ``exc`` says the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in _FULL


def sha256_file(path: Path, *, work: Work | None = None, chunk: int = CHUNK) -> tuple[str, int]:
    """The SHA-256 (hex) and size of the file at ``path``, read in ``chunk`` pieces;
    ``work`` is checked between pieces and told the bytes hashed so far."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
            size += len(block)
            if work is not None:
                work.progress(size)
    return digest.hexdigest(), size


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (a no-op where unsupported)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_beside(path: Path) -> Path:
    """A hidden, unique temporary name in ``path``'s folder (a rename to ``path`` then
    never crosses file systems)."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")


@contextmanager
def atomic_writer(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """Write ``path`` whole or not at all: the caller writes to a temporary file beside
    it, which is flushed, ``fsync``-ed and renamed over ``path`` when the block ends
    normally, and removed when it raises.  With ``durable`` the folder is synced too."""
    tmp = temp_beside(path)
    try:
        with open(tmp, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :func:`atomic_writer`)."""
    with atomic_writer(path, durable=durable) as fh:
        fh.write(data)
