"""Backup and restore against real stores, real files, a real concurrent writer process,
and broken or hostile archives."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from backupdata import db_dump, filled, noisy_png, tree_digest
from lockholder import folder_held

from qmclient.services import drafts
from qmclient.services.backup import (
    MANIFEST,
    BackupError,
    check_archive,
    create_backup,
    finish_interrupted_restore,
    restore_backup_archive,
)
from qmclient.services.context import open_context
from qmclient.store.database import DB_NAME


def test_round_trip_restores_every_submission_and_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = filled(data, tmp_path)
    archive = tmp_path / "out" / "备份.zip"
    result = create_backup(data, archive)
    assert archive.is_file() and not archive.with_name(archive.name + ".part").exists()
    assert result.files == 1 + sum(len(v) for v in made.values())
    with zipfile.ZipFile(archive) as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
        manifest = json.loads(zf.read(MANIFEST))
    assert manifest["schema"] and len(manifest["files"]) == result.files

    target = tmp_path / "elsewhere" / "data"
    restored = restore_backup_archive(archive, target)
    assert restored.previous is None
    assert restored.info.submissions == len(made)
    ctx = open_context(target)
    try:
        assert ctx.store.integrity_check() == "ok"
        rows = drafts.list_submissions(ctx)
        assert {drafts.load_report(ctx, r.id).uuid for r in rows} == set(made)
        for row in rows:
            report = drafts.load_report(ctx, row.id)
            assert [m.sha256 for m in report.media] == made[report.uuid]
            for m in report.media:
                assert ctx.media.verify(m.sha256)
    finally:
        ctx.close()


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from mediafactory import make_png
    from qmclient.services import drafts
    from qmclient.services.context import open_context

    data, stop = Path(sys.argv[1]), Path(sys.argv[2])
    ctx = open_context(data)
    i = 0
    while not stop.exists():
        sid = drafts.create_draft(ctx, title=f"并发 {i}")
        png = make_png(data.parent / "w" / f"{i}.png", size=(32, 24), seed=1000 + i)
        res = drafts.attach_files(ctx, sid, [png], caption=str(i))
        assert not res.failed, res.failed
        i += 1
        print(i, flush=True)
    ctx.close()
    """
)


def test_backup_while_another_process_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    filled(data, tmp_path, n=2)
    stop = tmp_path / "stop"
    tests_dir = Path(__file__).resolve().parent.parent
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), str(stop), str(tests_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        for _ in range(5):  # let it get going
            assert writer.stdout.readline()
        archives = []
        for k in range(3):
            before = sqlite3.connect(data / DB_NAME)
            committed = {
                u: t for u, t in before.execute("SELECT uuid, title FROM submission").fetchall()
            }
            before.close()
            archive = tmp_path / f"busy-{k}.zip"
            create_backup(data, archive)
            archives.append((archive, committed))
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0
    live = sqlite3.connect(data / DB_NAME)
    written = live.execute("SELECT count(*) FROM submission").fetchone()[0]
    live.close()
    assert written > 2 + 5

    for k, (archive, committed) in enumerate(archives):
        check_archive(archive)
        target = tmp_path / f"restored-{k}"
        restore_backup_archive(archive, target)
        conn = sqlite3.connect(target / DB_NAME)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        got = dict(conn.execute("SELECT uuid, title FROM submission").fetchall())
        for uuid, title in committed.items():  # everything committed before the backup
            assert got.get(uuid) == title
        shas = [r[0] for r in conn.execute("SELECT DISTINCT sha256 FROM media_item")]
        conn.close()
        assert len(shas) >= len(committed)
        for sha in shas:
            blob = target / "media" / sha[:2] / sha[2:4] / sha
            assert hashlib.sha256(blob.read_bytes()).hexdigest() == sha


def test_restore_replaces_and_keeps_the_previous_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    filled(data, tmp_path, n=1)
    archive = tmp_path / "one.zip"
    create_backup(data, archive)
    ctx = open_context(data)
    drafts.create_draft(ctx, title="备份之后新建")
    ctx.close()
    old = db_dump(data / DB_NAME)

    result = restore_backup_archive(archive, data)
    assert result.previous is not None and result.previous.is_dir()
    assert db_dump(result.previous / DB_NAME) == old  # kept as it was
    ctx = open_context(data)
    try:
        titles = [r.title for r in drafts.list_submissions(ctx)]
    finally:
        ctx.close()
    assert "备份之后新建" not in titles and len(titles) == 1
    assert not list(tmp_path.glob("data.restore-*"))


# ----------------------------------------------------------------------------- bad archives


def test_backup_refuses_to_write_into_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    filled(data, tmp_path, n=1)
    with pytest.raises(BackupError) as err:
        create_backup(data, data / "self.zip")
    assert "数据文件夹以外" in err.value.message_zh


def test_backup_of_an_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BackupError) as err:
        create_backup(tmp_path / "nothing", tmp_path / "x.zip")
    assert "没有可备份" in err.value.message_zh


