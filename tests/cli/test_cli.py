"""The command line end to end, as a coordinator's script would drive it: real processes,
a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lockholder import folder_held
from mediafactory import make_jpeg, make_mp4

SUMMARY = "按照市质量强市办统一部署，我公司围绕活动主题开展了形式多样的质量月活动。" * 4


def qm(
    data: Path,
    *args: str,
    lang: str = "zh_CN",
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QMCLIENT_LANG": lang}
    env.pop("QMCLIENT_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "qmclient", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
    )


def test_a_whole_draft_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = qm(
        data,
        "profile",
        "--name",
        "济南某某有限公司",
        "--kind",
        "enterprise",
        "--district",
        "历下区",
        "--credit-code",
        "91350100M000100Y43",
        "--contact-person",
        "张三",
        "--phone",
        "0531-82568852",
    )
    assert r.returncode == 0, r.stderr
    r = qm(data, "new")
    assert r.returncode == 0 and "已创建草稿 1" in r.stdout
    summary = tmp_path / "总结.txt"
    summary.write_text(SUMMARY, encoding="utf-8")
    assert qm(data, "set", "1", f"summary=@{summary}").returncode == 0
    r = qm(data, "validate", "1", "--json", "--now", "2022-09-20T10:00+08:00")
    assert r.returncode == 1
    found = {f["code"] for f in json.loads(r.stdout)["findings"]}
    assert found == {"activities.none", "media.photos.too_few"}
    r = qm(
        data,
        "activity",
        "add",
        "1",
        "--focus",
        "1",
        "--name",
        "质量月启动仪式",
        "--start",
        "2022-09-01",
        "--participants",
        "120",
        "--description",
        "举行启动仪式",
    )
    assert r.returncode == 0, r.stderr
    photo = make_jpeg(tmp_path / "现场.jpg")
    video = make_mp4(tmp_path / "视频.mp4", seconds=0.5)
    r = qm(
        data, "attach", "1", str(photo), str(video), "--caption", "启动仪式现场", "--activity", "1"
    )
    assert r.returncode == 0, r.stderr
    assert "已添加 现场.jpg" in r.stdout
    r = qm(data, "validate", "1", "--now", "2022-09-20T10:00+08:00")
    assert r.returncode == 0, r.stdout
    assert "0 个错误" in r.stdout
    r = qm(data, "validate", "1", "--now", "2022-10-05T10:00+08:00", lang="en_US")
    assert r.returncode == 0 and "deadline passed 5 day(s) ago" in r.stdout
    doc = json.loads(qm(data, "show", "1", "--json").stdout)
    assert doc["summary"] == SUMMARY
    assert doc["unit"]["district"] == "lixia"
    assert [m["original_name"] for m in doc["media"]] == ["现场.jpg", "视频.mp4"]
    assert doc["media"][0]["activity_id"] == doc["activities"][0]["id"]
    listing = json.loads(qm(data, "list", "--json").stdout)
    assert [(x["id"], x["activity_count"], x["media_count"]) for x in listing] == [(1, 1, 2)]
    assert qm(data, "caption", "1", "2", "活动视频").returncode == 0
    log = qm(data, "log", "1").stdout
    assert "media-added" in log and "activity-added" in log
    # an export is recorded beside the status, in the same words as the window's
    r = qm(data, "export", "1", "--eml", str(tmp_path / "邮件"))
    assert r.returncode == 0, r.stderr
    mails = len(list((tmp_path / "邮件").glob("*.eml")))
    shown = qm(data, "list").stdout
    assert "草稿 · 已导出 " in shown and f"邮件 {mails} 封" in shown and "已送达" not in shown
    assert "草稿 · 已导出 " in qm(data, "show", "1").stdout
    assert "Draft · exported " in qm(data, "show", "1", lang="en_US").stdout
    doc = json.loads(qm(data, "show", "1", "--json").stdout)
    assert doc["status"] == "draft" and doc["exported"]["mail_count"] == mails


def test_errors_are_clear_and_exit_non_zero(tmp_path: Path) -> None:
    data = tmp_path / "data"
    qm(data, "new")
    cases = [
        (("show", "42"), "找不到报告 42"),
        (("set", "1", "title"), "字段=值"),
        (("set", "1", "colour=red"), "unknown field"),
        (("activity", "add", "1", "--focus", "9", "--name", "x"), "活动重点“9”不存在"),
        (
            ("activity", "add", "1", "--focus", "1", "--name", "x", "--start", "九月"),
            "活动信息有误",
        ),
        (("set", "1", "unit.district=北京"), "不在活动区县名单中"),
        (("validate", "1", "--now", "2022-09-20T10:00"), "需要带时区"),
        (("campaign", "show", "nope"), "没有活动 nope"),
    ]
    for args, expect in cases:
        r = qm(data, *args)
        assert r.returncode != 0, args
        assert expect in r.stderr, (args, r.stderr)
    bad = tmp_path / "fake.jpg"
    bad.write_bytes(b"%PDF-1.4 not a photo")
    r = qm(data, "attach", "1", str(bad))
    assert r.returncode == 1 and "内容是PDF 文档" in r.stderr


def test_campaign_commands(tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = qm(data, "campaign", "show")
    assert r.returncode == 0
    for fact in (
        "争创标杆开新局 质量强市促发展",
        "jnzjjzlc@jn.shandong.cn",
        "0531-82568852",
        "0531-89738620",
        "2022-09-30",
        "聚力创新质量惠民举措",
        "济南新旧动能转换起步区",
    ):
        assert fact in r.stdout
    raw = json.loads(qm(data, "campaign", "show", "--json").stdout)
    assert raw["deadline"]["due"] == "2022-09-30T23:59:59"
    broken = tmp_path / "broken.toml"
    broken.write_text('format_version = 1\nid = "x"\n', encoding="utf-8")
    r = qm(data, "campaign", "import", str(broken))
    assert r.returncode == 1 and "broken.toml" in r.stderr and "缺少这个必填项" in r.stderr


@pytest.mark.posix_only  # permission bits
def test_unwritable_data_dir(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    r = qm(locked / "data", "list")
    assert r.returncode == 1 and "无法写入" in r.stderr


def test_data_dir_from_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "QMCLIENT_DATA_DIR": str(tmp_path / "envdata"), "QMCLIENT_LANG": "en"}
    r = subprocess.run(
        [sys.executable, "-m", "qmclient", "new"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "envdata" / "qmclient.sqlite3").exists()


def test_store_check_and_restoring_a_backup(tmp_path: Path) -> None:
    data = tmp_path / "data"
    qm(data, "new", "--title", "要保住的报告")
    qm(data, "attach", "1", str(make_jpeg(tmp_path / "a.jpg")))
    r = qm(data, "store", "check")
    assert r.returncode == 0 and "ok" in r.stdout
    qm(data, "list")  # a second start makes the day's backup
    assert "daily-" in qm(data, "store", "backups").stdout
    stored = next(p for p in (data / "media").rglob("*") if p.is_file())
    stored.write_bytes(b"damaged")
    r = qm(data, "store", "check")
    assert r.returncode == 1 and "缺失或已损坏" in r.stderr
    (data / "qmclient.sqlite3").write_bytes(b"garbage" * 1000)
    r = qm(data, "list")
    assert r.returncode == 1 and "已损坏" in r.stderr and "daily-" in r.stderr
    damaged = (data / "qmclient.sqlite3").read_bytes()
    with folder_held(data):  # an open window on the folder holds its lock
        r = qm(data, "store", "restore-backup")
    assert r.returncode == 1 and "正在使用该数据文件夹" in r.stderr
    assert (data / "qmclient.sqlite3").read_bytes() == damaged  # left as it was
    r = qm(data, "store", "restore-backup")
    assert r.returncode == 0, r.stderr
    assert "要保住的报告" in qm(data, "list").stdout


def test_help_and_mistakes_name_every_command(tmp_path: Path) -> None:
    """The desktop app's start parses only the global options; help and typing mistakes
    still get the whole parser, with every sub-command."""
    helped = qm(tmp_path / "data", "--help")
    assert helped.returncode == 0
    for command in ("new", "list", "export", "sync", "backup", "inbox"):
        assert command in helped.stdout, command
    wrong = qm(tmp_path / "data", "--no-such-option")
    assert wrong.returncode == 2
    assert "unrecognized arguments: --no-such-option" in wrong.stderr
    assert "COMMAND" in wrong.stderr  # the full usage line
    assert not (tmp_path / "data").exists()  # nothing was started or created


def test_store_prune_deletes_files_no_report_needs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert qm(data, "new", "--title", "一份").returncode == 0
    cut = make_jpeg(tmp_path / "cut.jpg", (900, 700))
    cut.write_bytes(cut.read_bytes()[:6000])  # copied in, then refused as damaged
    good = make_jpeg(tmp_path / "good.jpg", seed=2)
    r = qm(data, "attach", "1", str(good), str(cut))
    assert "cut.jpg" in r.stdout + r.stderr
    stored = [p for p in (data / "media").rglob("*") if p.is_file() and len(p.name) == 64]
    assert len(stored) == 2
    day_ago = time.time() - 30 * 3600
    for p in stored:
        os.utime(p, (day_ago, day_ago))
    assert "1 stored files" in qm(data, "store", "check", lang="en").stdout
    dry = qm(data, "store", "prune", "--dry-run", lang="en")
    assert dry.returncode == 0 and "1 files no report refers to" in dry.stdout
    assert all(p.exists() for p in stored)
    done = qm(data, "store", "prune")
    assert done.returncode == 0 and "已删除 1 个" in done.stdout
    assert sum(p.exists() for p in stored) == 1
    assert qm(data, "store", "check").returncode == 0  # the report's photo is intact
