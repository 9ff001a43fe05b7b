"""The user's whole send: ``qmclient submit N`` against curl to the official tus server.

    .venv/bin/python benchmarks/bench_send.py [--rounds 3] [--video-gib 1] [--big] [--photos]
                                              [--server-dir /dev/shm] [--work /tmp]

What a user waits for, from the command to the receipt: ``qmclient submit N`` in a fresh
process (checks, freezes, PUTs the report, uploads the files over tus, finalises, keeps
the receipt) of a report holding

- one video of ``--video-gib`` GiB (default 1; ``--big`` adds one of 4 GiB less 8 MiB,
  the campaign's limit per file) and the one small photo a report needs, and/or
- ``--photos``: 200 phone photos of 3–4 MB each (real JPEGs of noise, so they do not
  compress),

to a fresh qmintake on 127.0.0.1 (SQLite, media in its data folder).  The floor, in the
same run, alternating with it: the official Node tus server (@tus/server with
@tus/file-store, from tests/node) and curl streaming each file in one PATCH (all files in
one curl process, one connection; the creation POSTs are not timed).

It prints, per case, the median wall times, the ratio curl time / submit time (1.0 is as
fast as curl, higher is faster), every time measured, the CPU seconds of both sides
(curl and Node; ``qmclient submit`` and qmintake) and their ratio — steadier than wall
times on a busy machine — the peak resident memory of the
``qmclient submit`` process (its own, from a small launcher: ``tests/peakrss.py``) and of
the qmintake server (VmHWM), and the load average.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "tests" / "node"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "sync"))

from peakrss import run_measured  # noqa: E402  (tests/peakrss.py)
from upload import start_node  # noqa: E402  (benchmarks/upload.py: the Node tus server)

MiB = 1 << 20


def vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def cpu_s(pid: int) -> float:
    """User + system CPU seconds a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def noise_jpeg(path: Path, rnd: random.Random) -> Path:
    """A phone-photo-sized JPEG of 3–4 MB: smooth colour plus noise (it does not compress)."""
    from PIL import Image

    w, h = 2304, 1728  # 4 megapixels
    im = Image.frombytes("RGB", (w, h), rnd.randbytes(w * h * 3))
    im.save(path, "JPEG", quality=rnd.choice((88, 90, 92)))
    return path


# ----------------------------------------------------------------------- the floor


def curl_round(files: list[Path], server_dir: Path) -> tuple[float, float]:
    """Creation POSTs (untimed), then one curl process PATCHing every file in turn."""
    import requests

    store = Path(tempfile.mkdtemp(prefix="node-", dir=server_dir))
    proc, endpoint = start_node(store)
    try:
        urls = []
        with requests.Session() as http:
            for f in files:
                r = http.post(
                    endpoint,
                    headers={
                        "Tus-Resumable": "1.0.0",
                        "Upload-Length": str(f.stat().st_size),
                        "Upload-Metadata": "filename " + base64.b64encode(f.name.encode()).decode(),
                    },
                    timeout=30,
                )
                r.raise_for_status()
                urls.append(requests.compat.urljoin(endpoint, r.headers["Location"]))
        cmd = ["curl", "-sS", "-f", "-o", "/dev/null", "-X", "PATCH"]
        for k, v in {
            "Tus-Resumable": "1.0.0",
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
            "Expect": "",
        }.items():
            cmd += ["-H", f"{k}: {v}"]
        for f, u in zip(files, urls, strict=True):
            cmd += ["-T", str(f), u]
        node_cpu = cpu_s(proc.pid)
        t0 = time.perf_counter()
        curl = subprocess.Popen(cmd)
        _pid, status, usage = os.wait4(curl.pid, 0)
        seconds = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit("curl failed")
        node_cpu = cpu_s(proc.pid) - node_cpu
        return seconds, node_cpu + usage.ru_utime + usage.ru_stime
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(store, ignore_errors=True)


# ----------------------------------------------------------------------- qmclient


def new_report(ctx, folder: Path, files: list[Path], n: int) -> int:  # type: ignore[no-untyped-def]
    """A valid report holding ``files`` (attached into the store, untimed)."""
    from reports import ready_submission

    from qmclient.services import drafts

    sid = ready_submission(ctx, folder, photos=0, seed=n, name=f"济南某某有限公司{n}")
    result = drafts.attach_files(ctx, sid, files, caption="活动现场")
    assert not result.failed, result.failed
    return sid