def test_backup_into_a_read_only_folder(tmp_path: Path, read_only_dir: Path) -> None:
    data = tmp_path / "data"
    filled(data, tmp_path, n=1)
    with pytest.raises(BackupError) as err:
        create_backup(data, read_only_dir / "b.zip")
    assert "无法写入" in err.value.message_zh and str(read_only_dir) in err.value.message_zh


def test_restore_into_a_read_only_place_changes_nothing(
    good_archive: Path, read_only_dir: Path
) -> None:
    with pytest.raises(BackupError) as err:
        restore_backup_archive(good_archive, read_only_dir / "data")
    assert "数据未作任何改动" in err.value.message_zh
    assert list(read_only_dir.iterdir()) == []


def test_backup_onto_a_full_disk_is_a_clear_error_and_leaves_nothing(
    tmp_path: Path, small_disk: Path
) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    sid = drafts.create_draft(ctx)
    big = noisy_png(tmp_path / "big.png", (1400, 1000))
    assert not drafts.attach_files(ctx, sid, [big]).failed
    ctx.close()
    assert big.stat().st_size > 3 * 2**20
    with pytest.raises(BackupError) as err:
        create_backup(data, small_disk / "b.zip")
    assert "磁盘空间已满" in err.value.message_zh
    assert list(small_disk.iterdir()) == []


def test_restore_onto_a_full_disk_changes_nothing(tmp_path: Path, small_disk: Path) -> None:
    src = tmp_path / "src"
    ctx = open_context(src)
    sid = drafts.create_draft(ctx)
    big = noisy_png(tmp_path / "big.png", (1200, 800))
    assert not drafts.attach_files(ctx, sid, [big]).failed
    ctx.close()
    archive = create_backup(src, tmp_path / "b.zip").archive
    target = small_disk / "data"
    target.mkdir()
    (target / "keep.txt").write_text("原有数据")
    with pytest.raises(BackupError) as err:
        restore_backup_archive(archive, target)
    assert "空间" in err.value.message_zh
    assert (target / "keep.txt").read_text() == "原有数据"
    assert sorted(p.name for p in small_disk.iterdir()) == ["data"]


