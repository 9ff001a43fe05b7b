"""The peak resident memory of a command itself, not of the process that started it.

    from peakrss import run_measured

    run = run_measured([sys.executable, "-m", "qmclient", "submit", "1"], env=env)
    run.peak_rss, run.cpu_s, run.seconds, run.returncode, run.output

Linux keeps a process's peak across ``exec``, and a child made by ``fork`` or ``vfork``
starts with its parent's pages counted as its own: ``ru_maxrss`` of a command started
from a test or a benchmark (a process of 100 MiB or more) is that process's size, whatever
the command uses.  So the command is started here from a small launcher (this file run
by a bare interpreter, ``python -S``, about 10 MiB), which reports the command's own
figures (``wait4``: peak RSS, CPU seconds; wall seconds) in a file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    returncode: int
    output: str  # stdout and stderr together
    seconds: float  # wall time of the command, from its start to its end
    peak_rss: int  # bytes (ru_maxrss): at least the launcher's size, about 10 MiB
    cpu_s: float  # user + system CPU seconds of the command


def run_measured(
    cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 3600.0
) -> Measured:
    """Run ``cmd`` from the small launcher and return its own figures."""
    fd, name = tempfile.mkstemp(prefix="peakrss-", suffix=".json")
    os.close(fd)
    report = Path(name)
    try:
        done = subprocess.run(
            [sys.executable, "-S", str(Path(__file__).resolve()), str(report), *cmd],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
        output = done.stdout.decode(errors="replace")
        if not report.stat().st_size:
            raise RuntimeError(f"the launcher did not report ({done.returncode}):\n{output}")
        figures = json.loads(report.read_text(encoding="utf-8"))
    finally:
        report.unlink(missing_ok=True)
    return Measured(
        figures["returncode"], output, figures["seconds"], figures["peak_rss"], figures["cpu_s"]
    )


def _launch(report: str, cmd: list[str]) -> int:
    t0 = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ)
    _pid, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    figures = {
        "returncode": code,
        "seconds": seconds,
        "peak_rss": usage.ru_maxrss * 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }
    with open(report, "w", encoding="utf-8") as fh:
        json.dump(figures, fh)
    return code


if __name__ == "__main__":
    sys.exit(_launch(sys.argv[1], sys.argv[2:]))
