"""``qmclient store …``: check the store, list its backups, put a backup back."""

from __future__ import annotations

import argparse
from pathlib import Path

from qmclient.cli.base import CliError, Out, command


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="check the database and re-hash every stored file")
    check.add_argument("--quick", action="store_true", help="database only, no re-hashing")
    sub.add_parser("backups", help="list the automatic backups of the database")
    prune = sub.add_parser(
        "prune", help="delete stored files that no report refers to (older than a day)"
    )
    prune.add_argument("--dry-run", action="store_true", help="only say what would be deleted")
    restore = sub.add_parser(
        "restore-backup", help="replace a damaged database by a backup (the damaged file is kept)"
    )
    restore.add_argument("backup", nargs="?", type=Path, help="default: the newest backup")


@command("store", "check the local store, prune unused files, list and restore backups", _configure)
def run(args: argparse.Namespace, out: Out) -> int:
    from qmclient.store.database import (
        DB_NAME,
        StoreError,
        backups_dir,
        newest_backup,
        restore_backup,
    )
    from qmclient.store.location import resolve_data_dir

    db = resolve_data_dir(args.data_dir) / DB_NAME
    if args.action == "backups":
        found = sorted(backups_dir(db).glob("*.sqlite3"))
        if not found:
            out.say("没有备份", "no backups")
        for b in found:
            out.say(f"{b}  {b.stat().st_size // 1024} KB")
        return 0
    if args.action == "restore-backup":
        backup = args.backup or newest_backup(db)
        if backup is None:
            raise CliError(zh="没有可用的备份", en="there is no backup to restore")
        from qmclient.store.lock import DataDirLock

        with DataDirLock(db.parent) as lock:  # never under an open window's feet
            if not lock.acquire():
                raise CliError(
                    zh="qmclient 正在使用该数据文件夹，请先关闭窗口再恢复",
                    en="qmclient is open on this data folder; close its window, then restore",
                )
            try:
                kept = restore_backup(db, backup)
            except StoreError as err:
                raise CliError(zh=err.message_zh, en=err.message_en) from None
        out.say(
            f"已用备份 {backup} 恢复数据库；原文件保留为 {kept}",
            f"restored the database from {backup}; the old file is kept as {kept}",
        )
        return 0
    from qmclient.cli.base import open_ctx
    from qmclient.services.orphans import find_orphans, prune_orphans

    with open_ctx(args) as ctx:
        if args.action == "prune":
            found = find_orphans(ctx) if args.dry_run else prune_orphans(ctx)
            mb = found.bytes / 2**20
            if args.dry_run:
                out.say(
                    f"可删除 {len(found.files)} 个无引用的文件（{mb:.1f} MB）",
                    f"{len(found.files)} files no report refers to ({mb:.1f} MiB) would go",
                )
            else:
                out.say(
                    f"已删除 {len(found.files)} 个无引用的文件，释放 {mb:.1f} MB",
                    f"deleted {len(found.files)} files no report refers to, {mb:.1f} MiB freed",
                )
            return 0
        result = ctx.store.integrity_check()
        bad: list[str] = []
        if not args.quick:
            from sqlalchemy import select

            from qmclient.store.models import MediaBlob

            with ctx.store.read() as s:
                shas = list(s.scalars(select(MediaBlob.sha256)))
            bad = [sha for sha in shas if not ctx.media.verify(sha)]
        out.say(f"数据库检查：{result}", f"database check: {result}")
        for sha in bad:
            out.error(f"文件 {sha} 缺失或已损坏", f"stored file {sha} is missing or damaged")
        spare = find_orphans(ctx)
        if spare.files:
            mb = spare.bytes / 2**20
            out.say(
                f"另有 {len(spare.files)} 个无引用的文件（{mb:.1f} MB），"
                "可用 qmclient store prune 删除",
                f"{len(spare.files)} stored files ({mb:.1f} MiB) belong to no report; "
                "qmclient store prune deletes them",
            )
        return 0 if result == "ok" and not bad else 1
