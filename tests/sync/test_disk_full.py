"""A full disk under the client's data folder while sending: told, held, and nothing lost."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reports import ready_submission

from qmclient.services import drafts, outbox
from qmclient.services.context import open_context
from qmclient.sync.backoff import Backoff
from qmclient.sync.tokens import save_token


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(bytes(65536))
        except OSError:
            pass
    return filler


def test_full_disk_while_sending_is_explained_and_the_queue_survives(
    small_disk: Path, tmp_path: Path, intake: Any, memory_keyring: Any
) -> None:
    ctx = open_context(small_disk / "data")
    try:
        sid = ready_submission(ctx, tmp_path / "src", video_bytes=3 << 20)
        endpoint = outbox.set_endpoint(ctx, intake.base_url)
        save_token(endpoint, intake.unit_token())
        outbox.queue_submission(ctx, sid)
        filler = fill(small_disk)
        with outbox.OutboxSender(ctx, tus_backoff=Backoff(0.01, 0.05)) as s:
            outcomes = s.send_all()
        [out] = outcomes
        assert out.error is not None and out.error.code == "disk-full", out.error
        assert "磁盘空间已满" in out.error.message_zh and "disk is full" in out.error.message_en
        filler.unlink()
        assert ctx.store.integrity_check() == "ok"
        assert drafts.status_of(ctx, sid) == "queued"
        with outbox.OutboxSender(ctx, tus_backoff=Backoff(0.01, 0.05)) as s:
            [out] = s.send_all()
        assert out.ok, out.error
        assert drafts.status_of(ctx, sid) == "received"
    finally:
        ctx.close()
