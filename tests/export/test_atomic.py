"""Staging: all files appear together or none does."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmclient.export.atomic import Staging, check_writable, sweep_temp
from qmclient.export.errors import ExportError


def test_commit_renames_all_and_discard_removes_all(tmp_path: Path) -> None:
    staging = Staging()
    for name in ("a.docx", "b.xlsx"):
        with staging.open(tmp_path / name) as fh:
            fh.write(name.encode())
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == []
    assert staging.commit() == [tmp_path / "a.docx", tmp_path / "b.xlsx"]
    assert (tmp_path / "b.xlsx").read_bytes() == b"b.xlsx"
    other = Staging()
    with other.open(tmp_path / "c.eml") as fh:
        fh.write(b"x")
    other.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.xlsx"]


def test_an_error_while_writing_leaves_nothing(tmp_path: Path) -> None:
    staging = Staging()
    with pytest.raises(RuntimeError), staging.open(tmp_path / "a.docx") as fh:
        fh.write(b"half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    assert staging.commit() == []


def test_a_failing_rename_takes_back_the_earlier_ones(tmp_path: Path) -> None:
    staging = Staging()
    with staging.open(tmp_path / "a.docx") as fh:
        fh.write(b"a")
    (tmp_path / "b.docx").mkdir()  # a folder where the second file should go
    (tmp_path / "b.docx" / "keep").write_text("x")
    with staging.open(tmp_path / "b.docx") as fh:
        fh.write(b"b")
    with pytest.raises(ExportError) as info:
        staging.commit()
    assert info.value.path.endswith("b.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.docx"]  # the folder only


def test_check_writable_and_sweep(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as info:
        check_writable(tmp_path / "missing")
    assert info.value.code == "no-folder" and "不存在" in info.value.message_zh
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError):
        check_writable(tmp_path / "file")
    check_writable(tmp_path)
    fresh = tmp_path / ".qmclient-abc.part"
    fresh.write_text("x")
    assert sweep_temp(tmp_path) == 0 and fresh.exists()  # may belong to a running export
    assert sweep_temp(tmp_path, older_than_s=-1) == 1 and not fresh.exists()
