"""``qmclient backup FILE`` and ``qmclient restore FILE``: the whole data folder in one file."""

from __future__ import annotations

import argparse
from pathlib import Path

from qmclient.cli.base import CliError, Out, command


def _configure_backup(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="the archive to write (.zip)")


def _configure_restore(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="an archive written by qmclient backup")
    p.add_argument(
        "--check-only", action="store_true", help="only check the archive, change nothing"
    )


def _data_dir(args: argparse.Namespace) -> Path:
    from qmclient.store.location import resolve_data_dir

    return resolve_data_dir(args.data_dir).absolute()


@command(
    "backup", "write the whole data folder (database and media) to one file", _configure_backup
)
def run_backup(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.backup import BackupError, create_backup

    try:
        result = create_backup(_data_dir(args), args.file)
    except BackupError as err:
        raise CliError(zh=err.message_zh, en=err.message_en) from None
    out.say(
        f"已备份 {result.files} 个文件（{result.bytes / 2**20:.1f} MB）到 {result.archive}",
        f"backed up {result.files} files ({result.bytes / 2**20:.1f} MiB) to {result.archive}",
    )
    if result.missing_media:
        out.error(
            f"有 {len(result.missing_media)} 个媒体文件在数据目录中已缺失，未能备份",
            f"{len(result.missing_media)} media files were already missing and are not in the backup",
        )
    return 0


@command("restore", "replace the data folder by a backup (the old one is kept)", _configure_restore)
def run_restore(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.backup import BackupError, check_archive, restore_backup_archive
    from qmclient.store.lock import DataDirLock

    try:
        if args.check_only:
            info = check_archive(args.file)
            out.say(
                f"备份完好：{info.files} 个文件，{info.bytes / 2**20:.1f} MB，创建于 {info.created_at}",
                f"the backup is intact: {info.files} files, {info.bytes / 2**20:.1f} MiB, "
                f"made {info.created_at}",
            )
            return 0
        data_dir = _data_dir(args)
        with DataDirLock(data_dir) as lock:
            if not lock.acquire():
                raise CliError(
                    zh="qmclient 正在使用该数据文件夹，请先关闭窗口再恢复",
                    en="qmclient is open on this data folder; close its window, then restore",
                )
            result = restore_backup_archive(args.file, data_dir)
    except BackupError as err:
        raise CliError(zh=err.message_zh, en=err.message_en) from None
    out.say(
        f"已恢复 {result.info.submissions} 份报告、{result.info.files} 个文件到 {result.data_dir}",
        f"restored {result.info.submissions} reports, {result.info.files} files to {result.data_dir}",
    )
    if result.previous is not None:
        out.say(
            f"原数据保留在 {result.previous}，确认无误后可删除",
            f"the previous data is kept in {result.previous}; delete it once you are satisfied",
        )
    return 0
