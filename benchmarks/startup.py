#!/usr/bin/env python3
"""Start-up time of the desktop app with 1,000 stored submissions, as a ratio to a bare
PySide6 window (QMainWindow + a label, shown, then quit) started the same way.

Both are started as fresh processes, alternately, several times; the medians are compared.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--submissions 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setCentralWidget(QLabel("质量月活动情况总结"))
w.resize(1400, 900)
w.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--submissions", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        fill(data, args.submissions)
        env = dict(os.environ, QMCLIENT_EXIT_AFTER_START="1", QMCLIENT_LANG="zh_CN")
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # no settings of the user's
        bare_cmd = [sys.executable, "-c", BARE]
        ours_cmd = [sys.executable, "-m", "qmclient", "--data-dir", str(data)]
        timed(bare_cmd, env)  # warm the file cache for both
        timed(ours_cmd, env)
        bare, ours = [], []
        for _ in range(args.runs):
            bare.append(timed(bare_cmd, env))
            ours.append(timed(ours_cmd, env))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"platform: {env['QT_QPA_PLATFORM']}, {args.submissions} submissions, {args.runs} runs")
    print(f"bare PySide6 window   median {b * 1000:7.0f} ms  (min {min(bare) * 1000:.0f})")
    print(f"qmclient main window  median {o * 1000:7.0f} ms  (min {min(ours) * 1000:.0f})")
    print(f"ratio qmclient / bare: {o / b:.2f}x  (aim: under 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
