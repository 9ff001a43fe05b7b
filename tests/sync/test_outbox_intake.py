"""Submit and sync against a real qmintake server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import sha256_of
from reports import ready_submission

from qmclient.core import lifecycle
from qmclient.services import drafts, outbox
from qmclient.services.context import AppContext
from qmclient.store.models import MediaUpload, OutboxEntry
from qmclient.sync.backoff import Backoff
from qmclient.sync.control import TransferControl
from qmclient.sync.errors import SyncError
from qmclient.sync.http import HttpSettings
from qmclient.sync.tokens import save_token

FAST = Backoff(base_s=0.01, cap_s=0.05)
MiB = 1 << 20


def sender(ctx: AppContext, **kw: Any) -> outbox.OutboxSender:
    kw.setdefault("tus_backoff", FAST)
    kw.setdefault("settings", HttpSettings(connect_timeout_s=2, read_timeout_s=10))
    kw.setdefault("chunk_size", 2 * MiB)
    return outbox.OutboxSender(ctx, **kw)


def server_view(intake: Any, token: str, uuid: str) -> dict[str, Any]:
    r = requests.get(
        intake.url(f"/api/v1/submissions/{uuid}"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    r.raise_for_status()
    data: dict[str, Any] = r.json()
    return data


def server_list(intake: Any, token: str) -> list[dict[str, Any]]:
    r = requests.get(
        intake.url("/api/v1/submissions"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    r.raise_for_status()
    subs: list[dict[str, Any]] = r.json()["submissions"]
    return subs


def server_file(intake: Any, sha: str) -> Path:
    return Path(intake.data_dir) / "media" / sha[:2] / sha[2:4] / sha


def test_submit_sends_once_and_keeps_the_receipt(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    sid = ready_submission(ctx, tmp_path / "src", photos=2, video_bytes=5 * MiB)
    queued = outbox.queue_submission(ctx, sid)
    assert [w.code for w in queued.warnings] == ["deadline.overdue"]  # 2022: late, warn
    assert drafts.status_of(ctx, sid) == lifecycle.QUEUED
    events: list[outbox.SendEvent] = []
    with sender(ctx, on_event=events.append) as s:
        outcomes = s.send_all()
    assert len(outcomes) == 1 and outcomes[0].ok, outcomes[0].error
    receipt = outcomes[0].receipt
    assert receipt is not None
    report = drafts.load_report(ctx, sid)
    assert receipt["report_sha256"] == queued.report_hash
    assert receipt["on_time"] is False  # judged by the server's clock against 2022-09-30
    assert {f["sha256"] for f in receipt["files"]} == {m.sha256 for m in report.media}
    for m in report.media:
        assert sha256_of(server_file(intake, m.sha256)) == m.sha256
    assert drafts.status_of(ctx, sid) == lifecycle.RECEIVED
    assert outbox.receipt_of(ctx, sid) == receipt
    stages = [e.stage for e in events]
    assert stages[0] == "connecting" and stages[-1] == "received" and "uploading" in stages
    last_upload = [e for e in events if e.stage == "uploading"][-1]
    assert last_upload.bytes_done == last_upload.bytes_total == sum(m.size for m in report.media)
    # nothing left; a second run sends nothing and the server still has one submission
    with sender(ctx) as s:
        assert s.send_all() == []
    assert len(server_list(intake, logged_in)) == 1
    # the audit trail says what happened
    actions = [e.action for e in drafts.audit_log(ctx, sid)]
    assert "frozen" in actions and "queued" in actions and "received" in actions


def test_files_the_server_has_are_not_sent_again(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    first = ready_submission(ctx, tmp_path / "a", photos=1, seed=3)
    outbox.queue_submission(ctx, first)
    with sender(ctx) as s:
        assert s.send_all()[0].ok
    # a second report of the same unit with the same photo plus a new one
    second = ready_submission(ctx, tmp_path / "a", photos=2, seed=3, name="济南某某有限公司")
    outbox.queue_submission(ctx, second)
    with sender(ctx) as s:
        [out] = s.send_all()
    assert out.ok and out.skipped_files == 1 and out.uploaded_files == 1


def test_lost_finalise_answer_gives_the_same_receipt(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    sid = ready_submission(ctx, tmp_path / "src")
    q = outbox.queue_submission(ctx, sid)
    with sender(ctx) as s:
        [out] = s.send_all()
    assert out.receipt is not None
    # the client lost its record of the receipt (as if the answer never arrived)
    with ctx.store.write() as sess:
        from sqlalchemy import select

        from qmclient.store.models import Submission, SubmissionRevision

        rev = sess.scalars(select(SubmissionRevision)).one()
        rev.receipt_json = None
        entry = sess.scalars(select(OutboxEntry)).one()
        entry.state = outbox.QUEUED
        sess.scalars(select(Submission)).one().status = lifecycle.QUEUED
    with sender(ctx) as s:
        [again] = s.send_all()
    assert again.receipt is not None
    assert again.receipt["receipt_number"] == out.receipt["receipt_number"]
    assert again.receipt["received_at"] == out.receipt["received_at"]
    assert again.uploaded_files == 0
    assert again.receipt["report_sha256"] == q.report_hash
    assert len(server_list(intake, logged_in)) == 1


def test_refused_when_the_report_has_errors(ctx: AppContext, logged_in: str) -> None:
    sid = drafts.create_draft(ctx)
    with pytest.raises(outbox.SubmitRefused) as info:
        outbox.queue_submission(ctx, sid)
    assert any(f.path == "summary" for f in info.value.findings)
    assert drafts.status_of(ctx, sid) == lifecycle.DRAFT
    assert outbox.outbox_rows(ctx) == []


def test_no_token_holds_the_report_until_login(
    ctx: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    endpoint = outbox.set_endpoint(ctx, intake.base_url)
    sid = ready_submission(ctx, tmp_path / "src")
    outbox.queue_submission(ctx, sid)
    with sender(ctx) as s:
        [out] = s.send_all()
    assert out.error is not None and out.error.code == "not-logged-in"
    assert "qmclient login" in out.error.message_zh
    [row] = outbox.outbox_rows(ctx)
    assert row.state == outbox.HELD and row.error_code == "not-logged-in"
    assert drafts.status_of(ctx, sid) == lifecycle.QUEUED
    save_token(endpoint, intake.unit_token())
    with sender(ctx) as s:
        assert s.send_all()[0].ok


def test_wrong_token_is_reported_and_never_shown(
    ctx: AppContext,
    intake: Any,
    memory_keyring: Any,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    endpoint = outbox.set_endpoint(ctx, intake.base_url)
    secret = "qmt_" + "S3cr3t" * 7 + "x"
    save_token(endpoint, secret)
    sid = ready_submission(ctx, tmp_path / "src")
    outbox.queue_submission(ctx, sid)
    caplog.set_level(logging.DEBUG)
    with sender(ctx) as s:
        [out] = s.send_all()
    err = out.error
    assert err is not None and err.code == "token-invalid" and err.kind == "action"
    import traceback

    shown = "".join(traceback.format_exception(err)) + repr(err) + str(err)
    shown += err.message_zh + err.message_en + json.dumps(err.problem, ensure_ascii=False)
    assert secret not in shown
    assert secret not in caplog.text
    # and not in the store
    raw = (ctx.data_dir / "qmclient.sqlite3").read_bytes()
    for side in ("-wal",):
        p = ctx.data_dir / f"qmclient.sqlite3{side}"
        if p.exists():
            raw += p.read_bytes()
    assert secret.encode() not in raw
    [row] = outbox.outbox_rows(ctx)
    assert row.state == outbox.HELD and "login" in row.error_en


def test_server_down_then_up_retries_later(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    sid = ready_submission(ctx, tmp_path / "src")
    outbox.queue_submission(ctx, sid)
    intake.stop()
    with sender(ctx) as s:
        [out] = s.send_all()
    assert out.error is not None and out.error.code == "connection-refused"
    assert out.error.kind == "retry"
    [row] = outbox.outbox_rows(ctx)
    assert row.state == outbox.QUEUED and row.next_attempt_at is not None
    assert drafts.status_of(ctx, sid) == lifecycle.QUEUED
    # a background run waits for the retry time; the user asking now does not
    with sender(ctx) as s:
        assert s.due_entries(include_waiting=False) == []
    intake.start()
    with sender(ctx) as s:
        [out] = s.send_all()
    assert out.ok


def test_server_killed_mid_upload_resumes_from_its_offset(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    sid = ready_submission(ctx, tmp_path / "src", photos=1, video_bytes=12 * MiB)
    outbox.queue_submission(ctx, sid)
    killed: list[int] = []

    def kill_midway(e: outbox.SendEvent) -> None:
        big = e.file is not None and e.file.total > MiB and e.file.done > 5 * MiB
        if e.stage == "uploading" and big and not killed:
            assert e.file is not None
            killed.append(e.file.done)
            intake.kill()

    with sender(ctx, on_event=kill_midway, max_stalls=2) as s:
        [out] = s.send_all()
    assert killed and out.error is not None and out.error.kind == "retry"
    with ctx.store.read() as sess:
        from sqlalchemy import select

        video = sess.scalars(select(MediaUpload).where(MediaUpload.length > MiB)).one()
        url_before, offset_before = video.upload_url, video.offset
    assert url_before and offset_before >= 4 * MiB
    intake.start()
    sent: list[int] = []
    with sender(ctx, on_event=lambda e: sent.append(e.file.sent_now) if e.file else None) as s:
        [out] = s.send_all()
    assert out.ok, out.error
    with ctx.store.read() as sess:
        video = sess.scalars(select(MediaUpload).where(MediaUpload.length > MiB)).one()
        assert video.upload_url == url_before  # resumed, not started again
    assert max(sent) <= video.length - offset_before
    report = drafts.load_report(ctx, sid)
    for m in report.media:
        assert sha256_of(server_file(intake, m.sha256)) == m.sha256


def test_media_changed_after_freezing_is_named_and_held(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    sid = ready_submission(ctx, tmp_path / "src", photos=2)
    outbox.queue_submission(ctx, sid)
    report = drafts.load_report(ctx, sid)
    damaged = report.media[1]
    path = ctx.media.path_for(damaged.sha256)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    with sender(ctx) as s:
        [out] = s.send_all()
    assert out.error is not None and out.error.code == "media-changed"
    assert damaged.original_name in out.error.message_zh
    assert damaged.original_name in out.error.message_en
    [row] = outbox.outbox_rows(ctx)
    assert row.state == outbox.HELD
    assert server_view(intake, logged_in, report.uuid)["status"] == "open"  # not received


def test_status_returned_with_comment_then_new_revision(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    sid = ready_submission(ctx, tmp_path / "src")
    outbox.queue_submission(ctx, sid)
    with sender(ctx) as s:
        assert s.send_all()[0].ok
    uuid = drafts.load_report(ctx, sid).uuid
    assert outbox.check_status(ctx, sid).status == "received"
    intake.cli("return", uuid, "--comment", "请补充活动照片说明")
    st = outbox.check_status(ctx, sid)
    assert st.status == "returned" and st.comment == "请补充活动照片说明"
    assert drafts.status_of(ctx, sid) == lifecycle.RETURNED
    # editing opens revision 2, which is sent and received as well
    drafts.update_fields(ctx, sid, {"title": "修改后的标题"})
    assert drafts.load_report(ctx, sid).revision == 2
    outbox.queue_submission(ctx, sid)
    with sender(ctx) as s:
        [out] = s.send_all()
    assert out.ok and out.receipt is not None and out.receipt["revision"] == 2
    intake.cli("accept", uuid)
    assert outbox.check_status(ctx, sid).status == "accepted"
    assert drafts.status_of(ctx, sid) == lifecycle.ACCEPTED


def test_campaign_and_server_clock_come_from_the_endpoint(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    from qmclient.services import clock

    sid = ready_submission(ctx, tmp_path / "src")
    outbox.queue_submission(ctx, sid)
    assert clock.server_offset(ctx) is None
    with sender(ctx) as s:
        assert s.send_all()[0].ok
    offset = clock.server_offset(ctx)
    assert offset is not None and abs(offset) < 5
    from sqlalchemy import select

    from qmclient.store.models import CampaignFile

    with ctx.store.read() as sess:
        fetched = sess.scalars(select(CampaignFile)).one()
    assert fetched.id == "jinan-2022-quality-month" and intake.base_url in fetched.source


def test_cancel_keeps_the_queue_and_resumes(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    sid = ready_submission(ctx, tmp_path / "src", video_bytes=8 * MiB)
    outbox.queue_submission(ctx, sid)
    control = TransferControl()

    def pause(e: outbox.SendEvent) -> None:
        if e.file and e.file.done > 3 * MiB:
            control.cancel()

    with sender(ctx, control=control, on_event=pause) as s:
        [out] = s.send_all()
    assert out.error is not None and out.error.kind == "cancelled"
    [row] = outbox.outbox_rows(ctx)
    assert row.state == outbox.QUEUED and row.attempts == 0
    assert drafts.status_of(ctx, sid) == lifecycle.QUEUED
    with sender(ctx) as s:
        [out] = s.send_all()
    assert out.ok


def test_receipt_export_and_a_full_disk(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path, full_disk: Path
) -> None:
    sid = ready_submission(ctx, tmp_path / "src")
    outbox.queue_submission(ctx, sid)
    with sender(ctx) as s:
        [out] = s.send_all()
    assert out.receipt is not None
    as_json = outbox.export_receipt(ctx, sid, tmp_path / "回执.json")
    assert json.loads(as_json.read_text(encoding="utf-8")) == out.receipt
    text = outbox.export_receipt(ctx, sid, tmp_path / "回执.txt").read_text(encoding="utf-8")
    assert out.receipt["receipt_number"] in text and "逾期" in text
    with pytest.raises(SyncError) as info:
        outbox.export_receipt(ctx, sid, full_disk / "回执.txt")
    assert info.value.code == "receipt-not-written"
    assert "磁盘" in info.value.message_zh
    assert not list(full_disk.glob("回执*"))  # no half-written file left behind
