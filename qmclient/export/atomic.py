"""Writing output files so that a failure never leaves a half-written one.

Every output is first written to a hidden temporary file *in its target folder* (so the
final rename never crosses file systems), flushed and ``fsync``-ed.  A :class:`Staging`
collects the temporary files of one export; :meth:`Staging.commit` renames them all into
place at the end, :meth:`Staging.discard` (also on any exception) removes them.  So an
export either delivers every file it promised or none.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from qmclient.core.files import fsync_dir, is_disk_full
from qmclient.export.errors import ExportError

TEMP_PREFIX = ".qmclient-"
TEMP_SUFFIX = ".part"


def os_error(exc: OSError, target: Path) -> ExportError:
    """An :class:`ExportError` that says in plain words what went wrong with ``target``."""
    if is_disk_full(exc):
        return ExportError(
            "disk-full",
            zh=f"保存 {target.name} 时磁盘空间已满；请释放空间或换一个文件夹后重试，未留下不完整的文件",
            en=f"the disk filled up while writing {target.name}; free some space or choose "
            "another folder and try again (no partial file was left)",
            path=str(target),
        )
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(
            "not-writable",
            zh=f"无法写入文件夹 {target.parent}（没有写入权限或为只读），请换一个文件夹",
            en=f"the folder {target.parent} cannot be written to (permission denied or "
            "read-only); choose another folder",
            path=str(target),
        )
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return ExportError(
            "no-folder",
            zh=f"文件夹 {target.parent} 不存在，请先创建或换一个文件夹",
            en=f"the folder {target.parent} does not exist; create it or choose another",
            path=str(target),
        )
    return ExportError(
        "io",
        zh=f"写入 {target.name} 失败（{exc.strerror or exc}），未留下不完整的文件",
        en=f"writing {target.name} failed ({exc.strerror or exc}); no partial file was left",
        path=str(target),
    )


def check_writable(folder: Path) -> None:
    """Raise :class:`ExportError` unless a file can be created in ``folder``."""
    probe = folder / f"{TEMP_PREFIX}probe-{uuid.uuid4().hex}{TEMP_SUFFIX}"
    try:
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no such folder", str(folder))
        with open(probe, "xb"):
            pass
    except OSError as exc:
        raise os_error(exc, probe) from None
    finally:
        with contextlib.suppress(OSError):  # a read-only file system refuses even this
            probe.unlink(missing_ok=True)


class Staging:
    """Temporary files of one export, renamed into place together at the end."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []  # (temp, final)

    @property
    def targets(self) -> list[Path]:
        return [final for _tmp, final in self._pending]

    @contextmanager
    def open(self, target: Path) -> Iterator[BinaryIO]:
        """A binary file to write ``target``'s content to; fsynced when the block ends."""
        tmp = target.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}{TEMP_SUFFIX}")
        try:
            fh = open(tmp, "xb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise os_error(exc, target) from None
        ok = False
        try:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            ok = True
        except OSError as exc:
            raise os_error(exc, target) from None
        finally:
            try:
                fh.close()
            except OSError:
                ok = False
            if ok:
                self._pending.append((tmp, target))
            else:
                tmp.unlink(missing_ok=True)

    def commit(self) -> list[Path]:
        """Rename every staged file into place; returns the final paths.

        Should a rename fail (it does not cross file systems, so hardly ever), the files
        already renamed are removed again and the rest discarded: still all or nothing.
        """
        done: list[Path] = []
        try:
            for tmp, final in self._pending:
                os.replace(tmp, final)
                done.append(final)
            for folder in {final.parent for final in done}:
                fsync_dir(folder)
        except OSError as exc:
            failed = self._pending[min(len(done), len(self._pending) - 1)][1]
            for final in done:
                final.unlink(missing_ok=True)
            self.discard()
            raise os_error(exc, failed) from None
        self._pending.clear()
        return done

    def discard(self) -> None:
        for tmp, _final in self._pending:
            tmp.unlink(missing_ok=True)
        self._pending.clear()


def sweep_temp(folder: Path, older_than_s: float = 6 * 3600) -> int:
    """Remove temporary files an interrupted export (a kill, a power cut) left in
    ``folder``; only old ones, so an export running at the same time keeps its own."""
    import time

    removed = 0
    cutoff = time.time() - older_than_s
    if folder.is_dir():
        for leftover in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
                    removed += 1
    return removed
