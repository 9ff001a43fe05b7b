"""Fixtures for the sync tests: the official Node tus server, keyrings, test files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

NODE_DIR = Path(__file__).resolve().parent.parent / "node"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def make_file(path: Path, size: int, seed: int = 1) -> Path:
    """A file of ``size`` pseudo-random bytes (fast: a repeated 1 MiB random block)."""
    import random

    rnd = random.Random(seed)
    block = rnd.randbytes(min(size, 1 << 20) or 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        left = size
        i = 0
        while left > 0:
            piece = block[: min(left, len(block))]
            # vary each block so a misplaced chunk changes the hash
            fh.write(i.to_bytes(8, "big") + piece[8:] if len(piece) > 8 else piece)
            left -= len(piece)
            i += 1
    return path


class NodeTus:
    """A running @tus/server with @tus/file-store on 127.0.0.1."""

    def __init__(self, directory: Path, expiry_ms: int = 0) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        args = ["node", str(NODE_DIR / "tus-server.mjs"), str(directory)]
        if expiry_ms:
            args.append(str(expiry_ms))
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=NODE_DIR)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        self.port = int(json.loads(line)["port"])
        self.creation_url = f"http://127.0.0.1:{self.port}/files"

    def upload_id(self, url: str) -> str:
        return url.rstrip("/").rsplit("/", 1)[-1]

    def stored(self, url: str) -> Path:
        return self.directory / self.upload_id(url)

    def info(self, url: str) -> dict[str, object]:
        data: dict[str, object] = json.loads(
            (self.directory / f"{self.upload_id(url)}.json").read_text()
        )
        return data

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _node_ready() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (NODE_DIR / "node_modules" / "@tus" / "server").is_dir():
        return "tests/node/node_modules is missing (./qm setup installs it)"
    return None


@pytest.fixture
def node_tus(tmp_path: Path) -> Iterator[NodeTus]:
    why = _node_ready()
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    server = NodeTus(tmp_path / "tus-files")
    yield server
    server.stop()


@pytest.fixture
def node_tus_factory(tmp_path: Path) -> Iterator[type[NodeTus]]:
    why = _node_ready()
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


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in memory: what the OS keyring would hold."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def intake(tmp_path: Path) -> Iterator[object]:
    from intake_server import IntakeServer

    server = IntakeServer(tmp_path / "intake")
    server.start()
    yield server
    server.stop()


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
