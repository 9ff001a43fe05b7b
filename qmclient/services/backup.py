"""Back up the whole data folder to one archive, and restore it safely.

The archive is a ZIP in *stored* mode (photos and videos do not compress) holding:

- ``qmclient.sqlite3`` — a consistent snapshot taken with SQLite's online backup, so the
  app may keep writing while the backup runs;
- ``media/ab/cd/<sha256>`` — every media file the snapshot refers to;
- ``manifest.json`` — written last: format, program version, schema revision, and the
  size and SHA-256 of every other entry.

Restoring checks the archive completely before anything is replaced (every name against
a whitelist, so no zip slip, absolute path or symlink gets through; sizes; hashes; the
schema revision not newer than this program), unpacks it into a new folder beside the
data folder, opens it and runs ``PRAGMA integrity_check`` there, and only then swaps the
folders with two renames.  The previous data folder is kept, renamed, until the user
deletes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from qmclient import __version__
from qmclient.core.boundedjson import JsonBounds, JsonRefused, loads_bounded
from qmclient.store.database import (
    DB_NAME,
    SCHEMA_HISTORY,
    StoreError,
    _sqlite_copy,
    open_store,
)
from qmclient.store.models import Submission

FORMAT = "qmclient-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
# a whole store's list of files and rows: many items, never deep
BACKUP_MANIFEST_BOUNDS = JsonBounds(
    max_bytes=MAX_MANIFEST_BYTES, max_depth=16, max_items=4_000_000, max_string=4 * 1024 * 1024
)
MAX_ENTRIES = 1_000_000
RESTORE_MARK = ".restore-complete"
_MEDIA_NAME = re.compile(r"^media/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")

ProgressFn = Callable[[int, int], None]  # (bytes done, bytes total)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; nothing of the user's data was changed."""

    def __init__(self, message_en: str, message_zh: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh


@dataclass
class BackupResult:
    archive: Path
    files: int
    bytes: int
    schema: str
    missing_media: list[str] = field(default_factory=list)  # referenced but not on disk


@dataclass
class ArchiveInfo:
    """What a checked archive holds (from its manifest)."""

    created_at: str
    app_version: str
    schema: str
    files: int
    bytes: int
    submissions: int | None = None


@dataclass
class RestoreResult:
    data_dir: Path
    previous: Path | None  # where the replaced data folder was kept
    info: ArchiveInfo = field(default_factory=lambda: ArchiveInfo("", "", "", 0, 0))


# ----------------------------------------------------------------------------- backup


def _disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1))


