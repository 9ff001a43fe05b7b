"""Drafting use cases on a real store: fields, activities, media, revisions, undo."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from mediafactory import make_jpeg, make_mp4, make_png

from qmclient.core import lifecycle
from qmclient.core.report import Unit
from qmclient.core.work import Progress, Work
from qmclient.services import drafts, media_items
from qmclient.services.records import get_submission
from qmclient.store.media import MediaError


def test_new_draft_takes_the_profile_and_a_sensible_title(ctx) -> None:  # type: ignore[no-untyped-def]
    drafts.save_profile(ctx, Unit(name="济南某某有限公司", kind="enterprise", district="lixia"))
    sid = drafts.create_draft(ctx)
    report = drafts.load_report(ctx, sid)
    assert report.unit.name == "济南某某有限公司"
    assert report.title == "济南某某有限公司2022年“质量月”活动情况总结"
    assert report.revision == 1 and drafts.status_of(ctx, sid) == "draft"
    assert drafts.resolve(ctx, report.uuid[:8]) == sid
    assert drafts.resolve(ctx, str(sid)) == sid
    with pytest.raises(drafts.NotFoundError):
        drafts.resolve(ctx, "ffffffff")


def test_fields_and_unknown_fields(ctx) -> None:  # type: ignore[no-untyped-def]
    sid = drafts.create_draft(ctx)
    drafts.update_fields(ctx, sid, {"summary": "正文", "unit.phone": "13812345678"})
    r = drafts.load_report(ctx, sid)
    assert (r.summary, r.unit.phone) == ("正文", "13812345678")
    with pytest.raises(drafts.FieldError):
        drafts.update_fields(ctx, sid, {"status": "received"})


def test_activities_add_edit_move_remove(ctx) -> None:  # type: ignore[no-untyped-def]
    sid = drafts.create_draft(ctx)
    a = drafts.add_activity(
        ctx,
        sid,
        {
            "name": "启动仪式",
            "focus_area": "publicity",
            "start_date": "2022-09-01",
            "participants": "120",
        },
    )
    b = drafts.add_activity(ctx, sid, {"name": "QC小组发表", "focus_area": "improvement"})
    drafts.update_activity(ctx, b, {"start_date": "2022-09-15", "place": "会议室"})
    drafts.move_activity(ctx, b, 0)
    acts = drafts.load_report(ctx, sid).activities
    assert [x.name for x in acts] == ["QC小组发表", "启动仪式"]
    assert acts[1].participants == 120 and acts[1].start_date == dt.date(2022, 9, 1)
    assert acts[0].place == "会议室"
    for bad in ({"start_date": "9月1日"}, {"participants": "很多"}, {"colour": "red"}):
        with pytest.raises(drafts.FieldError):
            drafts.add_activity(ctx, sid, bad)
    drafts.remove_activity(ctx, a)
    assert [x.name for x in drafts.load_report(ctx, sid).activities] == ["QC小组发表"]


def test_attach_a_mixed_folder(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "drop"
    make_jpeg(folder / "1.jpg", orientation=6)
    make_png(folder / "2.png")
    make_mp4(folder / "sub" / "3.mp4", seconds=1.0)
    (folder / "readme.txt").write_text("not media")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / ".hidden.jpg").write_bytes(b"x")
    truncated = make_jpeg(folder / "4-truncated.jpg", size=(800, 600)).read_bytes()
    (folder / "4-truncated.jpg").write_bytes(truncated[:200])
    (folder / "5-half.jpg").write_bytes(truncated[: len(truncated) // 2])  # header intact
    sid = drafts.create_draft(ctx)
    seen: list[tuple[int, int]] = []
    result = drafts.attach_files(
        ctx, sid, [folder, folder / "1.jpg"], work=Work(lambda p: seen.append((p.done, p.total)))
    )
    names = sorted(m.original_name for m in result.added)
    assert names == ["1.jpg", "2.png", "3.mp4"]
    rotated = next(m for m in result.added if m.original_name == "1.jpg")
    assert (rotated.width, rotated.height) == (480, 640)  # EXIF orientation applied
    video = next(m for m in result.added if m.original_name == "3.mp4")
    assert video.duration_s == pytest.approx(1.0, abs=0.1)
    assert {Path(e.path).name: e.code for e in result.failed} == {
        "readme.txt": "unsupported",
        "empty.jpg": "empty",
        "4-truncated.jpg": "damaged",
        "5-half.jpg": "damaged",
    }
    assert [Path(p).name for p, _zh, _en in result.skipped] == ["1.jpg"]
    assert seen[-1] == (8, 8)
    assert len(drafts.load_report(ctx, sid).media) == 3


def test_decompression_bomb_is_refused(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    bomb = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(bomb)  # 400 megapixels, a few KB on disk
    sid = drafts.create_draft(ctx)
    result = drafts.attach_files(ctx, sid, [bomb])
    assert [e.code for e in result.failed] == ["bomb"]
    assert drafts.load_report(ctx, sid).media == []


def test_captions_links_reorder_remove_and_undo(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sid = drafts.create_draft(ctx)
    act = drafts.add_activity(ctx, sid, {"name": "启动仪式", "focus_area": "publicity"})
    files = [make_jpeg(tmp_path / f"{i}.jpg", seed=i) for i in range(3)]
    added = drafts.attach_files(ctx, sid, files).added
    shas = [m.sha256 for m in added]
    drafts.update_media(ctx, sid, shas[0], caption="启动仪式现场", activity_id=act)
    drafts.reorder_media(ctx, sid, [shas[2], shas[0], shas[1]])
    media = drafts.load_report(ctx, sid).media
    assert [m.sha256 for m in media] == [shas[2], shas[0], shas[1]]
    assert media[1].caption == "启动仪式现场" and media[1].activity_id == act
    removed = drafts.remove_media(ctx, sid, shas[0])
    assert len(drafts.load_report(ctx, sid).media) == 2
    drafts.restore_media(ctx, sid, removed)
    media = drafts.load_report(ctx, sid).media
    assert [m.sha256 for m in media] == [shas[2], shas[0], shas[1]]
    assert media[1].caption == "启动仪式现场"
    drafts.remove_activity(ctx, act)
    assert drafts.load_report(ctx, sid).media[1].activity_id is None


def test_a_frozen_revision_is_kept_and_editing_opens_the_next(ctx) -> None:  # type: ignore[no-untyped-def]
    sid = drafts.create_draft(ctx, title="第一版")
    rev = drafts.freeze(ctx, sid)
    assert drafts.freeze(ctx, sid).report_hash == rev.report_hash  # frozen once
    assert drafts.status_of(ctx, sid) == "draft"  # frozen by an export: still a draft
    drafts.update_fields(ctx, sid, {"title": "第二版"})
    report = drafts.load_report(ctx, sid)
    assert report.revision == 2 and drafts.status_of(ctx, sid) == "draft"
    frozen = drafts.Report.from_dict(__import__("json").loads(rev.report_json))
    assert frozen.title == "第一版" and frozen.revision == 1
    actions = [e.action for e in drafts.audit_log(ctx, sid)]
    assert actions == ["created", "frozen", "new-revision", "edit"]
    with pytest.raises(lifecycle.TransitionError):
        drafts.set_status(ctx, sid, lifecycle.RECEIVED)


def test_validation_notices_a_stored_file_gone_from_disk(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sid = drafts.create_draft(ctx)
    blob = drafts.attach_files(ctx, sid, [make_jpeg(tmp_path / "a.jpg")]).added[0]
    os.remove(ctx.media.path_for(blob.sha256))
    codes = {f.code for f in drafts.validate_submission(ctx, sid)}
    assert "media.file.missing" in codes


def test_media_error_messages_name_the_file(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sid = drafts.create_draft(ctx)
    result = drafts.attach_files(ctx, sid, [tmp_path / "gone.jpg"])
    err = result.failed[0]
    assert isinstance(err, MediaError)
    assert err.path.endswith("gone.jpg") and "不存在" in err.message_zh


def test_list_counts_and_delete(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = drafts.create_draft(ctx, title="甲")
    b = drafts.create_draft(ctx, title="乙")
    drafts.add_activity(ctx, a, {"name": "x"})
    drafts.attach_files(ctx, a, [make_png(tmp_path / "p.png")])
    rows = {r.title: r for r in drafts.list_submissions(ctx)}
    assert (rows["甲"].activity_count, rows["甲"].media_count) == (1, 1)
    assert (rows["乙"].activity_count, rows["乙"].media_count) == (0, 0)
    drafts.delete_submission(ctx, b)
    assert [r.title for r in drafts.list_submissions(ctx)] == ["甲"]


@pytest.mark.parametrize("big_bytes", [64 * 2**20, 15_000])
def test_attach_keeps_the_order_with_several_workers(  # type: ignore[no-untyped-def]
    ctx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, big_bytes: int
) -> None:
    """Files are checked a few at once but attached one by one in the order given;
    bad files in between are reported and do not shift the others.  Run twice: with
    every file small, and with the larger ones counted as big (each goes alone)."""
    monkeypatch.setattr(media_items, "BIG_FILE_BYTES", big_bytes)
    files = []
    for i in range(12):
        path = make_jpeg(tmp_path / f"p{i:02d}.jpg", (300 + 150 * (i % 3), 700), seed=i)
        if i % 5 == 2:
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated
        files.append(path)
    files.insert(6, files[0])  # the same photo again, in the middle
    sid = drafts.create_draft(ctx)
    seen: list[int] = []
    result = drafts.attach_files(
        ctx, sid, files, workers=3, work=Work(lambda p: seen.append(p.done))
    )
    good = [f.name for i, f in enumerate(files) if f is not files[0] or i == 0]
    good = [n for n in good if int(n[1:3]) % 5 != 2]
    assert [m.original_name for m in result.added] == good
    assert [m.position for m in drafts.load_report(ctx, sid).media] == list(range(len(good)))
    assert sorted(Path(e.path).name for e in result.failed) == ["p02.jpg", "p07.jpg"]
    assert [Path(p).name for p, _zh, _en in result.skipped] == ["p00.jpg"]
    assert seen == list(range(len(files) + 1))


def test_cancelling_attach_stops_cleanly(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = [make_jpeg(tmp_path / f"c{i:02d}.jpg", (900, 700), seed=i) for i in range(20)]
    sid = drafts.create_draft(ctx)
    calls: list[int] = []

    def count(p: Progress) -> None:
        calls.append(p.done)
        if len(calls) > 5:
            work.cancel()

    work = Work(count)
    result = drafts.attach_files(ctx, sid, files, workers=4, work=work)
    assert result.cancelled
    assert [m.original_name for m in result.added] == [f.name for f in files[: len(result.added)]]
    assert 4 <= len(result.added) <= 6
    assert len(drafts.load_report(ctx, sid).media) == len(result.added)
    assert ctx.store.integrity_check() == "ok"
    assert not list((ctx.data_dir / "media").rglob("*.part"))


def test_bulk_load_equals_one_by_one_and_validate_all_sees_missing_files(
    ctx, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """``load_reports`` and ``load_report`` read plain rows (``store.bulk``); every report
    they build must equal the one the ORM path builds (what ``freeze`` hashes), with
    activities and media in their order."""
    sids = []
    for n in range(3):
        sid = drafts.create_draft(ctx)
        drafts.update_fields(ctx, sid, {"summary": f"正文{n}", "unit.phone": "13812345678"})
        a = drafts.add_activity(ctx, sid, {"name": f"活动{n}", "focus_area": "publicity"})
        drafts.add_activity(ctx, sid, {"name": "第二项", "start_date": "2022-09-02"})
        photos = [make_jpeg(tmp_path / f"p{n}-{i}.jpg", seed=n * 10 + i) for i in range(3)]
        drafts.attach_files(ctx, sid, photos, activity_id=a, caption="现场")
        sids.append(sid)
    drafts.create_draft(ctx)  # one without activities or media
    bulk = drafts.load_reports(ctx)
    assert len(bulk) == 4
    for sid, report in bulk.items():
        with ctx.store.read() as s:
            assert report == drafts._report_of(get_submission(s, sid))
        assert report == drafts.load_report(ctx, sid)
    with pytest.raises(drafts.NotFoundError):
        drafts.load_report(ctx, max(bulk) + 1)
    assert set(drafts.load_reports(ctx, [sids[1]])) == {sids[1]}
    assert [m.position for m in bulk[sids[0]].media] == sorted(
        m.position for m in bulk[sids[0]].media
    )
    # a stored file gone from disk is an error of every report that uses it
    gone = bulk[sids[2]].media[0].sha256
    ctx.media.path_for(gone).unlink()
    found = drafts.validate_all(ctx)
    missing = {sid for sid, fs in found.items() if any(f.code == "media.file.missing" for f in fs)}
    assert missing == {sids[2]}
