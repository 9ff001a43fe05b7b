"""Upload benchmark of the intake server: qmintake against the official Node tus server.

    .venv/bin/python benchmarks/bench_intake_upload.py [--size-mib 1024] [--rounds 3]
                                                       [--server-dir /dev/shm]

It writes a test file (an MP4 header, then incompressible bytes), starts qmintake (its
own subprocess, SQLite) and the official tus server (@tus/server with @tus/file-store,
from tests/node) on 127.0.0.1, and alternates, ``--rounds`` times:

- the baseline: a creation POST to the Node server, then curl streaming the whole file in
  one PATCH (``curl -X PATCH -T file``);
- qmintake: the same POST (with the report put first, as the protocol wants) and the same
  curl PATCH; qmintake streams the body to disk, hashes it as it arrives, checks the
  SHA-256 at the end and moves the file into its content-addressed store — all inside the
  timed PATCH.

It prints the best PATCH time of each, the throughput ratio (Node time / qmintake time:
1.0 is as fast as the official server, higher is faster), a second ratio against the Node
upload plus hashing the file once (the check the Node server does not do and qmintake
does inside the PATCH), and the peak resident memory (VmHWM) of both server processes.  Both servers keep their data under --server-dir
(default /dev/shm, so that the write-back of earlier rounds does not skew later ones).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "tests" / "node"
sys.path.insert(0, str(ROOT / "tests"))
MiB = 1 << 20


def write_file(path: Path, size: int) -> str:
    """An MP4-looking file of ``size`` bytes; returns its SHA-256."""
    h = hashlib.sha256()
    block = os.urandom(4 * MiB)
    with open(path, "wb") as fh:
        head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
        first = head + block[len(head) :]
        left, i = size, 0
        while left > 0:
            piece = (first if i == 0 else i.to_bytes(8, "big") + block[8:])[: min(left, 4 * MiB)]
            fh.write(piece)
            h.update(piece)
            left -= len(piece)
            i += 1
    return h.hexdigest()


def vm_hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def meta(**kv: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in kv.items())


def curl_patch(url: str, path: Path, headers: dict[str, str]) -> float:
    cmd = ["curl", "-sS", "-f", "-o", "/dev/null", "-X", "PATCH", "-T", str(path)]
    for k, v in {
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream",
        "Expect": "",
        **headers,
    }.items():
        cmd += ["-H", f"{k}: {v}"]
    t0 = time.perf_counter()
    subprocess.run([*cmd, url], check=True)
    return time.perf_counter() - t0


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


def node_round(endpoint: str, path: Path, size: int, sha: str) -> float:
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
    loc = requests.compat.urljoin(endpoint, r.headers["Location"])
    return curl_patch(loc, path, {})


def intake_round(srv, token: str, path: Path, size: int, sha: str) -> float:  # type: ignore[no-untyped-def]
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
    elapsed = curl_patch(r.headers["Location"], path, {"Authorization": f"Bearer {token}"})
    stored = srv.data_dir / "media" / sha[:2] / sha[2:4] / sha
    assert stored.stat().st_size == size, "qmintake did not store the file"
    return elapsed


def put_report(srv, token: str, path: Path, size: int, sha: str) -> None:  # type: ignore[no-untyped-def]
    from intake.protocol import make_report, put
    from mediafactory import make_jpeg

    from qmclient.core.report import MediaRef

    photo = make_jpeg(path.with_name("photo.jpg"))
    report = make_report([photo])
    report.media.append(
        MediaRef(
            sha256=sha,
            size=size,
            media_type="video/mp4",
            original_name=path.name,
            caption="活动视频",
            activity_id="a1",
        )
    )
    r = put(srv, token, report)
    assert r.status_code == 201, r.text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--rounds", type=int, default=3)
    default_dir = "/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir()
    ap.add_argument("--server-dir", default=default_dir)
    ap.add_argument("--work", default=None, help="where the test file is written")
    args = ap.parse_args()
    if not (NODE_DIR / "node_modules" / "@tus" / "server").exists():
        print("tests/node/node_modules is missing: run ./qm setup", file=sys.stderr)
        return 2

    from intake_server import IntakeServer

    size = args.size_mib * MiB
    work = Path(tempfile.mkdtemp(prefix="qmbench-", dir=args.work))
    sdir = Path(tempfile.mkdtemp(prefix="qmbench-srv-", dir=args.server_dir))
    node_proc = None
    srv = None
    try:
        path = work / "video.mp4"
        sha = write_file(path, size)
        srv = IntakeServer(sdir / "intake")
        srv.start()
        token = srv.unit_token()
        put_report(srv, token, path, size, sha)
        node_dir = sdir / "node"
        node_dir.mkdir()
        node_proc, endpoint = start_node(node_dir)
        rss_idle = vm_hwm_kib(srv.proc.pid)  # type: ignore[union-attr]
        node_times, intake_times = [], []
        for i in range(args.rounds):
            node_times.append(node_round(endpoint, path, size, sha))
            for f in node_dir.iterdir():
                f.unlink()
            intake_times.append(intake_round(srv, token, path, size, sha))
            print(
                f"round {i + 1}: node {node_times[-1]:.2f} s, qmintake {intake_times[-1]:.2f} s",
                flush=True,
            )
        best_node, best_intake = min(node_times), min(intake_times)
        t0 = time.perf_counter()
        hashed = hashlib.sha256()
        with open(path, "rb") as fh:
            while block := fh.read(4 * MiB):
                hashed.update(block)
        verify = time.perf_counter() - t0  # what an office must add to the Node server
        assert hashed.hexdigest() == sha
        rss_intake = vm_hwm_kib(srv.proc.pid)  # type: ignore[union-attr]
        rss_node = vm_hwm_kib(node_proc.pid)
        mib_s = lambda t: size / MiB / t  # noqa: E731
        result = {
            "size_mib": args.size_mib,
            "rounds": args.rounds,
            "node_best_s": round(best_node, 3),
            "qmintake_best_s": round(best_intake, 3),
            "node_mib_s": round(mib_s(best_node), 1),
            "qmintake_mib_s": round(mib_s(best_intake), 1),
            "throughput_ratio": round(best_node / best_intake, 2),
            "throughput_ratio_of_medians": round(
                statistics.median(node_times) / statistics.median(intake_times), 2
            ),
            "sha256_file_s": round(verify, 3),
            "throughput_ratio_vs_node_plus_verify": round((best_node + verify) / best_intake, 2),
            "qmintake_peak_rss_mib": round(rss_intake / 1024, 1),
            "qmintake_idle_rss_mib": round(rss_idle / 1024, 1),
            "node_peak_rss_mib": round(rss_node / 1024, 1),
        }
        print(
            f"\n{args.size_mib} MiB in one PATCH (curl), best of {args.rounds}:\n"
            f"  official Node tus server : {best_node:.2f} s ({mib_s(best_node):.0f} MiB/s), "
            f"peak RSS {rss_node / 1024:.0f} MiB\n"
            f"  qmintake                 : {best_intake:.2f} s ({mib_s(best_intake):.0f} MiB/s), "
            f"peak RSS {rss_intake / 1024:.0f} MiB (idle {rss_idle / 1024:.0f} MiB)\n"
            f"  throughput ratio (node time / qmintake time): {best_node / best_intake:.2f} "
            f"(of the medians: "
            f"{statistics.median(node_times) / statistics.median(intake_times):.2f})\n"
            f"  SHA-256 of the file alone: {verify:.2f} s; ratio against node + that check "
            f"(qmintake verifies inside the PATCH): {(best_node + verify) / best_intake:.2f}"
        )
        print(json.dumps(result))
        return 0
    finally:
        if node_proc is not None:
            node_proc.terminate()
            node_proc.wait()
        if srv is not None:
            srv.stop()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(sdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
