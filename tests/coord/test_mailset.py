"""The e-mail export carries what the inbox needs: X-QM-* headers and a manifest."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from district import enterprise, mail_with, padded_mp4

from qmclient.export import mailset
from qmclient.export.errors import PackageError
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.export import ExportOptions, run


@pytest.fixture
def two_part_mail(ctx: AppContext, tmp_path: Path) -> tuple[int, list[Path]]:
    sid = enterprise(ctx, tmp_path, 1, photo_size=(2400, 1800))
    videos = [padded_mp4(tmp_path / f"v{k}.mp4", 11 * 2**20, seed=k) for k in (1, 2)]
    assert not drafts.attach_files(ctx, sid, videos).failed
    result = run(ctx, sid, ExportOptions(eml_dir=tmp_path / "mail", downscale=1280))
    return sid, [p.path for p in result.mail_parts]


def test_every_part_names_its_report_and_part_one_lists_every_file(
    ctx: AppContext, two_part_mail: tuple[int, list[Path]]
) -> None:
    sid, paths = two_part_mail
    report = drafts.load_report(ctx, sid)
    assert len(paths) == 2
    parsed = [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in paths]
    for i, msg in enumerate(parsed, 1):
        assert msg["X-QM-Submission"] == report.uuid
        assert msg["X-QM-Revision"] == str(report.revision)
        assert msg["X-QM-Part"] == f"{i}/2"
    names = {
        i: {a.get_filename(): a.get_payload(decode=True) for a in msg.iter_attachments()}
        for i, msg in enumerate(parsed, 1)
    }
    doc = json.loads(names[1][mailset.MANIFEST_NAME])
    assert doc["format"] == "qmmail"
    for f in doc["files"]:
        data = names[f["part"]][f["name"]]
        assert len(data) == f["size"]
    sent = {f["media_sha256"]: f for f in doc["files"] if f["media_sha256"]}
    assert set(sent) == {m.sha256 for m in report.media}
    photo = report.photos[0]
    assert sent[photo.sha256]["sha256"] != photo.sha256  # the mail carries a smaller copy
    assembled = mailset.assemble([mailset.read_mail(p) for p in paths])
    assert assembled.report.uuid == report.uuid
    assert {m.sha256 for m in assembled.report.media} == {f["sha256"] for f in sent.values()}


def test_incomplete_and_mixed_sets_are_refused(two_part_mail: tuple[int, list[Path]]) -> None:
    _sid, paths = two_part_mail
    with pytest.raises(PackageError) as err:
        mailset.assemble([mailset.read_mail(paths[1])])
    assert err.value.reason == "missing-parts" and "1/2" in err.value.message_zh
    raw = paths[1].read_bytes().replace(b"X-QM-Part: 2/2", b"X-QM-Part: 2/3")
    odd = paths[1].with_name("odd.eml")
    odd.write_bytes(raw)
    with pytest.raises(PackageError) as err:
        mailset.assemble([mailset.read_mail(paths[0]), mailset.read_mail(odd)])
    assert err.value.reason == "bad-manifest"


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (b"X-QM-Submission: not-a-uuid\r\nX-QM-Revision: 1\r\nX-QM-Part: 1/1\r\n", "bad-manifest"),
        (
            b"X-QM-Submission: 6f1c1f0e-0000-4000-8000-000000000000\r\nX-QM-Revision: 1\r\n"
            b"X-QM-Part: 3/2\r\n",
            "bad-manifest",
        ),
    ],
)
def test_lying_headers(tmp_path: Path, headers: bytes, reason: str) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(b"From: a@b.cn\r\nSubject: x\r\n" + headers + b"\r\nbody\r\n")
    with pytest.raises(PackageError) as err:
        mailset.read_mail(path)
    assert err.value.reason == reason


def test_attachment_names_are_never_paths(tmp_path: Path) -> None:
    mail = mail_with(tmp_path / "m.eml", [("../../etc/evil.qmpkg", b"PK junk")])
    read = mailset.read_mail(mail)
    assert [a.name for a in read.attachments] == ["evil.qmpkg"]


def test_huge_and_empty_mails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "e.eml"
    empty.write_bytes(b"")
    with pytest.raises(PackageError) as err:
        mailset.read_mail(empty)
    assert err.value.reason == "corrupt"
    monkeypatch.setattr(mailset, "MAX_MAIL_BYTES", 1000)
    big = tmp_path / "big.eml"
    big.write_bytes(b"Subject: x\r\n\r\n" + b"a" * 2000)
    with pytest.raises(PackageError) as err:
        mailset.read_mail(big)
    assert err.value.reason == "too-large"


def test_inbox_rebuilds_the_downscaled_report(
    two_part_mail: tuple[int, list[Path]], tmp_path: Path
) -> None:
    from qmclient.services import inbox_import
    from qmclient.services.context import open_context

    _sid, paths = two_part_mail
    coord = open_context(tmp_path / "coord")
    try:
        [row] = inbox_import.import_paths(coord, list(reversed(paths)))
        assert row.code == "new", row
        assert row.source_kind == "mail"
        got = drafts.load_report(coord, row.submission_id)  # type: ignore[arg-type]
        assert all(coord.media.verify(m.sha256) for m in got.media)
        assert len(got.videos) == 2 and got.photos[0].width == 1280
    finally:
        coord.close()
