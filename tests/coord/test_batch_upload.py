"""Batch upload of imported reports to a real qmintake, through a faulty network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
from district import enterprise, padded_mp4
from netfault import FaultPlan, FaultProxy

from qmclient.services import batch, drafts, inbox, inbox_import, outbox
from qmclient.services.context import AppContext, open_context
from qmclient.services.packages import export_package
from qmclient.sync.backoff import Backoff
from qmclient.sync.http import HttpSettings
from qmclient.sync.tokens import save_token

MiB = 1 << 20
FAST = Backoff(base_s=0.01, cap_s=0.1)


def received_packages(root: Path, n: int, video_mib: int = 0) -> Path:
    """``n`` enterprises' packages in ``root/in`` (made on their own machine)."""
    src = open_context(root / "enterprises")
    folder = root / "in"
    folder.mkdir(parents=True)
    try:
        for i in range(n):
            sid = enterprise(src, root / "media", i)
            if video_mib:
                video = padded_mp4(root / "media" / f"v{i}.mp4", video_mib * MiB, seed=i + 1)
                assert not drafts.attach_files(src, sid, [video]).failed
            export_package(src, sid, folder / f"e{i:02d}.qmpkg")
    finally:
        src.close()
    return folder


def server_listing(intake: Any, token: str) -> list[dict[str, Any]]:
    answer = requests.get(
        intake.url("/api/v1/submissions"), headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    answer.raise_for_status()
    listed: list[dict[str, Any]] = answer.json()["submissions"]
    return listed


def test_batch_through_faults_arrives_exactly_once(
    coord: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    folder = received_packages(tmp_path, 8, video_mib=3)
    rows = inbox_import.import_paths(coord, [folder])
    assert [r.outcome for r in rows] == ["new"] * 8
    ids = [r.submission_id for r in rows if r.submission_id is not None]
    for i in ids[:5]:
        inbox.check_item(coord, next(r.id for r in rows if r.submission_id == i))
    assert inbox.checked_submissions(coord) == sorted(ids[:5])
    token = intake.district_token()
    plan = FaultPlan(p_cut=0.45, p_reset=0.45, p_stall=0.1, mean_bytes=3 * MiB, stall_s=2)
    events: list[batch.BatchEvent] = []
    with FaultProxy(intake.port, plan=plan, seed=7) as proxy:
        save_token(outbox.set_endpoint(coord, proxy.url), token)
        items = batch.queue_batch(coord, ids)
        assert {i.state for i in items} == {batch.WAITING}
        for _round in range(20):
            items = batch.BatchUploader(
                coord,
                items,
                parallel=3,
                retries=2,
                retry_backoff=FAST,
                on_event=events.append,
                settings=HttpSettings(connect_timeout_s=2, read_timeout_s=2),
                sender_options={"tus_backoff": FAST, "chunk_size": MiB, "max_stalls": 4},
            ).run()
            if all(i.state == batch.RECEIVED for i in items):
                break
            # what failed this round is still queued: the next run resumes it
            items = batch.queue_batch(coord, [i.submission_id for i in items])
        assert all(i.state == batch.RECEIVED for i in items), [i.to_dict() for i in items]
        assert sum(proxy.stats.faults.values()) > 0
    assert events and events[-1].items_total == len(ids)
    assert any(e.item.bytes_done and e.item.bytes_done < e.item.bytes_total for e in events)
    listed = server_listing(intake, token)
    uuids = sorted(drafts.load_report(coord, sid).uuid for sid in ids)
    assert sorted(s["uuid"] for s in listed) == uuids  # each exactly once
    for s in listed:
        assert s["status"] == "received" and len(s["revisions"]) == 1
        assert s["unit"]["kind"] == "enterprise"
    numbers = {i.receipt_number for i in items}
    assert len(numbers) == len(ids) and "" not in numbers
    assert outbox.outbox_rows(coord) == []


def test_batch_refuses_one_and_sends_the_rest(
    coord: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    folder = received_packages(tmp_path, 3)
    rows = inbox_import.import_paths(coord, [folder])
    ids = [r.submission_id for r in rows if r.submission_id is not None]
    drafts.update_fields(coord, ids[1], {"summary": ""})  # now it fails the checks
    token = intake.district_token()
    save_token(outbox.set_endpoint(coord, intake.base_url), token)
    items = batch.queue_batch(coord, ids)
    # queued in one transaction: the refused one is not frozen, the others are
    assert [i.state for i in items] == ["waiting", "refused", "waiting"]
    frozen = [any(e.action == "frozen" for e in drafts.audit_log(coord, i)) for i in ids]
    assert frozen == [True, False, True]
    assert [drafts.status_of(coord, i) for i in ids] == ["queued", "draft", "queued"]
    uploader = batch.BatchUploader(coord, items)
    assert uploader.parallel == 2  # chosen by the program: the two small reports left, at once
    items = uploader.run()
    states = {i.submission_id: i.state for i in items}
    assert states == {ids[0]: "received", ids[1]: "refused", ids[2]: "received"}
    refused = next(i for i in items if i.state == "refused")
    assert refused.message_zh and refused.message_en
    assert len(server_listing(intake, token)) == 2
    # a second batch of the same reports sends nothing again
    again = batch.upload(coord, [ids[0], ids[2]])
    assert [i.state for i in again] == ["received", "received"]
    assert len(server_listing(intake, token)) == 2


def test_how_many_at_once_follows_the_number_and_size_of_the_reports() -> None:
    assert batch.choose_parallel([]) == 1
    assert batch.choose_parallel([900 * MiB]) == 1  # one report: nothing to overlap
    assert batch.choose_parallel([20 * MiB] * 3) == 2  # bytes are the limit
    assert batch.choose_parallel([20 * MiB] * 30) == 2
    assert batch.choose_parallel([8 * MiB] * 30) == 4  # round trips overlap
    assert batch.choose_parallel([2 * MiB] * 100) == 4
    assert batch.choose_parallel([1024 * MiB] * 10) == 2  # bytes are the limit


def _bytes_down(coord: AppContext, intake: Any, folder: Path, parallel: int) -> int:
    """What a batch of the packages in ``folder`` received from the server."""
    rows = inbox_import.import_paths(coord, [folder])
    ids = [r.submission_id for r in rows if r.submission_id is not None]
    with FaultProxy(intake.port) as proxy:  # no faults: it counts the bytes that pass
        save_token(outbox.set_endpoint(coord, proxy.url), intake.district_token())
        items = batch.BatchUploader(coord, batch.queue_batch(coord, ids), parallel=parallel).run()
        assert [i.state for i in items] == ["received"] * len(ids)
        return proxy.stats.bytes_down


def test_a_batchs_workers_ask_the_server_and_fetch_the_campaign_once(
    coord: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    """Four workers, one discovery: what comes down is what one worker alone receives
    (the same answers), not three more discoveries and campaign documents."""
    from coordsetup import make_coordinator
    from intake_server import IntakeServer

    folder = received_packages(tmp_path, 8)
    alone = open_context(tmp_path / "alone")
    try:  # the same packages from another coordinator's folder, to a server of their own
        make_coordinator(alone)
        with IntakeServer(tmp_path / "intake-alone") as other:
            one = _bytes_down(alone, other, folder, parallel=1)
    finally:
        alone.close()
    four = _bytes_down(coord, intake, folder, parallel=4)
    campaign = requests.get(intake.url("/api/v1/campaigns/jinan-2022-quality-month"), timeout=10)
    assert abs(four - one) < len(campaign.content) // 2, (one, four, len(campaign.content))
