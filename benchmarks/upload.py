"""Upload benchmark: qmclient's tus client against curl, on loopback, in the same run.

    .venv/bin/python benchmarks/upload.py [--sizes-gib 1,4] [--rounds 2] [--server node]

For each size it writes a test file, starts the official tus server (@tus/server with
@tus/file-store, from tests/node) on 127.0.0.1, and alternates:

- the baseline: a creation POST, then curl streaming the whole file in one PATCH
  (``curl -X PATCH -T file -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0'
  -H 'Content-Type: application/offset+octet-stream'``);
- qmclient: ``TusUploader`` in a fresh process (32 MiB chunks, upload URL and offset
  saved after every chunk), which reports its peak resident memory (VmHWM).

It prints the best time of each and their ratio (curl time / client time: 1.0 is as fast
as curl), the median of the per-round ratios, every time measured, and the client's peak
RSS.  Files are written under --work (default: a
temporary folder) and removed afterwards; the server keeps uploads in --server-dir
(default /dev/shm: the disk's write-back of earlier rounds made the figures swing by a
factor of two).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "tests" / "node"
MiB = 1 << 20


def write_file(path: Path, size: int) -> None:
    block = os.urandom(4 * MiB)
    with open(path, "wb") as fh:
        left, i = size, 0
        while left > 0:
            piece = block[: min(left, len(block))]
            fh.write(i.to_bytes(8, "big") + piece[8:])
            left -= len(piece)
            i += 1


def start_node(directory: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        ["node", str(NODE_DIR / "tus-server.mjs"), str(directory)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=NODE_DIR,
    )
    assert proc.stdout is not None
    port = json.loads(proc.stdout.readline())["port"]
    return proc, f"http://127.0.0.1:{port}/files"


def create(url: str, size: int) -> str:
    import requests

    r = requests.post(
        url,
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": str(size),
            "Upload-Metadata": "filename YmVuY2g=",
        },
        timeout=30,
    )
    r.raise_for_status()
    from urllib.parse import urljoin

    return urljoin(url, r.headers["Location"])


def run_curl(url: str, path: Path) -> float:
    upload = create(url, path.stat().st_size)
    started = time.perf_counter()
    subprocess.run(
        [
            "curl",
            "-sS",
            "-f",
            "-o",
            "/dev/null",
            "-X",
            "PATCH",
            "-T",
            str(path),
            "-H",
            "Tus-Resumable: 1.0.0",
            "-H",
            "Upload-Offset: 0",
            "-H",
            "Content-Type: application/offset+octet-stream",
            "-H",
            "Expect:",
            upload,
        ],
        check=True,
    )
    return time.perf_counter() - started


def run_client(url: str, path: Path, chunk_mib: int) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", url, str(path), str(chunk_mib)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return float(data["seconds"]), int(data["peak_rss"])


def child(url: str, path: Path, chunk_mib: int) -> None:
    """The measured client: a fresh process, as the app would run it."""
    import hashlib

    from qmclient.sync.filechunks import UploadTarget
    from qmclient.sync.http import HttpClient
    from qmclient.sync.resume import MemoryResume
    from qmclient.sync.tus import TusUploader

    size = path.stat().st_size
    # the whole-file SHA-256 is known from when the file was attached; not timed here
    sha = hashlib.sha256(path.name.encode()).hexdigest()
    http = HttpClient()
    up = TusUploader(http, url, chunk_size=chunk_mib * MiB)
    started = time.perf_counter()
    up.upload(UploadTarget(path, size, sha, "bench.mp4", "video/mp4"), MemoryResume())
    seconds = time.perf_counter() - started
    peak = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) * 1024
    print(json.dumps({"seconds": seconds, "peak_rss": peak}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes-gib", default="1,4")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--chunk-mib", type=int, default=32)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument(
        "--server-dir",
        type=Path,
        default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
        help="where the tus server stores uploads (default: /dev/shm, so that disk "
        "write-back of earlier rounds does not add noise)",
    )
    ap.add_argument("--child", nargs=3, metavar=("URL", "FILE", "CHUNK_MIB"))
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), int(args.child[2]))
        return
    work = Path(tempfile.mkdtemp(prefix="qm-bench-", dir=args.work))
    try:
        for gib in [float(x) for x in args.sizes_gib.split(",")]:
            size = int(gib * 1024 * MiB)
            src = work / f"video-{gib:g}g.mp4"
            write_file(src, size)
            curl_t: list[float] = []
            ours_t: list[float] = []
            rss: list[int] = []
            for _ in range(args.rounds):
                for who in ("curl", "qmclient"):
                    store = Path(tempfile.mkdtemp(prefix="qm-bench-store-", dir=args.server_dir))
                    shutil.rmtree(store, ignore_errors=True)
                    proc, url = start_node(store)
                    try:
                        if who == "curl":
                            curl_t.append(run_curl(url, src))
                        else:
                            t, peak = run_client(url, src, args.chunk_mib)
                            ours_t.append(t)
                            rss.append(peak)
                    finally:
                        proc.terminate()
                        proc.wait()
                        shutil.rmtree(store, ignore_errors=True)
            best_curl, best_ours = min(curl_t), min(ours_t)
            ratios = sorted(c / o for c, o in zip(curl_t, ours_t, strict=True))
            result = {
                "size_gib": gib,
                "curl_s": round(best_curl, 2),
                "qmclient_s": round(best_ours, 2),
                "curl_mib_s": round(size / MiB / best_curl, 1),
                "qmclient_mib_s": round(size / MiB / best_ours, 1),
                "throughput_ratio": round(best_curl / best_ours, 3),
                "median_round_ratio": round(ratios[len(ratios) // 2], 3),
                "curl_all_s": [round(x, 2) for x in curl_t],
                "qmclient_all_s": [round(x, 2) for x in ours_t],
                "peak_rss_mib": round(max(rss) / MiB, 1),
                "rounds": args.rounds,
                "chunk_mib": args.chunk_mib,
            }
            print(json.dumps(result), flush=True)
            src.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
