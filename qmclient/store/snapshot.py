"""Consistent copies of the live database, for backups: SQLite's online backup, or the
file read as immutable when nothing has it open for writing; and what a copy holds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qmclient.store.archive import BackupError
from qmclient.store.database import sqlite_copy


def referenced_media(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT sha256 FROM media_blob ORDER BY sha256").fetchall()
        return [str(r[0]) for r in rows]
    finally:
        conn.close()


def schema_of(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else ""
    except sqlite3.DatabaseError:
        return ""
    finally:
        conn.close()


def snapshot(db: Path, dest: Path) -> None:
    """A consistent copy of the live database.

    SQLite's online backup needs to open the database, which for a WAL database means
    creating its ``-shm`` file; on a full or read-only disk that fails.  When no ``-wal``
    file exists, nobody has the database open for writing, and the file itself is the
    whole truth: it is then read as immutable, which needs no new files.
    """
    try:
        sqlite_copy(db, dest)
        return
    except sqlite3.Error as exc:
        first = exc
    wal = db.with_name(db.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise BackupError(
            en=f"The database {db} cannot be read for the backup ({first}). If its disk is "
            "full, close qmclient and try again.",
            zh=f"无法读取数据库 {db} 进行备份（{first}）。如果磁盘已满，请关闭 qmclient 后重试。",
        )
    src = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(
            en=f"The database {db} cannot be read for the backup ({exc}).",
            zh=f"无法读取数据库 {db} 进行备份（{exc}）。",
        ) from None
    finally:
        src.close()
