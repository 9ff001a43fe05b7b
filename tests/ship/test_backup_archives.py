"""A bad backup archive (damaged, tampered with, from a newer version, hostile) is refused
and changes nothing; a good one passes the check."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from backupdata import db_dump, filled, tree_digest

from qmclient.services.backup import (
    MANIFEST,
    BackupError,
    check_archive,
    restore_backup_archive,
)
from qmclient.store.database import DB_NAME


def _rewrite(src: Path, dest: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """Copy the archive entry by entry, letting ``edit(name, data)`` change each; it may
    return ``None`` (drop), bytes, or a list of (ZipInfo|name, bytes)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            out = edit(info.filename, zin.read(info.filename))
            if out is None:
                continue
            if isinstance(out, bytes):
                out = [(info.filename, out)]
            for name, data in out:
                zout.writestr(name, data)
    return dest


def _manifest_edit(fn):  # type: ignore[no-untyped-def]
    def edit(name: str, data: bytes):  # type: ignore[no-untyped-def]
        if name == MANIFEST:
            doc = json.loads(data)
            fn(doc)
            return json.dumps(doc).encode()
        return data

    return edit


def _flip_media(name: str, data: bytes):  # type: ignore[no-untyped-def]
    if name.startswith("media/"):
        return data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
    return data


def _symlink_entry(name: str, data: bytes):  # type: ignore[no-untyped-def]
    if name != DB_NAME:
        return data
    info = zipfile.ZipInfo(DB_NAME)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return [(info, b"/etc/passwd")]


BAD = {
    "truncated": None,
    "not-a-zip": None,
    "empty": None,
    "hash-mismatch": _flip_media,
    "zip-slip": lambda n, d: [(n, d)] + ([("media/../../evil.txt", b"x")] if n == DB_NAME else []),
    "absolute": lambda n, d: [(n, d)] + ([("/tmp/qm-evil-abs.txt", b"x")] if n == DB_NAME else []),
    "symlink": _symlink_entry,
    "unlisted-entry": lambda n, d: (
        [(n, d)] + ([("media/ab/cd/" + "ab" + "cd" + "0" * 60, b"x")] if n == DB_NAME else [])
    ),
    "missing-entry": lambda n, d: None if n.startswith("media/") else d,
    "no-manifest": lambda n, d: None if n == MANIFEST else d,
    "newer-schema": _manifest_edit(lambda doc: doc.update(schema="9999")),
    "newer-format": _manifest_edit(lambda doc: doc.update(format_version=99)),
    "wrong-format": _manifest_edit(lambda doc: doc.update(format="something-else")),
    "lying-size": _manifest_edit(lambda doc: doc["files"][0].update(size=1)),
    "broken-db": lambda n, d: (b"SQLite format 3\x00" + b"\x00" * 4080) if n == DB_NAME else d,
}


def _broken_archive(kind: str, good: Path, tmp: Path) -> Path:
    dest = tmp / f"{kind}.zip"
    raw = good.read_bytes()
    if kind == "truncated":
        dest.write_bytes(raw[: len(raw) * 2 // 3])
    elif kind == "not-a-zip":
        dest.write_bytes(b"PK\x03\x04" + os.urandom(4000))
    elif kind == "empty":
        dest.write_bytes(b"")
    elif kind == "broken-db":
        edit = BAD[kind]

        def fix(name: str, data: bytes):  # type: ignore[no-untyped-def]
            new = edit(name, data)
            if name == DB_NAME:
                fix.db = new  # type: ignore[attr-defined]
            if name == MANIFEST:
                doc = json.loads(data)
                for item in doc["files"]:
                    if item["path"] == DB_NAME:
                        item["size"] = len(fix.db)  # type: ignore[attr-defined]
                        item["sha256"] = hashlib.sha256(fix.db).hexdigest()  # type: ignore[attr-defined]
                return json.dumps(doc).encode()
            return new

        _rewrite(good, dest, fix)
    else:
        _rewrite(good, dest, BAD[kind])
    return dest


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_archive_changes_nothing(kind: str, good_archive: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    filled(data, tmp_path, n=1)
    before = tree_digest(data)
    dump = db_dump(data / DB_NAME)
    bad = _broken_archive(kind, good_archive, tmp_path)

    with pytest.raises(BackupError) as err:
        restore_backup_archive(bad, data)
    assert str(bad) in err.value.message_en or "newer version" in err.value.message_en
    assert "数据未作任何改动" in err.value.message_zh
    assert tree_digest(data) == before
    assert db_dump(data / DB_NAME) == dump
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("data")) == ["data"]
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/qm-evil-abs.txt").exists()
    if kind in ("newer-schema", "newer-format"):
        assert "newer version" in err.value.message_en and "新版本" in err.value.message_zh
    with pytest.raises(BackupError):
        check_archive(bad)


def test_check_archive_passes_a_good_one(good_archive: Path) -> None:
    info = check_archive(good_archive)
    assert info.files == 5 and info.bytes > 0
