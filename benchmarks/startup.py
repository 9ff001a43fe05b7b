#!/usr/bin/env python3
"""Start-up time of the desktop app with 1,000 stored submissions, as a ratio to a bare
PySide6 window (QMainWindow + a label) started the same way.

Both are started as fresh processes, alternately, several times; the medians are compared.
The time is taken from starting the process to the end of the window's first paint (the
event-loop turn after its first paint event), as ``time.monotonic()`` printed by the child:
the same moment for both.  For qmclient two moments are reported:

- *painted*: the window is on screen with the report list, the deadlines and the search
  box working; the database layer is still loading on a worker;
- *ready*: the editor shows the newest report and takes typing (read with plain sqlite3;
  what is typed is kept and written once the store is attached);
- *whole*: the store is attached and every menu is in place.

Bytecode is compiled first, as an installed program has it.  Each figure is printed with
the CPU time the process had used by that moment (the ratio of CPU times moves least when
the shared machine is busy) and the load average.

What bounds *whole*: the store layer (SQLAlchemy, the models, the services' context) is
imported on the way to it.  A third process, started alternately with the other two,
imports only that layer and reports when it is done; its time beside the bare window's is
the part of *whole* that no change to the window can take away.

With ``--instructions`` each start (the bare window, qmclient to *painted*, qmclient to
*ready*) runs once more under ``valgrind --tool=callgrind`` (Debian's valgrind) with fresh
settings, and the instructions it executed, start to exit, are printed with their ratios:
unlike the times they come out the same run after run (within 0.1 %), so a change of a
few milliseconds shows on a noisy machine.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--submissions 1000] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from startclock import BARE, QMCLIENT_ENV, as_installed, timed

# the store layer alone, timed like the windows (its moment is called "painted")
STORE_LAYER = """
import sys, time
import qmclient.services.context
print(f"qmclient-start painted {time.monotonic():.6f} {time.process_time():.6f}", file=sys.stderr)
"""


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def instructions(cmd: list[str], env: dict[str, str], tmp: Path) -> int:
    """The instructions ``cmd`` executes from start to exit, counted by callgrind."""
    import re
    import subprocess

    config = Path(tempfile.mkdtemp(dir=tmp))  # settings as on a first start, every time
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        env=dict(env, XDG_CONFIG_HOME=str(config)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"callgrind failed ({done.returncode}): {done.stderr[-2000:]}")
    return int(found.group(1))


def fill(data_dir: Path, n: int) -> None:
    from qmclient.services import drafts
    from qmclient.services.context import open_context
    from qmclient.store.models import Submission

    ctx = open_context(data_dir)
    with ctx.store.write() as s:
        for i in range(n):
            s.add(
                Submission(
                    uuid=f"00000000-0000-4000-8000-{i:012d}",
                    campaign_id=ctx.campaigns.default().id,
                    title=f"济南第{i}号企业2022年“质量月”活动情况总结",
                    summary="质量月活动开展情况。" * 50,
                    unit_name=f"济南第{i}号企业",
                )
            )
    sid = drafts.list_submissions(ctx)[0].id
    for j in range(5):
        drafts.add_activity(ctx, sid, {"name": f"活动{j}", "focus_area": "publicity"})
    ctx.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions (valgrind)"
    )
    args = parser.parse_args()
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        fill(data, args.submissions)
        env = as_installed(dict(os.environ, QMCLIENT_LANG="zh_CN", **QMCLIENT_ENV))
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # no settings of the user's
        bare_cmd = [sys.executable, "-c", BARE]
        ours_cmd = [sys.executable, "-m", "qmclient", "--data-dir", str(data)]
        layer_cmd = [sys.executable, "-c", STORE_LAYER]
        timed(bare_cmd, env)  # warm the file cache for all three
        timed(ours_cmd, env)
        timed(layer_cmd, env)
        loads = [load_average()]
        runs: dict[str, list[dict[str, float]]] = {"bare": [], "ours": [], "layer": []}
        for _ in range(args.runs):
            runs["bare"].append(timed(bare_cmd, env))
            runs["ours"].append(timed(ours_cmd, env))
            runs["layer"].append(timed(layer_cmd, env))
        loads.append(load_average())
        if args.instructions:
            counts["bare"] = instructions(bare_cmd, env, Path(tmp))
            for stage in ("painted", "ready"):
                staged = dict(env, QMCLIENT_EXIT_AFTER_START=stage)
                counts[stage] = instructions(ours_cmd, staged, Path(tmp))

    def med(which: str, key: str) -> float:
        return statistics.median(m[key] for m in runs[which])

    b, bc = med("bare", "painted"), med("bare", "painted_cpu")
    print(f"platform: {env['QT_QPA_PLATFORM']}, {args.submissions} submissions, {args.runs} runs")
    print(f"load average: {loads[0]} at the start, {loads[1]} at the end")
    print(f"bare PySide6 window painted   median {b * 1000:5.0f} ms, CPU {bc * 1000:4.0f} ms")
    for label, key, aim in (
        ("qmclient window painted      ", "painted", "  (aim: under 2x)"),
        ("qmclient editor ready        ", "ready", "  (aim: under 2.5x)"),
        ("qmclient store loaded, whole ", "whole", ""),
    ):
        t, c = med("ours", key), med("ours", f"{key}_cpu")
        low = min(m[key] for m in runs["ours"])
        print(
            f"{label} median {t * 1000:5.0f} ms (min {low * 1000:.0f}), CPU {c * 1000:4.0f} ms"
            f"  ratio {t / b:.2f}x, CPU ratio {c / bc:.2f}x{aim}"
        )
    t, c = med("layer", "painted"), med("layer", "painted_cpu")
    print(
        f"the store layer alone (import) median {t * 1000:5.0f} ms, CPU {c * 1000:4.0f} ms"
        f"  ratio {t / b:.2f}x, CPU ratio {c / bc:.2f}x (imported on the way to whole)"
    )
    if counts:
        bare = counts["bare"]
        print(f"instructions, start to exit (callgrind): bare window {bare / 1e6:,.0f} M")
        for stage in ("painted", "ready"):
            print(
                f"  qmclient to {stage:<8} {counts[stage] / 1e6:,.0f} M"
                f"  ratio {counts[stage] / bare:.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
