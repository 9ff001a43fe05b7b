"""The backup archive's format: one ZIP in *stored* mode (photos and videos do not
compress) holding

- ``qmclient.sqlite3`` — a consistent snapshot of the database (:mod:`qmclient.store.snapshot`);
- ``media/ab/cd/<sha256>`` — every media file the snapshot refers to;
- ``manifest.json`` — written last: format, program version, schema revision, and the
  size and SHA-256 of every other entry.

Reading one checks it completely (every name against a whitelist, so no zip slip,
absolute path or symlink gets through; sizes; hashes; the schema revision not newer than
this program) before anything is unpacked.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qmclient.core.boundedjson import JsonBounds, JsonRefused, loads_bounded
from qmclient.core.work import QmError, Work
from qmclient.store.errors import DB_NAME, SCHEMA_HISTORY

FORMAT = "qmclient-backup"

FORMAT_VERSION = 1

MANIFEST = "manifest.json"

CHUNK = 1024 * 1024

MAX_MANIFEST_BYTES = 64 * 1024 * 1024

MAX_ENTRIES = 1_000_000

MANIFEST_BOUNDS = JsonBounds(
    max_bytes=MAX_MANIFEST_BYTES, max_depth=8, max_items=8 * MAX_ENTRIES, max_string=4096
)
_MEDIA_NAME = re.compile(r"^media/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")


class BackupError(QmError):
    """A backup or restore that cannot go ahead; nothing of the user's data was changed."""

    code = "backup"


@dataclass
class ArchiveInfo:
    """What a checked archive holds (from its manifest)."""

    created_at: str
    app_version: str
    schema: str
    files: int
    bytes: int
    submissions: int | None = None


def add_file(
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


def _bad(archive: Path, en: str, zh: str) -> BackupError:
    return BackupError(
        en=f"{archive} is not a usable qmclient backup: {en}. Nothing was changed.",
        zh=f"{archive} 不是可用的 qmclient 备份：{zh}。数据未作任何改动。",
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
        doc = loads_bounded(zf.read(MANIFEST), "manifest.json", MANIFEST_BOUNDS)
    except JsonRefused as exc:
        raise _bad(
            archive, f"its manifest cannot be read ({exc.message_en})", "清单文件无法读取"
        ) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise _bad(archive, f"its manifest cannot be read ({exc})", "清单文件无法读取") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(archive, "it is not a qmclient backup", "这不是 qmclient 备份文件")
    version = doc.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            en=f"{archive} was made by a newer version of qmclient (backup format {version}). "
            "Install the newer version to restore it. Nothing was changed.",
            zh=f"{archive} 由更新版本的 qmclient 创建（备份格式 {version}），"
            "请安装新版本后再恢复。数据未作任何改动。",
        )
    schema = doc.get("schema")
    if not isinstance(schema, str) or schema not in SCHEMA_HISTORY:
        raise BackupError(
            en=f"{archive} was made by a newer version of qmclient (schema {schema}). "
            "Install the newer version to restore it. Nothing was changed.",
            zh=f"{archive} 由更新版本的 qmclient 创建（数据结构版本 {schema}），"
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


def open_checked(archive: Path) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """Open the archive and check its structure (not yet the content hashes)."""
    if not archive.is_file():
        raise BackupError(en=f"{archive} does not exist.", zh=f"找不到备份文件 {archive}。")
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


def info_of(doc: dict[str, Any]) -> ArchiveInfo:
    return ArchiveInfo(
        created_at=str(doc.get("created_at", "")),
        app_version=str(doc.get("app_version", "")),
        schema=str(doc["schema"]),
        files=len(doc["files"]),
        bytes=sum(int(item["size"]) for item in doc["files"]),
    )


def syncfs(folder: Path) -> bool:
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
    if syncfs(folder):
        return
    for path in files:
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())


def extract(
    zf: zipfile.ZipFile,
    doc: dict[str, Any],
    dest: Path,
    archive: Path,
    work: Work,
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
                    work.progress(done, total)
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


def check_database(db: Path, schema: str, archive: Path) -> None:
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
    zf, doc = open_checked(archive)
    with zf, tempfile.TemporaryDirectory(prefix="qmclient-check-") as tmp:
        with zf.open(DB_NAME) as src, open(Path(tmp) / DB_NAME, "wb") as out:
            shutil.copyfileobj(src, out, CHUNK)
        check_database(Path(tmp) / DB_NAME, str(doc["schema"]), archive)
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
    return info_of(doc)