def test_an_interrupted_swap_is_finished_on_the_next_start(
    good_archive: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    restore_backup_archive(good_archive, data)
    # simulate a crash between the two renames: the proven folder is beside, data is gone
    pending = tmp_path / "data.restore-20260101-000000"
    os.replace(data, pending)
    (pending / ".restore-complete").write_text("x")
    half = tmp_path / "data.restore-20260101-000001"  # unproven: must be ignored
    half.mkdir()
    assert finish_interrupted_restore(data) == data.absolute()
    assert (data / DB_NAME).is_file() and not (data / ".restore-complete").exists()
    assert half.is_dir()
    assert finish_interrupted_restore(data) is None


def _cli(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qmclient", "--lang", "zh", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_backup_and_restore(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = filled(data, tmp_path, n=2)
    archive = tmp_path / "cli.zip"
    done = _cli("backup", str(archive), data=data)
    assert done.returncode == 0, done.stderr
    assert "已备份" in done.stdout
    check = _cli("restore", "--check-only", str(archive), data=data)
    assert check.returncode == 0 and "备份完好" in check.stdout
    target = tmp_path / "new"
    back = _cli("restore", str(archive), data=target)
    assert back.returncode == 0, back.stderr
    assert f"已恢复 {len(made)} 份报告" in back.stdout
    trunc = tmp_path / "trunc.zip"
    trunc.write_bytes(archive.read_bytes()[:1000])
    bad = _cli("restore", str(trunc), data=target)
    assert bad.returncode == 1
    assert "不是可用的 qmclient 备份" in bad.stderr and "数据未作任何改动" in bad.stderr


def test_cli_restore_refuses_while_the_app_holds_the_folder(
    good_archive: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    filled(data, tmp_path, n=1)
    before = tree_digest(data)
    with folder_held(data):
        refused = _cli("restore", str(good_archive), data=data)
    assert refused.returncode == 1
    assert "正在使用该数据文件夹" in refused.stderr
    assert tree_digest(data) == before
    # folder_held waited for the holder to exit: its lock is gone, no sleep needed
    assert _cli("restore", str(good_archive), data=data).returncode == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs is Linux only")
def test_restore_flushes_with_one_syncfs_on_linux(tmp_path: Path) -> None:
    from qmclient.store.archive import syncfs as _syncfs

    (tmp_path / "f").write_bytes(b"x")
    assert _syncfs(tmp_path) is True


def test_backup_from_a_full_data_disk_still_works(small_tmpfs: Path, tmp_path: Path) -> None:
    """The day the disk is full is the day one wants the data off it."""
    data = small_tmpfs / "data"
    made = filled(data, tmp_path, n=2)
    filler = small_tmpfs / "filler"
    with open(filler, "wb") as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
    archive = tmp_path / "rescue.zip"
    result = create_backup(data, archive)
    assert result.files == 1 + sum(len(v) for v in made.values())
    target = tmp_path / "new"
    assert restore_backup_archive(archive, target).info.submissions == 2


def _big_store(data: Path, mib: int) -> None:
    """A store whose media holds one large file (random bytes, stored directly)."""
    from qmclient.store.models import MediaBlob, MediaItem

    ctx = open_context(data)
    try:
        sid = drafts.create_draft(ctx, title="大文件")
        blob = data / "big.part"
        digest = hashlib.sha256()
        with open(blob, "wb") as fh:
            for _ in range(mib):
                chunk = os.urandom(2**20)
                digest.update(chunk)
                fh.write(chunk)
        sha = digest.hexdigest()
        dest = ctx.media.path_for(sha)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(blob, dest)
        with ctx.store.write() as s:
            s.add(MediaBlob(sha256=sha, size=mib * 2**20, media_type="video/mp4"))
            s.add(MediaItem(submission_id=sid, sha256=sha, original_name="视频.mp4"))
    finally:
        ctx.close()


def _kill_when(proc: subprocess.Popen[str], ready) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 60
    while not ready():
        assert proc.poll() is None, "finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.kill()
    proc.wait()


def test_killing_a_backup_leaves_no_archive_and_the_data_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _big_store(data, 150)
    before = tree_digest(data)
    archive = tmp_path / "b.zip"
    part = archive.with_name("b.zip.part")
    proc = subprocess.Popen(
        [sys.executable, "-m", "qmclient", "--data-dir", str(data), "backup", str(archive)],
        text=True,
    )
    _kill_when(proc, lambda: part.exists() and part.stat().st_size > 8 * 2**20)
    assert not archive.exists()
    assert tree_digest(data) == before
    create_backup(data, archive)  # the next backup simply works
    check_archive(archive)


def test_killing_a_restore_leaves_the_data_untouched(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _big_store(src, 150)
    archive = create_backup(src, tmp_path / "b.zip").archive
    data = tmp_path / "data"
    filled(data, tmp_path, n=1)
    before = tree_digest(data)
    proc = subprocess.Popen(
        [sys.executable, "-m", "qmclient", "--data-dir", str(data), "restore", str(archive)],
        text=True,
    )

    def unpacking() -> bool:
        return any(
            p.stat().st_size > 8 * 2**20 for p in tmp_path.glob("data.restore-*/media/*/*/*")
        )

    _kill_when(proc, unpacking)
    assert tree_digest(data) == before
    assert finish_interrupted_restore(data) is None  # nothing proven to put in place
    ctx = open_context(data)
    try:
        assert [r.title for r in drafts.list_submissions(ctx)] == ["报告 0"]
    finally:
        ctx.close()
    restore_backup_archive(archive, data)  # the next restore works and clears the leftovers
    assert not list(tmp_path.glob("data.restore-*"))