def submit_round(
    tree: Path,
    client_dir: Path,
    sid: int,
    server_dir: Path,
    profile: Path | None = None,
    extra: list[str] | None = None,
) -> tuple[float, int, int, float, float]:
    """``qmclient submit`` to a fresh qmintake, both run from the source ``tree``: wall
    seconds, client and server peak RSS, CPU seconds of the client and of the server."""
    from intake_server import IntakeServer

    from qmclient.services import outbox
    from qmclient.services.context import open_context

    folder = Path(tempfile.mkdtemp(prefix="intake-", dir=server_dir))
    srv = IntakeServer(folder, env={"PYTHONPATH": str(tree)}).start()
    try:
        token = srv.unit_token()
        ctx = open_context(client_dir)
        outbox.set_endpoint(ctx, srv.base_url)
        ctx.close()
        env = {**os.environ, "QMCLIENT_TOKEN": token, "PYTHONPATH": str(tree)}
        cmd = [sys.executable, "-m", "qmclient", "--data-dir", str(client_dir), "submit", str(sid)]
        cmd += extra or []
        assert srv.proc is not None
        spy = None
        if profile is not None:  # py-spy on both sides (its figures are slower)
            import sendprofile

            cmd = sendprofile.spy_command(profile / f"client-{sid}.txt", cmd)
            spy = sendprofile.Attached(srv.proc.pid, profile / f"server-{sid}.txt")
        server_cpu = cpu_s(srv.proc.pid)
        # from a small launcher: started from this process, the command's ru_maxrss would
        # be this process's size (Linux counts a parent's pages in a forked child's peak)
        run = run_measured(cmd, env=env)
        if spy is not None:
            spy.stop()
        if run.returncode != 0:
            raise SystemExit(f"qmclient submit failed ({run.returncode}):\n{run.output[-3000:]}")
        server_rss = vm_hwm(srv.proc.pid)
        server_cpu = cpu_s(srv.proc.pid) - server_cpu
        return run.seconds, run.peak_rss, server_rss, run.cpu_s, server_cpu
    finally:
        srv.stop()
        shutil.rmtree(srv.data_dir, ignore_errors=True)