def _remove_quietly(path: Path) -> None:
    # a read-only or vanished folder: nothing was written there anyway
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _referenced_media(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT sha256 FROM media_blob ORDER BY sha256").fetchall()
        return [str(r[0]) for r in rows]
    finally:
        conn.close()


def _schema_of(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else ""
    except sqlite3.DatabaseError:
        return ""
    finally:
        conn.close()


def _add_file(
    zf: zipfile.ZipFile, source: Path, arcname: str, on_bytes: Callable[[int], None]
) -> tuple[int, str]:
    """Stream ``source`` into the archive; returns its size and SHA-256."""
    info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as src:
        big = os.fstat(src.fileno()).st_size >= zipfile.ZIP64_LIMIT
        with zf.open(info, "w", force_zip64=big) as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
                on_bytes(len(chunk))
    return size, digest.hexdigest()


def _snapshot(db: Path, dest: Path) -> None:
    """A consistent copy of the live database.

    SQLite's online backup needs to open the database, which for a WAL database means
    creating its ``-shm`` file; on a full or read-only disk that fails.  When no ``-wal``
    file exists, nobody has the database open for writing, and the file itself is the
    whole truth: it is then read as immutable, which needs no new files.
    """
    try:
        _sqlite_copy(db, dest)
        return
    except sqlite3.Error as exc:
        first = exc
    wal = db.with_name(db.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise BackupError(
            f"The database {db} cannot be read for the backup ({first}). If its disk is "
            "full, close qmclient and try again.",
            f"无法读取数据库 {db} 进行备份（{first}）。如果磁盘已满，请关闭 qmclient 后重试。",
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
            f"The database {db} cannot be read for the backup ({exc}).",
            f"无法读取数据库 {db} 进行备份（{exc}）。",
        ) from None
    finally:
        src.close()


def create_backup(
    data_dir: Path, archive: Path, *, progress: ProgressFn | None = None
) -> BackupResult:
    """Write the data folder to ``archive`` (atomically: a ``.part`` file, then a rename).

    Safe while the app writes: the database is copied with SQLite's online backup first,
    and media files are content-addressed and never change once stored.
    """
    db = data_dir / DB_NAME
    if not db.is_file():
        raise BackupError(
            f"There is no qmclient data in {data_dir} to back up.",
            f"{data_dir} 中没有可备份的 qmclient 数据。",
        )
    archive = archive.expanduser().resolve()
    if archive.is_relative_to(data_dir.resolve()):
        raise BackupError(
            "Save the backup outside the data folder (it would include itself).",
            "请把备份文件保存到数据文件夹以外的位置。",
        )
    part = archive.with_name(archive.name + ".part")
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="qmclient-backup-") as tmp:
            snapshot = Path(tmp) / DB_NAME
            _snapshot(db, snapshot)
            schema = _schema_of(snapshot)
            shas = _referenced_media(snapshot)
            media_root = data_dir / "media"
            sources: list[tuple[Path, str]] = [(snapshot, DB_NAME)]
            missing: list[str] = []
            for sha in shas:
                path = media_root / sha[:2] / sha[2:4] / sha
                if path.is_file():
                    sources.append((path, f"media/{sha[:2]}/{sha[2:4]}/{sha}"))
                else:
                    missing.append(sha)
            total = sum(p.stat().st_size for p, _ in sources)
            done = 0

            def on_bytes(n: int) -> None:
                nonlocal done
                done += n
                if progress is not None:
                    progress(done, total)

            files: list[dict[str, Any]] = []
            with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
                for path, name in sources:
                    size, sha = _add_file(zf, path, name, on_bytes)
                    files.append({"path": name, "size": size, "sha256": sha})
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "app_version": __version__,
                    "schema": schema,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "files": files,
                    "missing_media": missing,
                }
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, archive)
    except OSError as exc:
        _remove_quietly(part)
        if _disk_full(exc):
            raise BackupError(
                f"The disk holding {archive.parent} is full; free some space or save the "
                "backup elsewhere.",
                f"{archive.parent} 所在磁盘空间已满，请释放空间或换一个位置保存备份。",
            ) from None
        raise BackupError(
            f"The backup {archive} cannot be written ({exc.strerror or exc}).",
            f"无法写入备份文件 {archive}（{exc.strerror or exc}）。",
        ) from None
    except BaseException:
        _remove_quietly(part)
        raise
    return BackupResult(archive, len(files), total, schema, missing)


# ----------------------------------------------------------------------------- checking


def _bad(archive: Path, en: str, zh: str) -> BackupError:
    return BackupError(
        f"{archive} is not a usable qmclient backup: {en}. Nothing was changed.",
        f"{archive} 不是可用的 qmclient 备份：{zh}。数据未作任何改动。",
    )


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if name.startswith(("/", "\\")) or "\\" in name or ":" in name or ".." in name.split("/"):
        return f"unsafe path {name!r}"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"symbolic link {name!r}"
    if info.is_dir():
        return f"folder entry {name!r}"
    if info.compress_type != zipfile.ZIP_STORED:
        return f"compressed entry {name!r}"
    if name != DB_NAME and name != MANIFEST and not _MEDIA_NAME.match(name):
        return f"unexpected entry {name!r}"
    m = _MEDIA_NAME.match(name)
    if m and (m.group(1) != m.group(3)[:2] or m.group(2) != m.group(3)[2:4]):
        return f"misplaced media file {name!r}"
    return None


