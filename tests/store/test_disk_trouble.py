"""A full disk is not a damaged database, and reading works on a full or read-only disk.

Real file systems: a small tmpfs filled to the last byte, then remounted read-only
(mounting needs root; the tests skip, saying so, elsewhere).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mediafactory import make_jpeg

from qmclient.services import drafts
from qmclient.services.context import open_context
from qmclient.store.database import StoreCorruptError, StoreFullError, StoreReadOnlyError

pytestmark = pytest.mark.linux_tools  # a real tmpfs, mounted as root

SUMMARY = "按照市质量强市办统一部署，我公司围绕活动主题开展了形式多样的质量月活动。" * 4


def qm(data: Path, *args: str, lang: str = "zh_CN") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QMCLIENT_LANG": lang}
    env.pop("QMCLIENT_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "qmclient", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs (needs root: mount)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("the full-disk tests mount a small tmpfs and need root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _a_report(data: Path, tmp_path: Path) -> None:
    """One draft with a photo, made through the command line."""
    assert qm(data, "new").returncode == 0
    summary = tmp_path / "summary.txt"
    summary.write_text(SUMMARY, encoding="utf-8")
    assert qm(data, "set", "1", f"summary=@{summary}", "title=质量月活动总结").returncode == 0
    photo = make_jpeg(tmp_path / "现场.jpg", seed=7)
    r = qm(data, "attach", "1", str(photo), "--caption", "启动仪式现场")
    assert r.returncode == 0, r.stderr


def _fill(folder: Path) -> None:
    """Write until the file system refuses: the disk is full to the last block."""
    with open(folder / f"filler-{len(list(folder.glob('filler-*')))}.bin", "wb", buffering=0) as fh:
        block = b"\0" * (256 * 1024)
        while True:
            try:
                fh.write(block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                if len(block) == 1:
                    return
                block = block[: len(block) // 2]


def _reading_works(data: Path, out: Path) -> None:
    r = qm(data, "list", "--json")
    assert r.returncode == 0, r.stderr
    assert [row["id"] for row in json.loads(r.stdout)] == [1]
    r = qm(data, "show", "1", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["summary"] == SUMMARY
    r = qm(data, "validate", "1", "--json", "--now", "2022-09-20T10:00+08:00")
    assert r.returncode in (0, 1), r.stderr  # findings, not a refusal
    assert "findings" in json.loads(r.stdout)
    # the report is incomplete: it is exported as a draft (a real export is refused)
    r = qm(data, "export", "1", "--xlsx", str(out / "表.xlsx"), "--package", str(out / "包.qmpkg"),
           "--draft")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert (out / "表.xlsx").stat().st_size > 0 and (out / "包.qmpkg").stat().st_size > 0


def test_full_disk_is_not_a_damaged_database(small_disk: Path, tmp_path: Path) -> None:
    data = small_disk / "data"
    _a_report(data, tmp_path)
    ctx = open_context(data)  # open before the disk fills, as the window would be
    try:
        _fill(small_disk)
        with pytest.raises(StoreFullError) as info:
            drafts.update_fields(ctx, 1, {"title": "改过的标题"})
        assert not isinstance(info.value, StoreCorruptError)
        assert "不需要恢复备份" in info.value.message_zh
        assert "no backup needs restoring" in info.value.message_en
    finally:
        ctx.close()
    # starting again on the full disk: told it is full, not damaged
    _fill(small_disk)  # closing checkpointed the journal and freed a little
    with pytest.raises(StoreFullError):
        open_context(data)
    r = qm(data, "set", "1", "title=再改一次")
    assert r.returncode != 0
    assert "磁盘已满" in r.stderr and "损坏" in r.stderr and "恢复最近的备份" not in r.stderr
    assert "Traceback" not in r.stderr
    out = tmp_path / "out"
    out.mkdir()
    _reading_works(data, out)
    # the database is whole once there is room again
    for filler in small_disk.glob("filler-*.bin"):
        filler.unlink()
    ctx = open_context(data)
    try:
        assert ctx.store.integrity_check() == "ok"
        drafts.update_fields(ctx, 1, {"title": "有空间了"})
    finally:
        ctx.close()


def test_read_only_disk_reads(small_disk: Path, tmp_path: Path) -> None:
    data = small_disk / "data"
    _a_report(data, tmp_path)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StoreReadOnlyError):
        open_context(data)
    out = tmp_path / "out"
    out.mkdir()
    _reading_works(data, out)
    r = qm(data, "set", "1", "title=改不了", lang="en_US")
    assert r.returncode != 0 and "cannot be written" in r.stderr, r.stderr
    assert "damaged" not in r.stderr.replace("Nothing is damaged", "")
