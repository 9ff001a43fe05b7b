"""Crash and bad-network safety: SIGKILL mid-upload, and randomized faults end exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import sha256_of
from netfault import FaultPlan, FaultProxy
from reports import ready_submission

from qmclient.services import drafts, outbox
from qmclient.services.context import open_context
from qmclient.sync.backoff import Backoff
from qmclient.sync.http import HttpSettings

MiB = 1 << 20
FAST = Backoff(base_s=0.01, cap_s=0.1)


def server_file(intake: Any, sha: str) -> Path:
    return Path(intake.data_dir) / "media" / sha[:2] / sha[2:4] / sha


def stored_upload(db: Path) -> tuple[str | None, int]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        row = con.execute(
            "SELECT upload_url, offset FROM media_upload ORDER BY length DESC LIMIT 1"
        ).fetchone()
        return (row[0], int(row[1])) if row else (None, 0)
    finally:
        con.close()


def run_client(data_dir: Path, token: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QMCLIENT_TOKEN": token, "QMCLIENT_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, "-m", "qmclient", "--data-dir", str(data_dir), "sync", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def test_sigkill_mid_upload_then_restart_resends_at_most_one_chunk(
    tmp_path: Path, intake: Any
) -> None:
    data_dir = tmp_path / "client"
    token = intake.unit_token()
    chunk = 4 * MiB
    with FaultProxy(intake.port) as proxy:
        proxy.rate_up = 12 * MiB  # a slow line, so the kill lands mid-upload
        ctx = open_context(data_dir)
        sid = ready_submission(ctx, tmp_path / "src", video_bytes=48 * MiB)
        outbox.set_endpoint(ctx, proxy.url)
        outbox.queue_submission(ctx, sid)
        report = drafts.load_report(ctx, sid)
        ctx.close()
        video = max(report.media, key=lambda m: m.size)
        db = data_dir / "qmclient.sqlite3"
        proc = run_client(data_dir, token, "--chunk-mib", "4")
        deadline = time.monotonic() + 60
        url, offset = None, 0
        while time.monotonic() < deadline:
            url, offset = stored_upload(db)
            if offset >= 3 * chunk:
                break
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert url is not None and offset >= 3 * chunk
        url, offset = stored_upload(db)  # what the killed client had committed
        # the client never wrote an offset ahead of the server
        head = requests.head(
            url.replace(proxy.url, intake.base_url),
            headers={"Tus-Resumable": "1.0.0", "Authorization": f"Bearer {token}"},
            timeout=10,
        )
        server_offset = int(head.headers["Upload-Offset"])
        assert offset <= server_offset < video.size
        assert server_offset - offset <= chunk  # at most the chunk under way is unrecorded
        sent_before = proxy.stats.bytes_up
        proxy.rate_up = None
        done = run_client(data_dir, token)
        output = done.communicate(timeout=120)[0]
        assert done.returncode == 0, output
        resent = proxy.stats.bytes_up - sent_before
    # after the restart only the rest of the video went up (plus the JSON calls)
    assert resent <= video.size - server_offset + 256 * 1024
    assert stored_upload(db)[0] == url  # the same upload, resumed
    assert sha256_of(server_file(intake, video.sha256)) == video.sha256
    ctx = open_context(data_dir)
    try:
        assert ctx.store.integrity_check() == "ok"
        assert outbox.receipt_of(ctx, sid) is not None
        assert drafts.status_of(ctx, sid) == "received"
    finally:
        ctx.close()
    assert "receipt" in output


def _soak(
    ctx: Any, intake: Any, token: str, tmp_path: Path, seed: int, reports: int, video_mib: int
) -> None:
    plan = FaultPlan(
        p_cut=0.45, p_reset=0.45, p_stall=0.1, mean_bytes=4 * MiB, p_down=0.3, stall_s=3
    )
    with FaultProxy(intake.port, plan=plan, seed=seed) as proxy:
        outbox.set_endpoint(ctx, proxy.url)
        from qmclient.sync.tokens import save_token

        save_token(outbox.endpoint_for(ctx), token)
        ids = [
            ready_submission(
                ctx, tmp_path / f"src{i}", photos=2, video_bytes=video_mib * MiB, seed=seed * 10 + i
            )
            for i in range(reports)
        ]
        for sid in ids:
            outbox.queue_submission(ctx, sid)
        for _ in range(60):
            with outbox.OutboxSender(
                ctx,
                tus_backoff=FAST,
                settings=HttpSettings(connect_timeout_s=2, read_timeout_s=2),
                chunk_size=MiB,
                max_stalls=4,
            ) as s:
                s.send_all()
            if not outbox.outbox_rows(ctx):
                break
        assert outbox.outbox_rows(ctx) == [], outbox.outbox_rows(ctx)
        assert sum(proxy.stats.faults.values()) > 0
    listed = requests.get(
        intake.url("/api/v1/submissions"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()["submissions"]
    uuids = [drafts.load_report(ctx, sid).uuid for sid in ids]
    assert sorted(s["uuid"] for s in listed) == sorted(uuids)  # each exactly once
    numbers = set()
    for sid in ids:
        report = drafts.load_report(ctx, sid)
        receipt = outbox.receipt_of(ctx, sid)
        assert receipt is not None and receipt["submission_uuid"] == report.uuid
        numbers.add(receipt["receipt_number"])
        server = next(s for s in listed if s["uuid"] == report.uuid)
        assert server["status"] == "received" and len(server["revisions"]) == 1
        assert server["revisions"][0]["receipt"]["receipt_number"] == receipt["receipt_number"]
        for m in report.media:
            assert sha256_of(server_file(intake, m.sha256)) == m.sha256
    assert len(numbers) == len(ids)


def test_random_faults_every_report_arrives_exactly_once(
    ctx: Any, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    _soak(ctx, intake, intake.unit_token(), tmp_path, seed=11, reports=3, video_mib=4)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_random_faults_soak(
    ctx: Any, intake: Any, memory_keyring: Any, tmp_path: Path, seed: int
) -> None:
    _soak(ctx, intake, intake.unit_token(), tmp_path, seed=100 + seed, reports=4, video_mib=9)