def _read_manifest(zf: zipfile.ZipFile, archive: Path) -> dict[str, Any]:
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise _bad(
            archive, "it has no manifest (truncated?)", "缺少清单文件（文件可能不完整）"
        ) from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _bad(archive, "its manifest is too large", "清单文件过大")
    try:
        doc = loads_bounded(zf.read(MANIFEST), MANIFEST, BACKUP_MANIFEST_BOUNDS)
    except JsonRefused as exc:
        raise _bad(
            archive,
            f"its manifest cannot be read ({exc.message_en})",
            f"清单文件无法读取（{exc.message_zh}）",
        ) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise _bad(archive, f"its manifest cannot be read ({exc})", "清单文件无法读取") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(archive, "it is not a qmclient backup", "这不是 qmclient 备份文件")
    version = doc.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{archive} was made by a newer version of qmclient (backup format {version}). "
            "Install the newer version to restore it. Nothing was changed.",
            f"{archive} 由更新版本的 qmclient 创建（备份格式 {version}），"
            "请安装新版本后再恢复。数据未作任何改动。",
        )
    schema = doc.get("schema")
    if not isinstance(schema, str) or schema not in SCHEMA_HISTORY:
        raise BackupError(
            f"{archive} was made by a newer version of qmclient (schema {schema}). "
            "Install the newer version to restore it. Nothing was changed.",
            f"{archive} 由更新版本的 qmclient 创建（数据结构版本 {schema}），"
            "请安装新版本后再恢复。数据未作任何改动。",
        )
    files = doc.get("files")
    if not isinstance(files, list) or len(files) > MAX_ENTRIES:
        raise _bad(archive, "its manifest lists no files", "清单中没有文件列表")
    for item in files:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("path"), str)
            and isinstance(item.get("size"), int)
            and item["size"] >= 0
            and isinstance(item.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", item["sha256"])
        ):
            raise _bad(archive, "its manifest is malformed", "清单格式错误")
    return doc


def _open_checked(archive: Path) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """Open the archive and check its structure (not yet the content hashes)."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.", f"找不到备份文件 {archive}。")
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _bad(archive, f"it is damaged or truncated ({exc})", "文件已损坏或不完整") from None
    try:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _bad(archive, "it has too many entries", "条目过多")
        names: set[str] = set()
        for info in infos:
            problem = _entry_problem(info)
            if problem:
                raise _bad(archive, problem, f"包含不安全或不应有的条目（{info.filename}）")
            if info.filename in names:
                raise _bad(archive, f"duplicate entry {info.filename!r}", "条目重复")
            names.add(info.filename)
        doc = _read_manifest(zf, archive)
        listed = {item["path"]: item for item in doc["files"]}
        if len(listed) != len(doc["files"]):
            raise _bad(archive, "its manifest lists a file twice", "清单中文件重复")
        if DB_NAME not in listed:
            raise _bad(archive, "it holds no database", "缺少数据库文件")
        if set(listed) != names - {MANIFEST}:
            odd = sorted(set(listed) ^ (names - {MANIFEST}))[:3]
            raise _bad(
                archive,
                f"its entries and its manifest disagree ({', '.join(odd)})",
                "文件与清单不一致（文件可能不完整）",
            )
        for info in infos:
            if info.filename == MANIFEST:
                continue
            want = listed[info.filename]["size"]
            if info.file_size != want or info.compress_size != want:
                raise _bad(
                    archive, f"{info.filename} has the wrong size", f"{info.filename} 大小不符"
                )
            m = _MEDIA_NAME.match(info.filename)
            if m and listed[info.filename]["sha256"] != m.group(3):
                raise _bad(
                    archive, f"{info.filename} does not match its name", "媒体文件与其名称不符"
                )
    except BaseException:
        zf.close()
        raise
    return zf, doc


def _info_of(doc: dict[str, Any]) -> ArchiveInfo:
    return ArchiveInfo(
        created_at=str(doc.get("created_at", "")),
        app_version=str(doc.get("app_version", "")),
        schema=str(doc["schema"]),
        files=len(doc["files"]),
        bytes=sum(int(item["size"]) for item in doc["files"]),
    )


def _syncfs(folder: Path) -> bool:
    """Linux: flush the one file system holding ``folder`` (``syncfs``), instead of one
    ``fsync`` per file — hundreds of journal commits become one."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(folder, os.O_RDONLY)
        try:
            return int(libc.syncfs(fd)) == 0
        finally:
            os.close(fd)
    except (OSError, AttributeError):
        return False


