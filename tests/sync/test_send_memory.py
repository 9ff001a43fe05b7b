"""Peak memory of the whole send: ``qmclient submit`` in its own process to a real qmintake.

The goal (docs/performance.md, "the user's whole send"): the client and the server each
stay under 100 MiB, whatever the size or the number of files.  Here a report of many
photos is sent after a report of one photo, each by a fresh ``qmclient submit`` started
from a small launcher (``tests/peakrss.py``: started from this test's process, a
command's peak would be this process's size); the peak of the first may exceed the
second's by a few MiB at most (flat in the number of files), and both processes, client
and server, stay under their bounds.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from mediafactory import make_jpeg
from peakrss import run_measured
from reports import ready_submission

from qmclient.services import drafts, outbox
from qmclient.services.context import AppContext

MiB = 1 << 20
ROOT = Path(__file__).resolve().parents[2]
CLIENT_BOUND = 85 * MiB  # about 62 MiB here; the goal is 100 MiB
SERVER_BOUND = 100 * MiB  # about 90 MiB here: the goal itself
FLAT = 5 * MiB  # what 80 files may add to one


def vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def submit_peak(data_dir: Path, sid: int, token: str) -> int:
    """``qmclient submit`` in a fresh process; its own peak resident memory in bytes."""
    env = {**os.environ, "QMCLIENT_TOKEN": token, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "qmclient", "--data-dir", str(data_dir), "--lang", "en"]
    run = run_measured([*cmd, "submit", str(sid)], env=env, timeout=300)
    assert run.returncode == 0, run.output
    assert "received" in run.output, run.output
    return run.peak_rss


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="peak RSS as Linux counts it")
def test_submit_peak_memory_is_flat_in_the_number_of_files_and_under_the_bound(
    ctx: AppContext, data_dir: Path, intake: Any, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    first = ready_submission(ctx, src, photos=1, seed=1)
    one = ready_submission(ctx, src, photos=1, seed=2, name="济南第二有限公司")
    many = ready_submission(ctx, src, photos=0, seed=3, name="济南第三有限公司")
    photos = [make_jpeg(src / f"many{i}.jpg", seed=500 + i) for i in range(80)]
    assert not drafts.attach_files(ctx, many, photos, caption="活动现场").failed
    outbox.set_endpoint(ctx, intake.base_url)
    token = intake.unit_token()
    # the first send also fetches and checks the campaign: the two compared do not
    submit_peak(data_dir, first, token)
    peak_one = submit_peak(data_dir, one, token)
    peak_many = submit_peak(data_dir, many, token)
    server = vm_hwm(intake.proc.pid)
    figures = (
        f"client: one photo {peak_one / MiB:.1f} MiB, 80 photos {peak_many / MiB:.1f} MiB; "
        f"server {server / MiB:.1f} MiB"
    )
    print(figures)  # shown with -s
    assert peak_many <= peak_one + FLAT, figures
    assert max(peak_one, peak_many) < CLIENT_BOUND, figures
    assert server < SERVER_BOUND, figures
