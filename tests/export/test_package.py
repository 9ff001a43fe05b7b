"""Packages: round trips, idempotent import, and hostile or broken archives."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from hostilezip import add_bomb, flip_media_byte, keep_and, manifest_edit, rewrite, symlink_entry

from qmclient.export.package import FIXED_TIME, MANIFEST
from qmclient.services import drafts
from qmclient.services.context import AppContext, open_context
from qmclient.services.packages import export_package, import_package


@pytest.fixture
def package(ctx: AppContext, sample_sid: int, tmp_path: Path) -> Path:
    return export_package(ctx, sample_sid, tmp_path / "单位.qmpkg")


@pytest.fixture
def other(tmp_path: Path):  # type: ignore[no-untyped-def]
    context = open_context(tmp_path / "other-data")
    yield context
    context.close()


def test_layout_is_stored_and_deterministic(
    ctx: AppContext, sample_sid: int, package: Path, tmp_path: Path
) -> None:
    again = export_package(ctx, sample_sid, tmp_path / "again.qmpkg")
    assert package.read_bytes() == again.read_bytes()
    with zipfile.ZipFile(package) as zf:
        infos = zf.infolist()
        assert infos[0].filename == MANIFEST
        manifest = json.loads(zf.read(MANIFEST))
        assert manifest["format"] == "qmpkg" and manifest["format_version"] == 1
        report = drafts.load_report(ctx, sample_sid)
        assert manifest["report"] == report.to_dict()
        for info in infos[1:]:
            assert info.compress_type == zipfile.ZIP_STORED
            assert info.date_time == FIXED_TIME
            sha = info.filename.removeprefix("media/")
            assert hashlib.sha256(zf.read(info)).hexdigest() == sha
        assert {m["sha256"] for m in manifest["media"]} == {m.sha256 for m in report.media}


def test_round_trip_new_duplicate_updated_older(
    ctx: AppContext, sample_sid: int, package: Path, other: AppContext, tmp_path: Path
) -> None:
    first = import_package(other, package)
    assert first.code == "new" and first.submission_id is not None
    got = drafts.load_report(other, first.submission_id)
    assert got.to_dict() == drafts.load_report(ctx, sample_sid).to_dict()
    for m in got.media:
        assert other.media.verify(m.sha256)
    with other.store.read() as s:
        from qmclient.store.models import Submission

        assert s.get(Submission, first.submission_id).origin == "imported"
    assert import_package(other, package).code == "duplicate"
    # a newer revision: export (freezes rev 1), edit (opens rev 2), package again
    from qmclient.services.export import ExportOptions, run

    run(ctx, sample_sid, ExportOptions(xlsx=tmp_path / "t.xlsx"))
    drafts.update_fields(ctx, sample_sid, {"summary": "修改后的总结"})
    newer = export_package(ctx, sample_sid, tmp_path / "v2.qmpkg")
    updated = import_package(other, newer)
    assert updated.code == "updated" and updated.revision == 2
    assert drafts.load_report(other, first.submission_id).summary == "修改后的总结"
    older = import_package(other, package)
    assert older.code == "refused:older-revision"
    assert "较旧" in older.message_zh and "older" in older.message_en


def test_same_revision_different_content_is_a_conflict(package: Path, other: AppContext) -> None:
    sid = import_package(other, package).submission_id
    assert sid is not None
    drafts.update_fields(other, sid, {"summary": "在区县改过"})
    result = import_package(other, package)
    assert result.code == "refused:conflict"
    assert drafts.load_report(other, sid).summary == "在区县改过"  # nothing lost


HOSTILE = {
    "zip-slip": (keep_and([("../../evil.txt", b"x")]), "refused:unsafe-path"),
    "absolute": (keep_and([("/etc/evil", b"x")]), "refused:unsafe-path"),
    "backslash": (keep_and([("..\\..\\evil.txt", b"x")]), "refused:unsafe-path"),
    "symlink": (keep_and([(symlink_entry(), "/etc/passwd")]), "refused:symlink"),
    "unexpected": (keep_and([("media/readme.txt", b"x")]), "refused:unexpected-entry"),
    "hash-lie": (flip_media_byte, "refused:hash-mismatch"),
    "size-lie": (
        manifest_edit(lambda d: d["media"][0].__setitem__("size", d["media"][0]["size"] + 1)),
        "refused:size-mismatch",
    ),
    "report-tampered": (
        manifest_edit(lambda d: d["report"].__setitem__("summary", "篡改")),
        "refused:hash-mismatch",
    ),
    "newer-format": (
        manifest_edit(lambda d: d.__setitem__("format_version", 2)),
        "refused:newer-format",
    ),
    "not-qmpkg": (
        manifest_edit(lambda d: d.__setitem__("format", "other")),
        "refused:not-a-package",
    ),
    "campaign-tampered": (
        manifest_edit(lambda d: d["report"].__setitem__("campaign_id", "nowhere")),
        "refused:hash-mismatch",
    ),
    "bomb": (add_bomb, "refused:zip-bomb"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_packages_are_refused_and_change_nothing(
    package: Path, other: AppContext, tmp_path: Path, case: str
) -> None:
    edit, code = HOSTILE[case]
    bad = rewrite(package, tmp_path / f"{case}.qmpkg", edit)
    result = import_package(other, bad)
    assert result.code == code, result
    assert result.message_zh and result.message_en
    assert not drafts.list_submissions(other)
    assert not (tmp_path / "evil.txt").exists()
    assert not list((other.media.root).glob("*/*/*")) or case == "hash-lie"
    assert not list(other.media.tmp.glob("*")) if other.media.tmp.exists() else True


def test_duplicate_entries_are_refused(package: Path, other: AppContext, tmp_path: Path) -> None:
    with zipfile.ZipFile(package) as zin:
        entries = [(i.filename, zin.read(i)) for i in zin.infolist()]
    bad = tmp_path / "dup.qmpkg"
    with pytest.warns(UserWarning), zipfile.ZipFile(bad, "w") as zout:
        for name, data in [*entries, entries[1]]:
            zout.writestr(name, data)
    assert import_package(other, bad).code == "refused:duplicate-entry"


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_truncated_package(package: Path, other: AppContext, tmp_path: Path, cut: float) -> None:
    data = package.read_bytes()
    bad = tmp_path / "cut.qmpkg"
    bad.write_bytes(data[: int(len(data) * cut)])
    result = import_package(other, bad)
    assert result.code == "refused:corrupt"
    assert "未传输完整" in result.message_zh and "truncated" in result.message_en


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "refused:corrupt"),
        (b"not a zip at all", "refused:corrupt"),
        (None, "refused:not-a-file"),
    ],
)
def test_not_a_package(other: AppContext, tmp_path: Path, content: bytes | None, code: str) -> None:
    path = tmp_path / "x.qmpkg"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    assert import_package(other, path).code == code


def test_unknown_campaign_is_refused(package: Path, other: AppContext, tmp_path: Path) -> None:
    from qmclient.core.report import Report

    def change(doc):  # type: ignore[no-untyped-def]
        doc["report"]["campaign_id"] = "nowhere-2031"
        doc["report_hash"] = Report.from_dict(doc["report"]).report_hash()

    bad = rewrite(package, tmp_path / "c.qmpkg", manifest_edit(change))
    assert import_package(other, bad).code == "refused:unknown-campaign"


def test_export_refuses_when_media_is_gone(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    from qmclient.export.errors import ExportError

    report = drafts.load_report(ctx, sample_sid)
    ctx.media.path_for(report.media[0].sha256).unlink()
    with pytest.raises(ExportError) as info:
        export_package(ctx, sample_sid, tmp_path / "x.qmpkg")
    assert info.value.code == "media-missing"
    assert list(tmp_path.glob("*.qmpkg")) == [] and list(tmp_path.glob(".qmclient-*")) == []


def test_read_chunks_never_trusts_the_central_directory(package: Path, tmp_path: Path) -> None:
    """A stored entry whose bytes were changed in place (same length) fails on reading."""
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.infolist()[1]
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10] ^= 0xFF
    bad = tmp_path / "flip.qmpkg"
    bad.write_bytes(bytes(data))
    with _ctx(tmp_path / "d") as c:
        assert import_package(c, bad).code in ("refused:hash-mismatch", "refused:corrupt")


class _ctx:
    def __init__(self, path: Path) -> None:
        self.c = open_context(path)

    def __enter__(self) -> AppContext:
        return self.c

    def __exit__(self, *exc: object) -> None:
        self.c.close()


def _resign(change):  # type: ignore[no-untyped-def]
    """Change the report and fix its hash, as a careful forger would."""
    from qmclient.core.report import Report

    def edit(doc):  # type: ignore[no-untyped-def]
        change(doc["report"])
        doc["report_hash"] = Report.from_dict(doc["report"]).report_hash()

    return manifest_edit(edit)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.__setitem__("uuid", "../../etc"),
        lambda r: r["activities"].append(dict(r["activities"][0])),
        lambda r: r["activities"][0].__setitem__("id", ""),
    ],
    ids=["uuid-not-uuid", "activity-twice", "activity-without-id"],
)
def test_consistent_but_unfit_reports_are_refused(
    package: Path, other: AppContext, tmp_path: Path, change
) -> None:  # type: ignore[no-untyped-def]
    bad = rewrite(package, tmp_path / "r.qmpkg", _resign(change))
    result = import_package(other, bad)
    assert result.code == "refused:bad-manifest", result
    assert not drafts.list_submissions(other)


def test_activity_id_clash_with_another_submission(
    ctx: AppContext, package: Path, tmp_path: Path
) -> None:
    import uuid

    bad = rewrite(
        package,
        tmp_path / "clash.qmpkg",
        _resign(lambda r: r.__setitem__("uuid", str(uuid.uuid4()))),
    )
    before = len(drafts.list_submissions(ctx))
    result = import_package(ctx, bad)  # same store: its activities' ids are taken
    assert result.code == "refused:conflict"
    assert len(drafts.list_submissions(ctx)) == before


def test_bomb_that_lies_about_its_size(package: Path, other: AppContext, tmp_path: Path) -> None:
    """A deflated entry whose headers claim 1 KB but which inflates to 64 MiB: the claim
    passes the ratio check, so the reading itself must stop at the declared size."""
    import struct

    name = "media/" + "c" * 64

    def add_bomb(info, data):  # type: ignore[no-untyped-def]
        out = [(info, data)]
        if info.filename == MANIFEST:
            from qmclient.core.report import Report

            doc = json.loads(data)
            doc["media"].append({"path": name, "sha256": "c" * 64, "size": 1024})
            doc["report"]["media"].append(
                {"sha256": "c" * 64, "size": 1024, "media_type": "image/jpeg", "caption": "x"}
            )
            doc["report_hash"] = Report.from_dict(doc["report"]).report_hash()
            out = [(info, json.dumps(doc))]
            bomb = zipfile.ZipInfo(name)
            bomb.compress_type = zipfile.ZIP_DEFLATED
            out.append((bomb, b"\0" * (64 * 1024 * 1024)))
        return out

    raw = bytearray(rewrite(package, tmp_path / "b.qmpkg", add_bomb).read_bytes())
    key = name.encode()
    local = raw.index(b"PK\x03\x04" + b"\x14\x00", 0)
    while raw[local + 30 : local + 30 + len(key)] != key:
        local = raw.index(b"PK\x03\x04", local + 4)
    struct.pack_into("<I", raw, local + 22, 1024)
    central = raw.index(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(key)] != key:
        central = raw.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", raw, central + 24, 1024)
    bad = tmp_path / "liar.qmpkg"
    bad.write_bytes(bytes(raw))
    with zipfile.ZipFile(bad) as zf:
        assert zf.getinfo(name).file_size == 1024
    result = import_package(other, bad)
    # zipfile stops inflating at the declared size and the CRC or the hash then fails
    assert result.code in ("refused:corrupt", "refused:hash-mismatch"), result
    assert not drafts.list_submissions(other)
    assert not other.media.has("c" * 64)


def test_local_header_that_disagrees_with_the_directory(
    package: Path, other: AppContext, tmp_path: Path
) -> None:
    """The central directory says one name, the entry's own header another: refused."""
    raw = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as zf:
        info = zf.infolist()[1]
    name_at = info.header_offset + 30
    assert raw[name_at : name_at + 6] == b"media/"
    raw[name_at + 6] = ord("f") if raw[name_at + 6] != ord("f") else ord("e")
    bad = tmp_path / "two-faced.qmpkg"
    bad.write_bytes(bytes(raw))
    assert import_package(other, bad).code == "refused:unsafe-path"
    assert not drafts.list_submissions(other)
