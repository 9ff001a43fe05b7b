"""A batch upload killed mid-way (SIGKILL) resumes on the next run: each report once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from coordsetup import make_coordinator
from netfault import FaultProxy
from test_batch_upload import received_packages, server_listing

from qmclient.services import drafts, inbox_import, outbox
from qmclient.services.context import open_context

MiB = 1 << 20


def batch_cli(data: Path, token: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QMCLIENT_TOKEN": token, "QMCLIENT_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, "-m", "qmclient", "--data-dir", str(data), "batch", "upload", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def test_sigkill_mid_batch_then_resume(intake: Any, tmp_path: Path) -> None:
    data = tmp_path / "coord"
    ctx = open_context(data)
    make_coordinator(ctx)
    folder = received_packages(tmp_path, 5, video_mib=4)
    rows = inbox_import.import_paths(ctx, [folder])
    ids = [r.submission_id for r in rows if r.submission_id is not None]
    uuids = sorted(drafts.load_report(ctx, sid).uuid for sid in ids)
    token = intake.district_token()
    with FaultProxy(intake.port) as proxy:
        proxy.rate_up = 4 * MiB  # slow enough that the kill lands mid-batch
        outbox.set_endpoint(ctx, proxy.url)
        ctx.close()
        proc = batch_cli(data, token, "--parallel", "2", *map(str, ids))
        deadline = time.monotonic() + 60
        while proxy.stats.bytes_up < 6 * MiB and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        sent_before = len(server_listing(intake, token))
        assert sent_before < len(ids)  # it was killed in the middle
        proxy.rate_up = None
        again = batch_cli(data, token, "--parallel", "2")  # no ids: resume the outbox
        output, _ = again.communicate(timeout=120)
        assert again.returncode == 0, output
    listed = server_listing(intake, token)
    assert sorted(s["uuid"] for s in listed) == uuids  # every report, once
    assert all(len(s["revisions"]) == 1 for s in listed)
    ctx = open_context(data)
    try:
        assert ctx.store.integrity_check() == "ok"
        assert all(drafts.status_of(ctx, sid) == "received" for sid in ids)
    finally:
        ctx.close()
