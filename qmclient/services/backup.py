"""Back up the whole data folder to one archive, and restore it safely.

The archive's format is :mod:`qmclient.store.archive`; the database goes in as a
consistent snapshot (:mod:`qmclient.store.snapshot`), so the app may keep writing while
the backup runs.

Restoring checks the archive completely before anything is replaced, unpacks it into a
new folder beside the data folder, opens it and runs ``PRAGMA integrity_check`` there,
and only then swaps the folders with two renames.  The previous data folder is kept,
renamed, until the user deletes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from qmclient import __version__
from qmclient.core.files import is_disk_full
from qmclient.core.work import Work, work_or_new
from qmclient.store.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ArchiveInfo,
    BackupError,
    add_file,
    check_archive,
    check_database,
    extract,
    info_of,
    open_checked,
)
from qmclient.store.database import DB_NAME, StoreError, open_store
from qmclient.store.models import Submission
from qmclient.store.snapshot import referenced_media, schema_of, snapshot

__all__ = [
    "MANIFEST",
    "ArchiveInfo",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "check_archive",
    "create_backup",
    "finish_interrupted_restore",
    "restore_backup_archive",
]

RESTORE_MARK = ".restore-complete"


@dataclass
class BackupResult:
    archive: Path
    files: int
    bytes: int
    schema: str
    missing_media: list[str] = field(default_factory=list)  # referenced but not on disk


@dataclass
class RestoreResult:
    data_dir: Path
    previous: Path | None  # where the replaced data folder was kept
    info: ArchiveInfo = field(default_factory=lambda: ArchiveInfo("", "", "", 0, 0))


# ----------------------------------------------------------------------------- backup


def _remove_quietly(path: Path) -> None:
    # a read-only or vanished folder: nothing was written there anyway
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def create_backup(data_dir: Path, archive: Path, *, work: Work | None = None) -> BackupResult:
    """Write the data folder to ``archive`` (atomically: a ``.part`` file, then a rename).

    Safe while the app writes: the database is copied with SQLite's online backup first,
    and media files are content-addressed and never change once stored.
    """
    work = work_or_new(work)
    db = data_dir / DB_NAME
    if not db.is_file():
        raise BackupError(
            en=f"There is no qmclient data in {data_dir} to back up.",
            zh=f"{data_dir} 中没有可备份的 qmclient 数据。",
        )
    archive = archive.expanduser().resolve()
    if archive.is_relative_to(data_dir.resolve()):
        raise BackupError(
            en="Save the backup outside the data folder (it would include itself).",
            zh="请把备份文件保存到数据文件夹以外的位置。",
        )
    part = archive.with_name(archive.name + ".part")
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="qmclient-backup-") as tmp:
            copy = Path(tmp) / DB_NAME
            snapshot(db, copy)
            schema = schema_of(copy)
            shas = referenced_media(copy)
            media_root = data_dir / "media"
            sources: list[tuple[Path, str]] = [(copy, DB_NAME)]
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
                work.progress(done, total)

            files: list[dict[str, Any]] = []
            with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
                for path, name in sources:
                    size, sha = add_file(zf, path, name, on_bytes)
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
        if is_disk_full(exc):
            raise BackupError(
                en=f"The disk holding {archive.parent} is full; free some space or save the "
                "backup elsewhere.",
                zh=f"{archive.parent} 所在磁盘空间已满，请释放空间或换一个位置保存备份。",
            ) from None
        raise BackupError(
            en=f"The backup {archive} cannot be written ({exc.strerror or exc}).",
            zh=f"无法写入备份文件 {archive}（{exc.strerror or exc}）。",
        ) from None
    except BaseException:
        _remove_quietly(part)
        raise
    return BackupResult(archive, len(files), total, schema, missing)


# ----------------------------------------------------------------------------- checking


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
            raise StoreError(en=f"integrity check: {result}", zh=f"完整性检查未通过：{result}")
        with store.read() as s:
            return int(s.scalar(select(func.count()).select_from(Submission)) or 0)
    finally:
        store.close()


def restore_backup_archive(
    archive: Path, data_dir: Path, *, work: Work | None = None
) -> RestoreResult:
    """Replace the data folder by the archive's content, or raise and change nothing.

    The store must be closed (no program may have the data folder open).
    """
    archive = archive.expanduser().resolve()
    data_dir = data_dir.expanduser().absolute()
    zf, doc = open_checked(archive)
    info = info_of(doc)
    parent = data_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(parent).free
    except OSError as exc:
        zf.close()
        raise BackupError(
            en=f"The folder {parent} cannot be used ({exc.strerror or exc}). Nothing was changed.",
            zh=f"无法使用文件夹 {parent}（{exc.strerror or exc}）。数据未作任何改动。",
        ) from None
    if info.bytes + 16 * 1024 * 1024 > free:
        zf.close()
        raise BackupError(
            en=f"Restoring needs {info.bytes / 2**20:.0f} MiB but only {free / 2**20:.0f} MiB "
            f"are free beside {data_dir}. Free some space. Nothing was changed.",
            zh=f"恢复需要 {info.bytes / 2**20:.0f} MB 空间，但 {data_dir} 所在磁盘只剩 "
            f"{free / 2**20:.0f} MB。请释放空间。数据未作任何改动。",
        )
    _remove_leftovers(data_dir)
    stamp = _stamp()
    fresh = parent / f"{data_dir.name}.restore-{stamp}"
    try:
        with zf:
            fresh.mkdir()
            extract(zf, doc, fresh, archive, work_or_new(work))
        check_database(fresh / DB_NAME, str(doc["schema"]), archive)
        try:
            info.submissions = _prove(fresh)
        except StoreError as exc:
            raise BackupError(
                en=f"The database in {archive} does not pass the checks ({exc.message_en}). "
                "Nothing was changed.",
                zh=f"{archive} 中的数据库未通过检查（{exc.message_zh}）。数据未作任何改动。",
            ) from None
        (fresh / RESTORE_MARK).write_text(str(archive), encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        if is_disk_full(exc):
            raise BackupError(
                en=f"The disk holding {data_dir} is full; free some space. Nothing was changed.",
                zh=f"{data_dir} 所在磁盘空间已满，请释放空间。数据未作任何改动。",
            ) from None
        raise BackupError(
            en=f"Restoring beside {data_dir} failed ({exc.strerror or exc}). Nothing was changed.",
            zh=f"在 {data_dir} 旁恢复失败（{exc.strerror or exc}）。数据未作任何改动。",
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
                en=f"The data folder {data_dir} cannot be moved aside ({exc.strerror or exc}); "
                "close every qmclient window and try again. Nothing was changed.",
                zh=f"无法移开数据文件夹 {data_dir}（{exc.strerror or exc}），"
                "请关闭所有 qmclient 窗口后重试。数据未作任何改动。",
            ) from None
    try:
        os.replace(fresh, data_dir)
    except OSError as exc:
        if previous is not None:
            os.replace(previous, data_dir)
        shutil.rmtree(fresh, ignore_errors=True)
        raise BackupError(
            en=f"The restored data cannot be put in place ({exc.strerror or exc}). "
            "Nothing was changed.",
            zh=f"恢复的数据无法放到原位置（{exc.strerror or exc}）。数据未作任何改动。",
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