def _flush_to_disk(folder: Path, files: list[Path]) -> None:
    if _syncfs(folder):
        return
    for path in files:
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())


def _extract(
    zf: zipfile.ZipFile,
    doc: dict[str, Any],
    dest: Path,
    archive: Path,
    progress: ProgressFn | None,
) -> None:
    """Unpack into ``dest``, hashing every file against the manifest."""
    total = sum(int(item["size"]) for item in doc["files"])
    done = 0
    written: list[Path] = []
    for item in doc["files"]:
        target = dest.joinpath(*item["path"].split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        try:
            with zf.open(item["path"]) as src, open(target, "xb") as out:
                while chunk := src.read(CHUNK):
                    size += len(chunk)
                    if size > item["size"]:
                        break
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
                out.flush()
        except (zipfile.BadZipFile, EOFError) as exc:
            raise _bad(
                archive, f"{item['path']} is damaged ({exc})", f"{item['path']} 已损坏"
            ) from None
        if size != item["size"] or digest.hexdigest() != item["sha256"]:
            raise _bad(
                archive,
                f"{item['path']} does not match its SHA-256 in the manifest",
                f"{item['path']} 的校验值与清单不符（文件已损坏）",
            )
        written.append(target)
    _flush_to_disk(dest, written)


def _check_database(db: Path, schema: str, archive: Path) -> None:
    """The database file itself: a healthy SQLite file of the schema the manifest names."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _bad(archive, f"its database is damaged ({exc})", "其中的数据库已损坏") from None
    if not result or result[0] != "ok":
        raise _bad(archive, f"its database is damaged ({result})", "其中的数据库已损坏")
    if not row or str(row[0]) != schema:
        raise _bad(archive, "its database and manifest disagree", "数据库与清单不一致")


def check_archive(archive: Path) -> ArchiveInfo:
    """Check everything: structure, every hash, and the database (unpacked to a temporary
    folder) — without touching any data folder."""
    zf, doc = _open_checked(archive)
    with zf, tempfile.TemporaryDirectory(prefix="qmclient-check-") as tmp:
        with zf.open(DB_NAME) as src, open(Path(tmp) / DB_NAME, "wb") as out:
            shutil.copyfileobj(src, out, CHUNK)
        _check_database(Path(tmp) / DB_NAME, str(doc["schema"]), archive)
        for item in doc["files"]:
            digest = hashlib.sha256()
            try:
                with zf.open(item["path"]) as src:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
            except (zipfile.BadZipFile, EOFError, OSError) as exc:
                raise _bad(
                    archive, f"{item['path']} is damaged ({exc})", f"{item['path']} 已损坏"
                ) from None
            if digest.hexdigest() != item["sha256"]:
                raise _bad(
                    archive,
                    f"{item['path']} does not match its SHA-256 in the manifest",
                    f"{item['path']} 的校验值与清单不符（文件已损坏）",
                )
    return _info_of(doc)


# ----------------------------------------------------------------------------- restore


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _prove(folder: Path) -> int:
    """Open the store in ``folder`` (migrating an older schema) and check it; returns the
    number of submissions."""
    store = open_store(folder / DB_NAME, daily_backup=False)
    try:
        result = store.integrity_check()
        if result != "ok":
            raise StoreError(f"integrity check: {result}", f"完整性检查未通过：{result}")
        with store.read() as s:
            return int(s.scalar(select(func.count()).select_from(Submission)) or 0)
    finally:
        store.close()


def restore_backup_archive(
    archive: Path, data_dir: Path, *, progress: ProgressFn | None = None
) -> RestoreResult:
    """Replace the data folder by the archive's content, or raise and change nothing.

    The store must be closed (no program may have the data folder open).
    """
    archive = archive.expanduser().resolve()
    data_dir = data_dir.expanduser().absolute()
    zf, doc = _open_checked(archive)
    info = _info_of(doc)
    parent = data_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(parent).free
    except OSError as exc:
        zf.close()
        raise BackupError(
            f"The folder {parent} cannot be used ({exc.strerror or exc}). Nothing was changed.",
            f"无法使用文件夹 {parent}（{exc.strerror or exc}）。数据未作任何改动。",
        ) from None
    if info.bytes + 16 * 1024 * 1024 > free:
        zf.close()
        raise BackupError(
            f"Restoring needs {info.bytes / 2**20:.0f} MiB but only {free / 2**20:.0f} MiB "
            f"are free beside {data_dir}. Free some space. Nothing was changed.",
            f"恢复需要 {info.bytes / 2**20:.0f} MB 空间，但 {data_dir} 所在磁盘只剩 "
            f"{free / 2**20:.0f} MB。请释放空间。数据未作任何改动。",
        )
    _remove_leftovers(data_dir)
    stamp = _stamp()
    fresh = parent / f"{data_dir.name}.restore-{stamp}"
    try:
        with zf:
            fresh.mkdir()
            _extract(zf, doc, fresh, archive, progress)
        _check_database(fresh / DB_NAME, str(doc["schema"]), archive)
        try:
            info.submissions = _prove(fresh)
        except StoreError as exc:
            raise BackupError(
                f"The database in {archive} does not pass the checks ({exc.message_en}). "
                "Nothing was changed.",
                f"{archive} 中的数据库未通过检查（{exc.message_zh}）。数据未作任何改动。",
            ) from None
        (fresh / RESTORE_MARK).write_text(str(archive), encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        if _disk_full(exc):
            raise BackupError(
                f"The disk holding {data_dir} is full; free some space. Nothing was changed.",
                f"{data_dir} 所在磁盘空间已满，请释放空间。数据未作任何改动。",
            ) from None
        raise BackupError(
            f"Restoring beside {data_dir} failed ({exc.strerror or exc}). Nothing was changed.",
            f"在 {data_dir} 旁恢复失败（{exc.strerror or exc}）。数据未作任何改动。",
        ) from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    previous = _swap_in(fresh, data_dir, stamp)
    return RestoreResult(data_dir, previous, info)


def _remove_leftovers(data_dir: Path) -> None:
    """Half-unpacked folders of a restore that was killed: copies of a backup, never the
    user's data, so they go (the caller holds the data folder's lock)."""
    if not data_dir.exists():
        return  # a proven folder may be waiting to be put in place
    for old in data_dir.parent.glob(f"{data_dir.name}.restore-*"):
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _swap_in(fresh: Path, data_dir: Path, stamp: str) -> Path | None:
    """Put the proven folder ``fresh`` in place of ``data_dir``, keeping the old one."""
    previous: Path | None = None
    if data_dir.exists():
        previous = data_dir.parent / f"{data_dir.name}.before-restore-{stamp}"
        try:
            os.replace(data_dir, previous)
        except OSError as exc:
            shutil.rmtree(fresh, ignore_errors=True)
            raise BackupError(
                f"The data folder {data_dir} cannot be moved aside ({exc.strerror or exc}); "
                "close every qmclient window and try again. Nothing was changed.",
                f"无法移开数据文件夹 {data_dir}（{exc.strerror or exc}），"
                "请关闭所有 qmclient 窗口后重试。数据未作任何改动。",
            ) from None
    try:
        os.replace(fresh, data_dir)
    except OSError as exc:
        if previous is not None:
            os.replace(previous, data_dir)
        shutil.rmtree(fresh, ignore_errors=True)
        raise BackupError(
            f"The restored data cannot be put in place ({exc.strerror or exc}). "
            "Nothing was changed.",
            f"恢复的数据无法放到原位置（{exc.strerror or exc}）。数据未作任何改动。",
        ) from None
    (data_dir / RESTORE_MARK).unlink(missing_ok=True)
    return previous


def finish_interrupted_restore(data_dir: Path) -> Path | None:
    """After a crash between the two renames of a restore: put the proven folder in place.

    Returns the folder that was moved in, or ``None`` when there was nothing to finish.
    """
    data_dir = data_dir.expanduser().absolute()
    if data_dir.exists() or not data_dir.parent.is_dir():
        return None
    done = sorted(
        p
        for p in data_dir.parent.glob(f"{data_dir.name}.restore-*")
        if (p / RESTORE_MARK).is_file()
    )
    if not done:
        return None
    os.replace(done[-1], data_dir)
    (data_dir / RESTORE_MARK).unlink(missing_ok=True)
    return data_dir
