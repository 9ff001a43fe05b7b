"""Why the store cannot be used, in Chinese and English (no SQLAlchemy needed to raise or
show these: the window can report them before the database layer is loaded)."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

from qmclient.core.work import QmError

# The newest migration this program knows; tests check it matches the migrations folder.
SCHEMA_HEAD = "0004"
SCHEMA_HISTORY = ("0001", "0002", "0003", "0004")
DB_NAME = "qmclient.sqlite3"


class StoreError(QmError):
    """The store cannot be used; ``message_zh`` says why in Chinese."""

    code = "store"


class StoreTooNewError(StoreError):
    code = "store-too-new"


class StoreCorruptError(StoreError):
    def __init__(self, path: Path, detail: str, backup: Path | None) -> None:
        offer_en = f" The newest backup is {backup}." if backup else " There is no backup."
        offer_zh = f"最近的备份是 {backup}。" if backup else "没有可用的备份。"
        super().__init__(
            zh=f"数据库文件 {path} 已损坏（{detail}），文件已原样保留。{offer_zh}",
            en=f"The database {path} is damaged ({detail}). It was left as it is.{offer_en}",
            code="store-corrupt",
        )
        self.path = path
        self.backup = backup


class StoreFullError(StoreError):
    """The disk holding the data folder is full: nothing is damaged, no backup is needed."""

    def __init__(self, folder: Path, detail: str) -> None:
        super().__init__(
            code="store-full",
            en=f"The disk holding the data folder {folder} is full ({detail}). Nothing is "
            "damaged and no backup needs restoring: free some space on that disk (delete or "
            "move large files), then try again. Reports can still be viewed, checked and "
            "exported meanwhile.",
            zh=f"数据文件夹 {folder} 所在的磁盘已满。数据没有损坏，不需要恢复备份："
            "请在该磁盘上释放空间（删除或移走大文件）后重试。在此期间仍可查看、检查和导出报告。",
        )
        self.folder = folder


class StoreReadOnlyError(StoreError):
    """The data folder (or its disk) cannot be written: nothing is damaged."""

    def __init__(self, folder: Path, detail: str) -> None:
        super().__init__(
            code="store-read-only",
            en=f"The data folder {folder} cannot be written ({detail}): the disk is read-only "
            "or the folder's permissions forbid writing. Nothing is damaged and no backup "
            "needs restoring. Reports can still be viewed, checked and exported; to change "
            "them, make the folder writable or choose another data folder.",
            zh=f"数据文件夹 {folder} 无法写入：磁盘为只读，或文件夹权限不允许写入。"
            "数据没有损坏，不需要恢复备份。仍可查看、检查和导出报告；如需修改报告，"
            "请让该文件夹可写，或选择其他数据文件夹。",
        )
        self.folder = folder


# SQLite's primary result codes that mean "the disk", not "the file"
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 8, 10, 13, 14
LOW_SPACE_BYTES = 1024 * 1024


def disk_trouble(path: Path, exc: BaseException) -> StoreError | None:
    """A :class:`StoreFullError` or :class:`StoreReadOnlyError` when ``exc`` (an OSError,
    a sqlite3 or SQLAlchemy error) came from the disk or folder of the database ``path``
    rather than from its contents; ``None`` otherwise."""
    folder = path.parent
    inner = getattr(exc, "orig", None) or exc
    detail = str(inner)
    if isinstance(inner, OSError):
        if inner.errno in (errno.ENOSPC, errno.EDQUOT):
            return StoreFullError(folder, inner.strerror or detail)
        if inner.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreReadOnlyError(folder, inner.strerror or detail)
        return None
    if not isinstance(inner, sqlite3.Error):
        return None
    code = (getattr(inner, "sqlite_errorcode", 0) or 0) & 0xFF
    text = detail.lower()
    if code == _SQLITE_FULL or "disk is full" in text:
        return StoreFullError(folder, detail)
    if code == _SQLITE_READONLY or "readonly" in text:
        return StoreReadOnlyError(folder, detail)
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "unable to open" in text or "i/o" in text:
        if _low_space(folder):
            return StoreFullError(folder, detail)
        if not _writable(folder):
            return StoreReadOnlyError(folder, detail)
    return None


def _low_space(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False


def _writable(folder: Path) -> bool:
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except (OSError, AttributeError):
        pass
    return os.access(folder, os.W_OK)
