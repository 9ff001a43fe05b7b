"""Where a send's CPU goes, client and server together: ``bench_send.py --profile DIR``.

Both processes are sampled by ``py-spy`` (every thread, not only the event loop's, so the
server's worker threads — SQLite, the body's writer — are seen), into collapsed stacks
(``DIR/client-N.txt``, ``DIR/server-N.txt``).  Only samples holding the interpreter lock
count (``--gil``): the Python work, which is what one process can do at a time; hashing
and file writes release the lock and are left out, and so are threads waiting (which
py-spy otherwise often counts as busy).  :func:`summary` sorts the samples into the steps
of a send and prints milliseconds per file for each side: what one more file costs.  The
sampler slows both processes, so compare the steps with each other, not with wall times.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

RATE = 250  # samples per second and thread

# (step, substrings of a frame: the first step whose substring is in a stack takes it);
# in order from the most specific.  A frame reads "function (path/of/module.py)".
CLIENT_STEPS: list[tuple[str, tuple[str, ...]]] = [
    ("start-up: imports", ("_find_and_load",)),
    ("freeze the report (queue_submission)", ("queue_submission",)),
    ("PUT the report", ("put_submission",)),
    ("finalise", ("finalise (",)),
    ("discover + campaigns", ("_discover",)),
    ("file: its upload row (SQLite)", ("_upload_rows", "_SqlResume")),
    ("file: the body (read + socket)", ("FileSlice", "send_body", "sendall")),
    ("file: creation POST (requests, headers)", ("_create (",)),
    ("file: other per-file steps", ("_upload (", "upload (qmclient/sync/tus.py)")),
    ("receipt kept, status", ("_received", "_set_sending", "_check_receipt")),
]
SERVER_STEPS: list[tuple[str, tuple[str, ...]]] = [
    ("file: lease take/renew/release (SQLite)", ("leases.py",)),
    ("file: check listed + upload row (SQLite)", ("create_row", "check_listed")),
    ("file: fsync + rename + folder fsync", ("fsync", "commit (qmintake/media/local.py)")),
    ("file: type check + blob record (SQLite)", ("check_type", "record_blob")),
    ("file: write + SHA-256 of the body (worker)", ("_job (",)),
    ("file: body messages in the event loop", ("_stream (", "receive_within", "Sink")),
    ("file: other steps of the creation request", ("create (qmintake/tus/routes.py)", "write (")),
    ("token check (SQLite)", ("authenticate", "unit_for_token")),
    ("PUT the report", ("put_submission", "submissions.py")),
    ("finalise + receipt", ("finalise", "receipts.py", "signing.py")),
    ("HTTP parsing, routing, responses", ("httptools", "starlette", "fastapi", "uvicorn")),
]


def available() -> bool:
    return shutil.which("py-spy") is not None or (Path(sys.executable).parent / "py-spy").exists()


def _exe() -> str:
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else "py-spy"


def spy_command(out: Path, cmd: list[str]) -> list[str]:
    """``cmd`` run under py-spy, its samples into ``out``."""
    return [_exe(), "record", "-o", str(out), *_OPTIONS, "--", *cmd]


_OPTIONS = ["--format", "raw", "--rate", str(RATE), "--nolineno", "--threads", "--gil"]


class Attached:
    """py-spy attached to a running process until :meth:`stop`."""

    def __init__(self, pid: int, out: Path) -> None:
        cmd = [_exe(), "record", "-o", str(out), *_OPTIONS, "--pid", str(pid)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _read(path: Path) -> Counter[str]:
    stacks: Counter[str] = Counter()
    if not path.exists():
        return stacks
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if count.isdigit():
            stacks[stack] += int(count)
    return stacks


def steps(path: Path, rules: list[tuple[str, tuple[str, ...]]]) -> dict[str, int]:
    """Samples per step (``other`` for what no rule names)."""
    out: Counter[str] = Counter()
    for stack, count in _read(path).items():
        for name, needles in rules:
            if any(n in stack for n in needles):
                out[name] += count
                break
        else:
            out["other"] += count
    return dict(out)


def top_frames(path: Path, n: int = 25) -> list[tuple[str, int]]:
    """The leaf frames taking most samples (what to look at next)."""
    leaves: Counter[str] = Counter()
    for stack, count in _read(path).items():
        leaves[stack.rsplit(";", 1)[-1]] += count
    return leaves.most_common(n)


def summary(folder: Path, files: int) -> str:
    """Milliseconds of CPU (sampled) per file and per step, each side, over all rounds."""
    lines = []
    for side, rules in (("client", CLIENT_STEPS), ("server", SERVER_STEPS)):
        paths = sorted(folder.glob(f"{side}-*.txt"))
        total: Counter[str] = Counter()
        for p in paths:
            total.update(steps(p, rules))
        rounds = max(1, len(paths))
        all_ms = sum(total.values()) * 1000 / RATE / rounds
        lines.append(f"{side}: {all_ms:.0f} ms sampled per send ({rounds} sends, {files} files)")
        for name, count in total.most_common():
            ms = count * 1000 / RATE / rounds
            lines.append(f"  {name:<48} {ms:8.0f} ms  {ms / files:6.2f} ms/file")
        if paths:
            lines.append(f"  top frames of {paths[-1].name}:")
            lines += [f"    {c:6d}  {f}" for f, c in top_frames(paths[-1], 12)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1))
