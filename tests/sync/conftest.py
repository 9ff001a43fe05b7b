"""Fixtures for the sync tests: the official Node tus server, keyrings, test files."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tus_helpers import NodeTus, make_file, node_ready, sha256_of  # noqa: F401


@pytest.fixture
def node_tus(tmp_path: Path) -> Iterator[NodeTus]:
    why = node_ready()
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    server = NodeTus(tmp_path / "tus-files")
    yield server
    server.stop()


@pytest.fixture
def node_tus_factory(tmp_path: Path) -> Iterator[type[NodeTus]]:
    why = node_ready()
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    started: list[NodeTus] = []

    class Factory(NodeTus):
        def __init__(self, directory: Path | None = None, expiry_ms: int = 0) -> None:
            super().__init__(directory or tmp_path / f"tus-{len(started)}", expiry_ms)
            started.append(self)

    yield Factory
    for s in started:
        s.stop()


@pytest.fixture
def logged_in(ctx, intake, memory_keyring):  # type: ignore[no-untyped-def]
    """The client's endpoint set to the running intake server, with a unit's token."""
    from qmclient.services.outbox import set_endpoint
    from qmclient.sync.tokens import save_token

    endpoint = set_endpoint(ctx, intake.base_url)
    token = intake.unit_token()
    save_token(endpoint, token)
    return token


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, full file system: a 64 KiB tmpfs filled to the last byte (needs root)."""
    mnt = tmp_path / "full"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        with open(mnt / "filler", "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(bytes(4096))
            except OSError:
                pass
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