def run_case(
    name: str,
    files: list[Path],
    rounds: int,
    work: Path,
    server_dir: Path,
    goal: float,
    trees: list[Path],
    profile: Path | None = None,
    extra: list[str] | None = None,
) -> list[dict[str, object]]:
    import keyring
    from memkeyring import MemoryKeyring

    from qmclient.services.context import open_context

    keyring.set_keyring(MemoryKeyring())
    client_dir = work / f"client-{name}"
    spies: dict[Path, Path] = {}  # where each tree's profiles go
    for tree in trees if profile is not None else []:
        assert profile is not None
        spies[tree] = profile / name / ("this-tree" if tree == ROOT else tree.name)
        spies[tree].mkdir(parents=True, exist_ok=True)
    ctx = open_context(client_dir)
    sids = [new_report(ctx, work / "src", files, n) for n in range(rounds * len(trees))]
    ctx.close()
    curl_t: list[float] = []
    curl_cpu: list[float] = []
    ours_t: dict[Path, list[float]] = {t: [] for t in trees}
    ours_cpu: dict[Path, list[float]] = {t: [] for t in trees}
    client_cpu: dict[Path, list[float]] = {t: [] for t in trees}
    server_cpu: dict[Path, list[float]] = {t: [] for t in trees}
    client_rss: dict[Path, list[int]] = {t: [] for t in trees}
    server_rss: dict[Path, list[int]] = {t: [] for t in trees}
    left = list(sids)
    for _ in range(rounds):
        t, cpu = curl_round(files, server_dir)
        curl_t.append(t)
        curl_cpu.append(cpu)
        for tree in trees:
            t, crss, srss, ccpu, scpu = submit_round(
                tree, client_dir, left.pop(0), server_dir, spies.get(tree), extra
            )
            ours_t[tree].append(t)
            ours_cpu[tree].append(ccpu + scpu)
            client_cpu[tree].append(ccpu)
            server_cpu[tree].append(scpu)
            client_rss[tree].append(crss)
            server_rss[tree].append(srss)
    shutil.rmtree(client_dir, ignore_errors=True)
    for folder in spies.values():
        import sendprofile

        print(f"profile of {folder.name} ({name}):", flush=True)
        print(sendprofile.summary(folder, len(files)), flush=True)
    total = sum(f.stat().st_size for f in files)
    results = []
    for tree in trees:
        ratios = [c / o for c, o in zip(curl_t, ours_t[tree], strict=True)]
        results.append(
            {
                "case": name,
                "tree": tree.name if tree != ROOT else "this tree",
                "files": len(files),
                "mib": round(total / MiB),
                "curl_s": round(statistics.median(curl_t), 2),
                "submit_s": round(statistics.median(ours_t[tree]), 2),
                "ratio": round(statistics.median(ratios), 3),
                "goal": goal,
                "cpu_ratio": round(
                    statistics.median(c / o for c, o in zip(curl_cpu, ours_cpu[tree], strict=True)),
                    3,
                ),
                "curl_cpu_s": round(statistics.median(curl_cpu), 2),
                "submit_cpu_s": round(statistics.median(ours_cpu[tree]), 2),
                "client_cpu_s": round(statistics.median(client_cpu[tree]), 2),
                "server_cpu_s": round(statistics.median(server_cpu[tree]), 2),
                "curl_all_s": [round(x, 2) for x in curl_t],
                "submit_all_s": [round(x, 2) for x in ours_t[tree]],
                "client_peak_mib": round(max(client_rss[tree]) / MiB, 1),
                "server_peak_mib": round(max(server_rss[tree]) / MiB, 1),
                "loadavg": [round(x, 2) for x in os.getloadavg()],
            }
        )
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--video-gib", type=float, default=1.0, help="0: no video case")
    ap.add_argument("--big", action="store_true", help="also a 4 GiB video")
    ap.add_argument("--photos", action="store_true", help="also 200 photos of 3–4 MB")
    ap.add_argument("--photo-count", type=int, default=200)
    default_dir = "/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir()
    ap.add_argument("--server-dir", default=default_dir, help="where both servers keep data")
    ap.add_argument("--work", default=None, help="where the files and the client data go")
    ap.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="sample both sides with py-spy (collapsed stacks go here) and print the CPU "
        "per file and step (benchmarks/sendprofile.py); the times are then slower",
    )
    ap.add_argument(
        "--before",
        type=Path,
        action="append",
        default=[],
        help="a checkout of an earlier version: its qmclient and qmintake run too, "
        "alternating, in the same run (before and after); may be given more than once",
    )
    ap.add_argument("--submit-args", default="", help="more options for qmclient submit")
    args = ap.parse_args()
    if not (NODE_DIR / "node_modules" / "@tus" / "server").exists():
        print("tests/node/node_modules is missing: run ./qm setup", file=sys.stderr)
        return 2
    trees = [b.resolve() for b in args.before] + [ROOT]
    if args.work:
        args.work = str(Path(args.work).resolve())
    if args.profile is not None:
        args.profile = args.profile.resolve()
    args.server_dir = str(Path(args.server_dir).resolve())
    extra = args.submit_args.split()
    from mediafactory import make_jpeg
    from reports import padded_mp4

    work = Path(tempfile.mkdtemp(prefix="qmbench-send-", dir=args.work))
    server_dir = Path(tempfile.mkdtemp(prefix="qmbench-send-srv-", dir=args.server_dir))
    (work / "src").mkdir()
    os.chdir(work)  # the child processes import from the trees given, not from here
    for tree in trees:  # compiled once, as an installed program is
        subprocess.run(
            [
                sys.executable,
                "-m",
                "compileall",
                "-q",
                str(tree / "qmclient"),
                str(tree / "qmintake"),
            ],
            check=True,
            env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        )
    print(f"load average before: {os.getloadavg()}", flush=True)
    try:
        sizes = ([args.video_gib] if args.video_gib else []) + ([4.0] if args.big else [])
        for gib in sizes:
            size = int(gib * 1024 * MiB)
            if gib >= 4:  # the campaign's limit is 4 GiB per file, the MP4 header included
                size -= 8 * MiB
            video = padded_mp4(work / f"video-{gib:g}g.mp4", size, seed=7)
            photo = make_jpeg(work / "photo.jpg", seed=5)  # a report needs one photo too
            result = run_case(
                f"video-{gib:g}GiB",
                [photo, video],
                args.rounds,
                work,
                server_dir,
                0.8,
                trees,
                args.profile,
                extra,
            )
            for r in result:
                print(json.dumps(r, ensure_ascii=False), flush=True)
            video.unlink()
        if args.photos:
            rnd = random.Random(3)
            photos = [
                noise_jpeg(work / "src" / f"IMG_{i:04d}.jpg", rnd) for i in range(args.photo_count)
            ]
            result = run_case(
                f"photos-{args.photo_count}",
                photos,
                args.rounds,
                work,
                server_dir,
                0.7,
                trees,
                args.profile,
                extra,
            )
            for r in result:
                print(json.dumps(r, ensure_ascii=False), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(server_dir, ignore_errors=True)
    print(f"load average after: {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
