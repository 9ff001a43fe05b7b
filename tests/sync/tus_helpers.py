"""Helpers of the sync tests, importable by name: test files, the official Node tus server."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

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


def node_ready() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (NODE_DIR / "node_modules" / "@tus" / "server").is_dir():
        return "tests/node/node_modules is missing (./qm setup installs it)"
    return None
