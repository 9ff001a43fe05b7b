#!/usr/bin/env python3
"""Start-up time of the desktop app with 1,000 stored submissions, as a ratio to a bare
PySide6 window (QMainWindow + a label) started the same way.

Both are started as fresh processes, alternately, several times; the medians are compared.
The time is taken from starting the process to the end of the window's first paint (the
event-loop turn after its first paint event), as ``time.monotonic()`` printed by the child:
the same moment for both.  For qmclient two moments are reported:

- *painted*: the window is on screen with the report list, the deadlines and the search
  box working; the database layer is still loading on a worker;
- *ready*: the store is attached and every menu is in place (editing can start).

Bytecode is compiled first, as an installed program has it.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--submissions 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from startclock import BARE, QMCLIENT_ENV, as_installed, timed


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        fill(data, args.submissions)
        env = as_installed(dict(os.environ, QMCLIENT_LANG="zh_CN", **QMCLIENT_ENV))
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # no settings of the user's
        bare_cmd = [sys.executable, "-c", BARE]
        ours_cmd = [sys.executable, "-m", "qmclient", "--data-dir", str(data)]
        timed(bare_cmd, env)  # warm the file cache for both
        timed(ours_cmd, env)
        bare, painted, ready = [], [], []
        for _ in range(args.runs):
            bare.append(timed(bare_cmd, env)["painted"])
            ours = timed(ours_cmd, env)
            painted.append(ours["painted"])
            ready.append(ours["ready"])
    b = statistics.median(bare)
    p, r = statistics.median(painted), statistics.median(ready)
    print(f"platform: {env['QT_QPA_PLATFORM']}, {args.submissions} submissions, {args.runs} runs")
    print(f"bare PySide6 window painted   median {b * 1000:5.0f} ms  (min {min(bare) * 1000:.0f})")
    print(
        f"qmclient window painted       median {p * 1000:5.0f} ms  (min {min(painted) * 1000:.0f})"
        f"  ratio {p / b:.2f}x  (aim: under 2x)"
    )
    print(
        f"qmclient store loaded, ready  median {r * 1000:5.0f} ms  (min {min(ready) * 1000:.0f})"
        f"  ratio {r / b:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
