"""A failed or cancelled export leaves no file, half-written or not; messages say why."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from exportfiles import tmpfs

from qmclient.cli import main
from qmclient.core.work import Progress, Work
from qmclient.export.errors import ExportError
from qmclient.services import drafts
from qmclient.services.clearance import NotCleared
from qmclient.services.context import AppContext
from qmclient.services.export import ExportOptions, plan, run


def _everything(folder: Path) -> ExportOptions:
    folder.mkdir(parents=True, exist_ok=True)
    return ExportOptions(
        docx=folder / "r.docx",
        xlsx=folder / "r.xlsx",
        eml_dir=folder / "mail",
        package=folder / "r.qmpkg",
    )


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_read_only_folder(ctx: AppContext, sample_sid: int, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "4m", readonly=True) as folder:
        preview = plan(ctx, sample_sid, ExportOptions(docx=folder / "r.docx"))
        assert [p.code for p in preview.problems] == ["not-writable"]
        with pytest.raises(ExportError) as info:
            run(ctx, sample_sid, ExportOptions(docx=folder / "r.docx"))
        assert info.value.code == "not-writable"
        assert "无法写入" in info.value.message_zh and "cannot be written" in info.value.message_en
    assert drafts.status_of(ctx, sample_sid) == "draft"


def test_a_file_open_in_another_program(ctx: AppContext, sample_sid: int, tmp_path: Path) -> None:
    """On Windows, Word keeps the .docx it shows from being replaced: the export says so
    (not "the folder cannot be written") and leaves the open file and nothing else."""
    if sys.platform != "win32":
        pytest.skip("POSIX lets a file be replaced while it is open; nothing to report")
    target = tmp_path / "out" / "r.docx"
    target.parent.mkdir()
    target.write_bytes(b"the version open in Word")
    # a handle without FILE_SHARE_DELETE, as Word holds it
    with open(target, "rb"), pytest.raises(ExportError) as info:
        run(ctx, sample_sid, ExportOptions(docx=target))
    assert info.value.code == "in-use"
    assert "正在被其他程序" in info.value.message_zh and "close it" in info.value.message_en
    assert _files(target.parent) == [target]
    assert target.read_bytes() == b"the version open in Word"


def test_disk_fills_up(ctx: AppContext, sample_sid: int, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "200k") as folder:
        with pytest.raises(ExportError) as info:
            run(ctx, sample_sid, _everything(folder))
        assert info.value.code == "disk-full"
        assert "磁盘空间已满" in info.value.message_zh
        assert _files(folder) == []  # nothing, not even the files that did fit
    assert drafts.status_of(ctx, sample_sid) == "draft"


@pytest.mark.parametrize("after", [1, 5, 10, 11])
def test_cancel_leaves_nothing(
    ctx: AppContext, sample_sid: int, tmp_path: Path, after: int
) -> None:
    calls = []

    def progress(p: Progress) -> None:
        assert 0 <= p.done <= p.total
        calls.append(p.done)
        if len(calls) >= after:
            work.cancel()

    work = Work(progress)
    with pytest.raises(ExportError) as info:
        run(ctx, sample_sid, _everything(tmp_path / "out"), work=work)
    assert info.value.code == "cancelled"
    assert _files(tmp_path / "out") == []
    assert not list((ctx.data_dir / "tmp").glob("export-*"))
    assert drafts.status_of(ctx, sample_sid) == "draft"


def test_media_gone_from_disk(ctx: AppContext, sample_sid: int, tmp_path: Path) -> None:
    report = drafts.load_report(ctx, sample_sid)
    ctx.media.path_for(report.photos[2].sha256).unlink()
    preview = plan(ctx, sample_sid, _everything(tmp_path / "out"))
    assert [p.code for p in preview.problems] == ["media-missing"]
    assert [f.code for f in preview.blockers] == ["media.file.missing"]
    # the checks stop a real export first, naming the file
    with pytest.raises(NotCleared) as refused:
        run(ctx, sample_sid, _everything(tmp_path / "out"))
    assert report.photos[2].original_name in refused.value.message_zh
    # a draft goes past the checks and stops at the missing file, before any work
    with pytest.raises(ExportError) as info:
        run(ctx, sample_sid, replace(_everything(tmp_path / "out"), draft=True))
    assert info.value.code == "media-missing"
    assert report.photos[2].original_name in info.value.message_zh
    assert _files(tmp_path / "out") == []


def test_missing_folder_and_nothing_chosen(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    with pytest.raises(ExportError) as info:
        run(ctx, sample_sid, ExportOptions(docx=tmp_path / "nowhere" / "r.docx"))
    assert info.value.code == "no-folder"
    with pytest.raises(ExportError) as info:
        run(ctx, sample_sid, ExportOptions())
    assert info.value.code == "nothing"


def test_success_writes_everything_and_only_there(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run(ctx, sample_sid, _everything(out))
    assert sorted(result.files) == _files(out)
    assert {p.suffix for p in result.files} == {".docx", ".xlsx", ".eml", ".qmpkg"}
    assert not list(out.rglob(".qmclient-*"))


def test_cli_export_and_import(
    ctx: AppContext,
    sample_sid: int,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = ["--data-dir", str(data_dir), "--lang", "en", "export", str(sample_sid)]
    assert main([*args, "--plan", "--eml", str(out / "m")]) == 0
    assert ".eml" in capsys.readouterr().out
    code = main([*args, "--docx", str(out / "r.docx"), "--package", str(out / "r.qmpkg"),
                 "--eml", str(out / "m"), "--downscale", "800", "--video", "omit"])  # fmt: skip
    assert code == 0
    assert "wrote" in capsys.readouterr().out
    assert (out / "r.docx").is_file() and (out / "r.qmpkg").is_file()
    other = ["--data-dir", str(tmp_path / "d2"), "--lang", "en", "import"]
    assert main([*other, str(out / "r.qmpkg")]) == 0
    assert "new" in capsys.readouterr().out
    (tmp_path / "bad.qmpkg").write_bytes(b"PK\x03\x04broken")
    assert main([*other, str(out / "r.qmpkg"), str(tmp_path / "bad.qmpkg"), "--json"]) == 1
    printed = capsys.readouterr().out
    assert '"code": "duplicate"' in printed and '"code": "refused:corrupt"' in printed
    assert main([*args, "--downscale", "5"]) == 2


def test_undecodable_photo_keeps_its_number_and_is_mailed_as_is(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    import email
    import email.policy

    from docx import Document

    report = drafts.load_report(ctx, sample_sid)
    from qmclient.export.naming import figure_order

    third = figure_order(report, ctx.campaigns.get(report.campaign_id))[2]
    stored = ctx.media.path_for(third.sha256)
    stored.write_bytes(b"\0" * third.size)  # same size, no longer a picture
    out = tmp_path / "out"
    out.mkdir()
    result = run(ctx, sample_sid, ExportOptions(docx=out / "r.docx", eml_dir=out, downscale=640))
    assert result.warnings and third.original_name in result.warnings[0][0]
    doc = Document(str(out / "r.docx"))
    assert len(doc.inline_shapes) == 5
    texts = [p.text for p in doc.paragraphs] + [  # photos sit in the attachment's table
        p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
    ]
    assert any("无法嵌入" in t and third.original_name in t for t in texts)
    assert "图3　质量知识竞赛现场" in texts and "图6　质量宣传展板" in texts
    msg = email.message_from_bytes(
        result.mail_parts[0].path.read_bytes(), policy=email.policy.default
    )
    got = {a.get_filename(): a.get_content() for a in msg.iter_attachments()}
    assert got["图03 质量知识竞赛现场.jpg"] == b"\0" * third.size


def test_killed_export_leaves_no_final_file_and_is_swept(
    ctx: AppContext, sample_sid: int, data_dir: Path, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    out.mkdir()
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("export_child.py")), str(data_dir),
         str(sample_sid), str(out)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("progress 8/"):  # Word, Excel and package are staged by now
            break
    child.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
    child.wait(timeout=30)
    leftovers = [p for p in out.iterdir()]
    assert leftovers, "the kill came after the staging began"
    assert all(p.name.startswith(".qmclient-") and p.name.endswith(".part") for p in leftovers)
    assert ctx.store.integrity_check() == "ok"
    assert drafts.status_of(ctx, sample_sid) == "draft"
    old = time.time() - 7 * 3600
    for p in leftovers:
        os.utime(p, (old, old))
    result = run(ctx, sample_sid, _everything(out))
    assert sorted(result.files) == _files(out)  # the stale temporary files are gone


def test_edit_during_export_is_not_marked_exported(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    edited = []

    def progress(_p: Progress) -> None:
        if not edited:  # the user types while the export runs
            drafts.update_fields(ctx, sample_sid, {"summary": "导出时改的"})
            edited.append(True)

    out = tmp_path / "out"
    out.mkdir()
    result = run(ctx, sample_sid, ExportOptions(xlsx=out / "t.xlsx"), work=Work(progress))
    assert result.status == "draft" == drafts.status_of(ctx, sample_sid)
    assert result.warnings and "修改" in result.warnings[0][0]
    from qmclient.services import export_record

    assert result.exported is None and export_record.latest(ctx, sample_sid) is None
    assert (out / "t.xlsx").is_file()


def test_cli_refuses_a_report_with_errors_unless_draft(
    ctx: AppContext, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: errors open, `qmclient export` wrote everything and exited 0."""
    from qmclient.core.report import Unit

    sid = drafts.create_draft(ctx, unit=Unit(name="某某公司", phone="1380531123"))
    out = tmp_path / "out"
    out.mkdir()
    args = ["--data-dir", str(data_dir), "--lang", "zh", "export", str(sid)]
    assert main([*args, "--plan", "--docx", str(out / "r.docx")]) == 1
    assert "必须修改：联系电话格式不正确" in capsys.readouterr().err
    assert main([*args, "--docx", str(out / "r.docx"), "--eml", str(out / "m")]) == 1
    err = capsys.readouterr().err
    assert "联系电话格式不正确" in err and "--draft" in err
    assert _files(out) == []
    assert main([*args, "--docx", str(out / "r.docx"), "--eml", str(out / "m"), "--draft"]) == 0
    assert "草稿" in capsys.readouterr().out
    assert (out / "r.docx").is_file() and list((out / "m").glob("*.eml"))
