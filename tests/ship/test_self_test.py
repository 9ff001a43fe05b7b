"""``qmclient --self-test`` as a user or CI runs it: a real process, real store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mediafactory import make_jpeg

from qmclient.services import drafts
from qmclient.services.context import open_context
from qmclient.store.database import DB_NAME


def _self_test(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qmclient", *args, "--self-test"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_self_test_passes_in_a_temporary_folder() -> None:
    done = _self_test("--lang", "zh")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert all(not line.startswith("FAIL") for line in lines)
    for step in (
        "加载翻译",
        "打开数据库",
        "加载活动定义",
        "新建并检查草稿",
        "设置向导",
        "备份并校验",
    ):
        assert any(step in line for line in lines), step
    assert "qtbase_zh_CN.qm" in done.stdout and "qmclient_zh_CN.qm" in done.stdout
    assert lines[-1].startswith("自检通过")


def test_self_test_in_english() -> None:
    done = _self_test("--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "Set up qmclient" in done.stdout and "self-test passed" in done.stdout


def test_self_test_on_a_given_folder_changes_nothing_there(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    drafts.create_draft(ctx, title="用户的草稿")
    ctx.close()
    done = _self_test("--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    ctx = open_context(data)
    try:
        assert [r.title for r in drafts.list_submissions(ctx)] == ["用户的草稿"]
    finally:
        ctx.close()


def test_self_test_reports_a_damaged_store_clearly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_NAME).write_bytes(b"this is not a database" * 100)
    done = _self_test("--lang", "zh", "--data-dir", str(data))
    assert done.returncode == 1
    assert "FAIL 打开数据文件夹" in done.stderr and "已损坏" in done.stderr
    assert "自检失败" in done.stderr
    assert (data / DB_NAME).read_bytes() == b"this is not a database" * 100


def test_self_test_fails_without_translations(tmp_path: Path) -> None:
    from qmclient.resources import resources_dir

    fake = tmp_path / "resources"
    fake.mkdir()
    (fake / "campaigns").symlink_to(resources_dir() / "campaigns")
    done = _self_test("--lang", "zh", env={"QMCLIENT_RESOURCES": str(fake)})
    assert done.returncode == 1
    assert "FAIL 加载翻译" in done.stderr and "*.qm" in done.stderr


def test_self_test_saves_the_window_with_the_folders_own_report(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    sid = drafts.create_draft(ctx, title="用户的草稿")
    photo = tmp_path / "现场.jpg"
    make_jpeg(photo)
    assert drafts.attach_files(ctx, sid, [photo]).added
    findings = len(drafts.validate_submission(ctx, sid))  # no "photo missing" among them
    ctx.close()
    media_before = sorted(p.relative_to(data) for p in (data / "media").rglob("*"))
    png = tmp_path / "主窗口.png"
    done = _self_test("--lang", "zh", "--data-dir", str(data), "--screenshot", str(png))
    assert done.returncode == 0, done.stderr
    assert "Chinese fonts: " in done.stdout and "Chinese fonts: 0" not in done.stdout
    window = next(line for line in done.stdout.splitlines() if "显示主窗口" in line)
    # the folder's one report in the list, shown with its own photo's checks
    assert window.endswith(f": 用户的草稿, {findings} findings, 1 in the list"), window
    assert sorted(p.relative_to(data) for p in (data / "media").rglob("*")) == media_before
    from PIL import Image

    with Image.open(png) as shot:
        assert shot.format == "PNG" and shot.size == (1200, 800)
        # the report list, the editor and the checks are drawn: many colours, not a blank
        assert len(shot.convert("RGB").getcolors(1 << 16) or range(1 << 16)) > 50


def test_screenshot_needs_the_self_test(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qmclient", "--screenshot", str(tmp_path / "x.png")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QMCLIENT_LANG": "zh"},
    )
    assert done.returncode == 2
    assert "--screenshot 只能与 --self-test 一起使用" in done.stderr
    assert not (tmp_path / "x.png").exists()
