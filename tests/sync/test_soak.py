"""The fault soak: hundreds of submissions, each sent through randomized faults — cuts,
resets, stalls without a close, slow lines, 503 and 429 answers — and each must arrive
exactly once, with every file's SHA-256 equal on both sides and one receipt.

One run is one submission (a photo and a 0.5–1.5 MiB video, 256 KiB chunks) synced through a
fault proxy that injects one or two faults on its next connections, retried until it is
delivered.  ``QMSOAK_RUNS`` sets the number of runs (default 200); ``QMSOAK_REPORT`` names
a JSON file for the figures.  The figures (faults by kind, syncs, retries by cause, bytes
sent against file bytes, share re-sent, wall time) are printed at the end, also when
pytest captures output (``docs/reliability.md`` shows the latest).

Stall without a close: the client notices by its read timeout (1.5 s here) and resumes;
the proxy then holds the server's side 0.5 s longer before closing it (standing in for the
server's own bound on waiting for body bytes).
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
from mediafactory import make_mp4
from netfault import FaultPlan, FaultProxy, random_fault
from reports import ready_submission
from sqlalchemy import select
from tus_helpers import sha256_of

from qmclient.services import drafts, outbox
from qmclient.store.models import AuditEvent
from qmclient.sync.backoff import Backoff
from qmclient.sync.http import HttpSettings
from qmclient.sync.tokens import save_token

MiB = 1 << 20
CHUNK = 256 * 1024
FAST = Backoff(base_s=0.01, cap_s=0.2)
SETTINGS = HttpSettings(connect_timeout_s=2, read_timeout_s=1.5)
MAX_ATTEMPTS = 30


def _server_file(intake: Any, sha: str) -> Path:
    return Path(intake.data_dir) / "media" / sha[:2] / sha[2:4] / sha


def _retry_causes(ctx: Any, uuids: set[str]) -> dict[str, int]:
    """Why syncs of these submissions ended without a receipt (the outbox's audit)."""
    causes: Counter[str] = Counter()
    with ctx.store.read() as s:
        for event in s.scalars(select(AuditEvent).where(AuditEvent.action == "send-failed")):
            if event.submission_uuid in uuids:
                causes[json.loads(event.detail).get("code", "?")] += 1
    return dict(sorted(causes.items()))


def _print_figures(figures: dict[str, Any]) -> None:
    mb = 1e6
    faults = ", ".join(f"{k} {v}" for k, v in figures["faults"].items())
    causes = ", ".join(f"{k} {v}" for k, v in figures["retry_causes"].items()) or "none"
    print(
        f"\nfault soak: {figures['runs']} runs (one submission each)\n"
        f"  faults injected   {figures['faults_total']}: {faults}\n"
        f"  syncs             {figures['syncs']} ({figures['retries']} retries: {causes})\n"
        f"  connections       {figures['reconnects']} beyond a clean run's\n"
        f"  bytes sent        {figures['sent_bytes'] / mb:.1f} MB for "
        f"{figures['media_bytes'] / mb:.1f} MB of files\n"
        f"  re-sent           {figures['resent_bytes'] / mb:.1f} MB "
        f"({100 * figures['resent_share']:.1f} % of the file bytes, "
        f"{figures['resent_bytes'] / max(1, figures['faults_total']) / 1e3:.0f} KB per fault)\n"
        f"  wall time         {figures['wall_s']:.0f} s"
    )


def _sync_until_delivered(ctx: Any) -> int:
    """Sync until the outbox is empty; returns the number of sync attempts."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with outbox.OutboxSender(
            ctx,
            tus_backoff=FAST,
            settings=SETTINGS,
            chunk_size=CHUNK,
            max_stalls=4,
            refresh_campaigns=False,
        ) as sender:
            sender.send_all()
        if not outbox.outbox_rows(ctx):
            return attempt
    raise AssertionError(f"not delivered after {MAX_ATTEMPTS} syncs: {outbox.outbox_rows(ctx)}")


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_fault_soak(
    ctx: Any, intake: Any, memory_keyring: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = int(os.environ.get("QMSOAK_RUNS", "200"))
    rng = random.Random(20221)
    token = intake.unit_token()
    started = time.monotonic()
    figures: dict[str, Any] = {"runs": runs, "faults": {}, "retries": 0, "syncs": 0}
    figures["reconnects"] = 0
    clean_connections = 0
    resent = sent_total = 0
    base_video = make_mp4(tmp_path / "base.mp4", seconds=0.4, size=(160, 120)).read_bytes()
    media_total = 0
    ids: list[int] = []
    with FaultProxy(intake.port, seed=7) as proxy:
        outbox.set_endpoint(ctx, proxy.url)
        save_token(outbox.endpoint_for(ctx), token)
        # the cost of one clean run besides the files (the JSON calls), to tell re-sent bytes
        overhead: list[int] = []
        for i in range(runs + 3):
            clean = i < 3
            sid = ready_submission(ctx, tmp_path / f"src{i}", seed=i)
            video = tmp_path / f"src{i}" / "视频.mp4"  # a real MP4 and unique bytes after it
            video.write_bytes(base_video + rng.randbytes(MiB // 2 + rng.randrange(0, MiB)))
            assert not drafts.attach_files(ctx, sid, [video], caption="活动视频").failed
            media = sum(m.size for m in drafts.load_report(ctx, sid).media)
            faults = (
                [] if clean else [random_fault(rng, media) for _ in range(rng.choice((1, 1, 2)))]
            )
            proxy.set_plan(FaultPlan(only=faults))
            before, connections = proxy.stats.bytes_up, proxy.stats.connections
            outbox.queue_submission(ctx, sid)
            attempts = _sync_until_delivered(ctx)
            sent = proxy.stats.bytes_up - before
            if clean:
                assert attempts == 1
                overhead.append(sent - media)
                clean_connections = proxy.stats.connections - connections
                continue
            figures["reconnects"] += proxy.stats.connections - connections - clean_connections
            sent_total += sent
            ids.append(sid)
            media_total += media
            figures["syncs"] += attempts
            figures["retries"] += attempts - 1
            resent += max(0, sent - media - max(overhead))
        figures["faults"] = dict(sorted(proxy.stats.faults.items()))
    figures["faults_total"] = sum(figures["faults"].values())
    figures["retry_causes"] = _retry_causes(ctx, {drafts.load_report(ctx, sid).uuid for sid in ids})
    figures["media_bytes"] = media_total
    figures["sent_bytes"] = sent_total
    figures["resent_bytes"] = resent
    figures["resent_share"] = round(resent / media_total, 4)
    figures["wall_s"] = round(time.monotonic() - started, 1)
    with capsys.disabled():
        _print_figures(figures)
    if os.environ.get("QMSOAK_REPORT"):
        Path(os.environ["QMSOAK_REPORT"]).write_text(json.dumps(figures, indent=1))

    # every fault kind was met, and more faults than runs' worth of single faults
    assert set(figures["faults"]) >= {"cut", "reset", "hang", "slow", "503", "429"}
    assert figures["faults_total"] >= runs
    # what a fault costs is at most the chunk under way (and the request it was in)
    assert resent <= figures["faults_total"] * (CHUNK + 64 * 1024)
    # each submission exactly once, received, with one receipt that names every file
    listed = requests.get(
        intake.url("/api/v1/submissions"), headers={"Authorization": f"Bearer {token}"}, timeout=30
    ).json()["submissions"]
    by_uuid = {s["uuid"]: s for s in listed}
    assert len(listed) == len(by_uuid) == runs + 3
    numbers = set()
    for sid in ids:
        report = drafts.load_report(ctx, sid)
        receipt = outbox.receipt_of(ctx, sid)
        assert receipt is not None and receipt["submission_uuid"] == report.uuid
        server = by_uuid[report.uuid]
        assert server["status"] == "received" and len(server["revisions"]) == 1
        assert server["revisions"][0]["receipt"]["receipt_number"] == receipt["receipt_number"]
        assert {f["sha256"] for f in receipt["files"]} == {m.sha256 for m in report.media}
        for m in report.media:
            assert sha256_of(_server_file(intake, m.sha256)) == m.sha256
        numbers.add(receipt["receipt_number"])
    assert len(numbers) == runs
    with capsys.disabled():
        print(f"  checked           {runs} submissions, each exactly once, all SHA-256 equal")
