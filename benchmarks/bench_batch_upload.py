"""Batch upload benchmark: the coordinator's batch against curl sending the same bytes.

    .venv/bin/python benchmarks/bench_batch_upload.py [--count 100] [--mib 20] [--photos 1]
                                                      [--parallel auto 1 2 4]
                                                      [--server-dir /dev/shm] [--rounds 3]

It makes ``--count`` enterprise packages of one ``--mib`` MiB video (none with
``--mib 0``) and ``--photos`` photos each (the first small, the others 1-megapixel noise
JPEGs of about 0.8 MB that do not compress),
imports them into a 历下区 coordinator's data folder (timed, printed), then, in the same
run, against fresh qmintake servers on 127.0.0.1 (data under --server-dir):

- the baseline: for each report, its JSON put first (untimed, the protocol wants it), then
  curl streams every file in one PATCH, one file after another (only the PATCHes are
  timed);
- the batch: :class:`qmclient.services.batch.BatchUploader` with a district token and
  as many transfers at once as it chooses itself (``auto``, the default) or as
  ``--parallel`` forces, for comparison; timed from queueing to the last receipt, so it
  includes what curl does not do: checks, freezing, the PUTs, the finalising, receipts.

It prints each time, the ratio curl time / batch time (1.0 is as fast as curl, higher is
faster), and the machine's load average; with ``--rounds N`` every setting runs N times,
alternating, and the medians of the times make the ratio.  ``--steps`` also prints, per
worker thread, the wall time spent in each step of a report (checking and queueing all
first, marking it sending, the PUT, the file uploads, the finalise, keeping the receipt,
SQLite commits), summed over the reports it sent.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "coord"))
MiB = 1 << 20


def curl_patch(url: str, path: Path, token: str) -> float:
    cmd = ["curl", "-sS", "-f", "-o", "/dev/null", "-X", "PATCH", "-T", str(path)]
    for k, v in {
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream",
        "Expect": "",
        "Authorization": f"Bearer {token}",
    }.items():
        cmd += ["-H", f"{k}: {v}"]
    t0 = time.perf_counter()
    subprocess.run([*cmd, url], check=True)
    return time.perf_counter() - t0


def noise_jpeg(path: Path, rnd: random.Random) -> Path:
    """A 1-megapixel JPEG of noise (about 0.8 MB; it does not compress)."""
    from PIL import Image

    w, h = 1152, 864
    Image.frombytes("RGB", (w, h), rnd.randbytes(w * h * 3)).save(path, "JPEG", quality=90)
    return path


Steps = dict[tuple[str, str], list[float]]


def time_steps() -> Steps:
    """Wrap the steps of a report's send to sum their wall time per thread."""
    import functools
    import threading

    from sqlalchemy.engine import default

    from qmclient.services import batch, sender
    from qmclient.sync import api, tus

    steps: Steps = {}

    def wrap(owner: object, name: str, label: str) -> None:
        inner = getattr(owner, name, None)
        if inner is None:  # an earlier checkout without this step
            return

        @functools.wraps(inner)
        def timed(*a: object, **k: object) -> object:
            t0 = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                thread = threading.current_thread().name
                thread = "lanes" if thread.startswith("send-lane") else thread
                got = steps.setdefault((thread, label), [0.0, 0])
                got[0] += time.perf_counter() - t0
                got[1] += 1

        setattr(owner, name, timed)

    wrap(batch, "queue_submissions", "queue (all)")
    wrap(sender.OutboxSender, "_begin", "mark sending")
    wrap(api.IntakeClient, "put_submission", "PUT")
    wrap(tus.TusUploader, "upload", "files")
    wrap(api.IntakeClient, "finalise", "finalise")
    wrap(sender.OutboxSender, "_received", "keep receipt")
    wrap(default.DefaultDialect, "do_commit", "SQLite commits")
    return steps


