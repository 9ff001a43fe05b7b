"""The content-addressed media store: each file kept once, named by its SHA-256.

A file is copied into ``tmp/`` while it is hashed, flushed to disk (``fsync``), then
renamed to ``ab/cd/<sha256>``; a crash leaves at most a temporary file, which the next
:meth:`MediaStore.sweep_temp` removes.  A file that is already stored is not copied again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from qmclient.core.files import fsync_dir, is_disk_full, sha256_file
from qmclient.core.filetype import SNIFF_BYTES, describe_en, describe_zh, sniff, type_from_name
from qmclient.core.work import QmError, Work, work_or_new
from qmclient.store import claim as claims

CHUNK = 1024 * 1024


class MediaError(QmError):
    """A file that cannot be taken in; the message names it and says what to do."""

    def __init__(self, code: str, path: Path | str, *, zh: str, en: str) -> None:
        super().__init__(zh=zh, en=en, code=code)
        self.path = str(path)

    def __str__(self) -> str:
        return f"{self.path}: {self.message_en}"


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    media_type: str
    path: Path
    was_new: bool


WRITEBACK_EVERY = 64 * 1024 * 1024


def _start_writeback(fh: BinaryIO) -> None:
    """Ask the kernel to start writing what is written so far (without waiting), so the
    disk works while we go on hashing and the final fsync has less left to do; it also
    keeps a multi-GB import from crowding the page cache."""
    fh.flush()
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        with contextlib.suppress(OSError):
            advise(fh.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


# A temporary file is claimed by the process writing it (qmclient/store/claim.py), from
# the first byte until it is renamed into place or deleted; sweeping leaves claimed files.
_claim, _release, _claimed = claims.claim, claims.release, claims.claimed


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def missing(self, shas: Iterable[str]) -> set[str]:
        """Those of ``shas`` with no stored file: :meth:`has` for many at once, on plain
        strings (building a ``Path`` per file costs more than the look at the disk)."""
        root = os.fspath(self.root)
        sep = os.sep
        gone = set()
        for sha in shas:
            try:
                st = os.stat(f"{root}{sep}{sha[:2]}{sep}{sha[2:4]}{sep}{sha}")
            except (OSError, ValueError):
                gone.add(sha)
                continue
            if not stat.S_ISREG(st.st_mode):
                gone.add(sha)
        return gone

    def sweep_temp(self) -> int:
        """Remove temporary files left by an interrupted copy; returns how many.  A file
        another qmclient is copying into now (the command line while the window is open)
        is claimed by it and left alone."""
        if not self.tmp.is_dir():
            return 0
        removed = 0
        for leftover in self.tmp.iterdir():
            if _claimed(leftover):
                continue
            leftover.unlink(missing_ok=True)
            removed += 1
        return removed

    def stored(self) -> Iterator[tuple[str, Path]]:
        """Every stored file as ``(sha256, path)``; temporary files are not listed."""
        if not self.root.is_dir():
            return
        for first in self.root.iterdir():
            if len(first.name) != 2 or not first.is_dir():
                continue  # "tmp" and anything that is not the store's own
            for second in first.iterdir():
                if not second.is_dir():
                    continue
                for path in second.iterdir():
                    name = path.name
                    if len(name) == 64 and name.startswith(first.name + second.name):
                        yield name, path

    def discard(self, sha256: str) -> int:
        """Delete a stored file (one nothing refers to); returns the bytes freed."""
        path = self.path_for(sha256)
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return 0
        fsync_dir(path.parent)
        return size

    def put(
        self,
        source: Path,
        *,
        accepted_types: tuple[str, ...] | None = None,
        max_bytes: int | None = None,
        work: Work | None = None,
    ) -> StoredBlob:
        """Copy ``source`` in (if not already stored) and return what it is.

        Raises :class:`MediaError` for files that cannot or must not be taken in, and
        :class:`Cancelled` when ``work`` is cancelled; nothing is left behind either way.
        """
        work = work_or_new(work)
        try:
            fh = open(source, "rb")  # noqa: SIM115 - closed in finally below
        except FileNotFoundError:
            raise MediaError(
                "missing",
                source,
                en="the file no longer exists",
                zh="文件不存在（可能已被移动或删除）",
            ) from None
        except IsADirectoryError:
            raise MediaError("folder", source, en="this is a folder", zh="这是一个文件夹") from None
        except PermissionError:
            if source.is_dir():  # Windows refuses to open a folder with "permission denied"
                raise MediaError(
                    "folder", source, en="this is a folder", zh="这是一个文件夹"
                ) from None
            raise MediaError(
                "unreadable",
                source,
                en="the file cannot be read (permission denied)",
                zh="没有读取该文件的权限",
            ) from None
        except OSError as exc:
            raise MediaError(
                "unreadable",
                source,
                en=f"the file cannot be read ({exc.strerror})",
                zh=f"无法读取该文件（{exc.strerror}）",
            ) from None
        tmp_path: Path | None = None
        claim: int | None = None
        try:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                raise MediaError(
                    "empty", source, en="the file is empty (0 bytes)", zh="文件是空的（0 字节）"
                )
            if max_bytes is not None and size > max_bytes:
                raise MediaError(
                    "too-large",
                    source,
                    en=f"the file is {size / 2**30:.2f} GiB, over the limit of "
                    f"{max_bytes / 2**30:.2f} GiB",
                    zh=f"文件大小 {size / 2**30:.2f} GB，超过上限 {max_bytes / 2**30:.2f} GB",
                )
            head = fh.read(SNIFF_BYTES)
            media_type = sniff(head).media_type
            if accepted_types is not None and media_type not in accepted_types:
                named = type_from_name(source.name)
                if named and named != media_type:
                    raise MediaError(
                        "mislabelled",
                        source,
                        en=f"the name says {describe_en(named)} but the content is "
                        f"{describe_en(media_type)}; check that this is the right file",
                        zh=f"文件扩展名显示为{describe_zh(named)}，但内容是{describe_zh(media_type)}，"
                        "请确认是否选错了文件",
                    )
                raise MediaError(
                    "unsupported",
                    source,
                    en=f"{describe_en(media_type)} is not accepted; add photos "
                    "(JPEG, PNG, HEIC) or videos (MP4, MOV)",
                    zh=f"不支持{describe_zh(media_type)}，请添加照片（JPEG、PNG、HEIC）"
                    "或视频（MP4、MOV）",
                )
            self.tmp.mkdir(parents=True, exist_ok=True)
            tmp_path = self.tmp / f"{uuid.uuid4().hex}.part"
            claim = _claim(tmp_path)
            digest = hashlib.sha256()
            done = 0
            with open(tmp_path, "wb") as out:
                chunk = head
                while chunk:
                    work.check()
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    work.progress(done, size)
                    chunk = fh.read(CHUNK)
                out.flush()
                os.fsync(out.fileno())
            if done != size:
                raise MediaError(
                    "changed",
                    source,
                    en="the file changed size while it was being read; try again",
                    zh="读取过程中文件大小发生变化，请稍后重试",
                )
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.is_file() and final.stat().st_size == size:
                tmp_path.unlink()
                tmp_path = None
                return StoredBlob(sha, size, media_type, final, False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_path, final)
            tmp_path = None
            fsync_dir(final.parent)
            return StoredBlob(sha, size, media_type, final, True)
        except OSError as exc:
            if is_disk_full(exc):
                raise MediaError(
                    "disk-full",
                    source,
                    en="the disk is full; free some space and add the file again",
                    zh="磁盘空间已满，请释放空间后重新添加",
                ) from None
            if isinstance(exc, FileNotFoundError):
                raise MediaError(
                    "missing",
                    source,
                    en="the file disappeared while it was read",
                    zh="读取过程中文件消失了",
                ) from None
            raise MediaError(
                "io",
                source,
                en=f"reading or storing failed ({exc.strerror or exc})",
                zh=f"读取或保存失败（{exc.strerror or exc}）",
            ) from None
        finally:
            fh.close()
            if tmp_path is not None:
                tmp_path.unlink(missing_ok=True)
            _release(claim)

    def verify(self, sha256: str) -> bool:
        """Re-hash a stored file: ``True`` when it is present and intact."""
        try:
            return sha256_file(self.path_for(sha256))[0] == sha256
        except OSError:
            return False

    def put_chunks(
        self,
        chunks: Iterable[bytes],
        sha256: str,
        size: int,
        *,
        work: Work | None = None,
        sync_dir: bool = True,
    ) -> StoredBlob:
        """Store bytes that arrive in pieces (from a package, say) under a known SHA-256.

        With ``sync_dir=False`` the caller fsyncs the returned file's folder itself (once
        for many files, before anything refers to them).

        Written to a temporary file, hashed on the way, flushed, then renamed into place;
        when the bytes are not ``size`` long or do not hash to ``sha256``, or the source
        raises, nothing is stored and the error (or :class:`ValueError`) propagates.  A
        file already stored is not written again (the chunks are not even read).
        """
        work = work_or_new(work)
        final = self.path_for(sha256)
        if final.is_file() and final.stat().st_size == size:
            return StoredBlob(sha256, size, "", final, False)
        self.tmp.mkdir(parents=True, exist_ok=True)
        tmp_path = self.tmp / f"{uuid.uuid4().hex}.part"
        claim = _claim(tmp_path)
        try:
            digest = hashlib.sha256()
            done = 0
            head = b""
            # Hash one chunk in a helper thread while the next is read and this one
            # written: hashlib and file I/O release the GIL, so two cores share the work.
            with open(tmp_path, "wb") as out, ThreadPoolExecutor(1) as hasher:
                hashing: Future[None] | None = None
                for chunk in chunks:
                    work.check()
                    if len(head) < SNIFF_BYTES:
                        head += chunk[: SNIFF_BYTES - len(head)]
                    if hashing is not None:
                        hashing.result()
                    hashing = hasher.submit(digest.update, chunk)
                    out.write(chunk)
                    done += len(chunk)
                    if done % WRITEBACK_EVERY < len(chunk):
                        _start_writeback(out)
                if hashing is not None:
                    hashing.result()
                out.flush()
                os.fsync(out.fileno())
            if done != size or digest.hexdigest() != sha256:
                raise ValueError(f"content does not match {sha256[:12]} ({done} bytes)")
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_path, final)
            if sync_dir:
                fsync_dir(final.parent)
            return StoredBlob(sha256, size, sniff(head).media_type, final, True)
        finally:
            tmp_path.unlink(missing_ok=True)
            _release(claim)