def print_steps(steps: Steps) -> None:
    for thread in sorted({t for t, _ in steps}):
        mine = {label: v for (t, label), v in steps.items() if t == thread}
        text = ", ".join(f"{label} {s:.2f} s/{int(n)}" for label, (s, n) in mine.items())
        print(f"  {thread}: {text}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--mib", type=int, default=20)
    ap.add_argument("--photos", type=int, default=1, help="photos per report")
    ap.add_argument(
        "--parallel", nargs="+", default=["auto"], help="'auto' (the program's choice) or N"
    )
    default_dir = "/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir()
    ap.add_argument("--server-dir", default=default_dir)
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run every setting this many times, alternating; print the medians",
    )
    ap.add_argument("--steps", action="store_true", help="time each step per worker")
    args = ap.parse_args()

    import keyring
    from bench_send import cpu_s  # the same counting as the whole send's benchmark
    from coordsetup import make_coordinator
    from district import enterprise, padded_mp4
    from intake.protocol import create_upload, put
    from intake_server import IntakeServer
    from memkeyring import MemoryKeyring

    from qmclient.services import batch, drafts, inbox_import, outbox
    from qmclient.services.context import open_context
    from qmclient.services.packages import export_package
    from qmclient.sync.tokens import save_token

    keyring.set_keyring(MemoryKeyring())
    steps = time_steps() if args.steps else None
    rnd = random.Random(5)
    work = Path(tempfile.mkdtemp(prefix="qmbench-batch-"))
    sdir = Path(tempfile.mkdtemp(prefix="qmbench-batch-srv-", dir=args.server_dir))
    try:
        src = open_context(work / "enterprises")
        pkgs = work / "packages"
        pkgs.mkdir()
        for i in range(args.count):
            sid = enterprise(src, work / "media", i)
            extra = [
                noise_jpeg(work / "media" / f"p{i}-{k}.jpg", rnd) for k in range(args.photos - 1)
            ]
            if args.mib:
                extra.append(padded_mp4(work / "media" / f"v{i}.mp4", args.mib * MiB, seed=i + 1))
            if extra:
                assert not drafts.attach_files(src, sid, extra).failed
            export_package(src, sid, pkgs / f"e{i:03d}.qmpkg")
            for f in extra:
                f.unlink()
        src.close()
        shutil.rmtree(work / "enterprises")
        total = sum(p.stat().st_size for p in pkgs.iterdir())
        print(f"{args.count} packages, {total / MiB:.0f} MiB in all", flush=True)

        results = []
        for parallel in [p for _round in range(args.rounds) for p in args.parallel]:
            coord = open_context(work / f"coord-{parallel}")
            make_coordinator(coord)
            t0 = time.perf_counter()
            rows = inbox_import.import_paths(coord, [pkgs])
            t_import = time.perf_counter() - t0
            ids = [r.submission_id for r in rows if r.submission_id]
            assert len(ids) == args.count, [r.code for r in rows if not r.submission_id]

            # baseline: curl, one file after another, to a fresh qmintake
            base = IntakeServer(sdir / f"curl-{parallel}").start()
            try:
                token = base.district_token()
                files = []
                for sid in ids:
                    report = drafts.load_report(coord, sid)
                    assert put(base, token, report).status_code == 201
                    for m in report.media:
                        files.append((coord.media.path_for(m.sha256), m.sha256))
                t_curl = 0.0
                assert base.proc is not None
                cpu_base = cpu_s(base.proc.pid)
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                for path, sha in files:
                    r = create_upload(base, token, path, sha)
                    r.raise_for_status()
                    t_curl += curl_patch(r.headers["Location"], path, token)
                cpu_base = cpu_s(base.proc.pid) - cpu_base  # the server's, creations included
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu_curl = (after.ru_utime + after.ru_stime) - (
                    children.ru_utime + children.ru_stime
                )
            finally:
                base.stop()
                shutil.rmtree(sdir / f"curl-{parallel}", ignore_errors=True)

            srv = IntakeServer(sdir / f"batch-{parallel}").start()
            try:
                save_token(outbox.set_endpoint(coord, srv.base_url), srv.district_token())
                chosen = None if parallel == "auto" else int(parallel)
                assert srv.proc is not None
                if steps is not None:
                    steps.clear()
                cpu0 = (time.process_time(), cpu_s(srv.proc.pid))
                t0 = time.perf_counter()
                uploader = batch.BatchUploader(
                    coord, batch.queue_batch(coord, ids), parallel=chosen
                )
                label = f"{parallel}={uploader.parallel}"
                t_queue = time.perf_counter() - t0
                items = uploader.run()
                t_batch = time.perf_counter() - t0
                cpu = (time.process_time() - cpu0[0], cpu_s(srv.proc.pid) - cpu0[1])
                bad = [i.to_dict() for i in items if i.state != "received"]
                assert not bad, bad[:3]
            finally:
                srv.stop()
                shutil.rmtree(sdir / f"batch-{parallel}", ignore_errors=True)
            coord.close()
            shutil.rmtree(work / f"coord-{parallel}", ignore_errors=True)
            ratio = t_curl / t_batch
            results.append((label, t_import, t_curl, t_batch, ratio, cpu))
            if steps is not None:
                print_steps(steps)
            print(
                f"parallel {label}: queue {t_queue:.2f} s; import {t_import:.1f} s ({1000 * t_import / args.count:.0f}"
                f" ms/package); curl {t_curl:.1f} s; batch {t_batch:.1f} s; "
                f"ratio curl/batch {ratio:.2f}; CPU during the batch: client {cpu[0]:.2f} s,"
                f" server {cpu[1]:.2f} s; curl's uploads: curl {cpu_curl:.2f} s, server {cpu_base:.2f} s",
                flush=True,
            )
        print(f"\nload average: {os.getloadavg()}")
        print("parallel  curl s  batch s  curl/batch")
        for parallel, _ti, tc, tb, ratio, _cpu in results:
            print(f"{parallel:>8}  {tc:6.1f}  {tb:7.1f}  {ratio:10.2f}")
        if args.rounds > 1:  # the medians of the rounds: single runs of a few seconds swing
            print(f"\nmedians of {args.rounds} rounds")
            print("parallel  curl s  batch s  curl/batch  CPU client s  CPU server s")
            for label in dict.fromkeys(r[0] for r in results):
                mine = [r for r in results if r[0] == label]
                tc = statistics.median(r[2] for r in mine)
                tb = statistics.median(r[3] for r in mine)
                cc = statistics.median(r[5][0] for r in mine)
                cs = statistics.median(r[5][1] for r in mine)
                print(f"{label:>8}  {tc:6.2f}  {tb:7.2f}  {tc / tb:10.2f}  {cc:12.2f}  {cs:12.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(sdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
