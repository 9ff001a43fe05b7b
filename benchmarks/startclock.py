"""Timing a start-up the same way for qmclient and for a bare PySide6 window.

Each child prints ``qmclient-start <stage> <time.monotonic()> [<time.process_time()>]`` on
stderr (qmclient does it with ``QMCLIENT_START_TIMES=1``): *painted* at the end of the
window's first paint, and for qmclient *ready* once the store is attached and every menu
is in place.  The monotonic clock is the same for every process on the machine, so the
parent subtracts the moment it started the child; the process's CPU time up to that moment
comes as ``<stage>_cpu`` (what a busy, shared machine disturbs least).  Used by
``startup.py`` and ``startup_bundle.py``.
"""

from __future__ import annotations

import compileall
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A QMainWindow with a label, timed to the end of its first paint exactly as
# qmclient.ui.first_paint does it for qmclient.
BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, painted)
        return False

def painted():
    print(
        f"qmclient-start painted {time.monotonic():.6f} {time.process_time():.6f}",
        file=sys.stderr,
        flush=True,
    )
    app.quit()

app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setCentralWidget(QLabel("质量月活动情况总结"))
w.resize(1400, 900)
first = FirstPaint()
w.installEventFilter(first)
w.show()
sys.exit(app.exec())
"""

# what qmclient needs to report its moments and quit once it is whole
QMCLIENT_ENV = {"QMCLIENT_EXIT_AFTER_START": "whole", "QMCLIENT_START_TIMES": "1"}


def as_installed(env: dict[str, str]) -> dict[str, str]:
    """Bytecode compiled and kept, as an installed program (pip, the bundle) has it:
    without it every run compiles qmclient's modules again."""
    compileall.compile_dir(str(ROOT / "qmclient"), quiet=1)
    return {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from starting ``cmd`` to each moment it reports (painted, ready, whole),
    and the child's CPU seconds up to it (``painted_cpu``, …) when it says them."""
    start = time.monotonic()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    moments = {}
    for line in done.stderr.splitlines():
        if line.startswith("qmclient-start "):
            _tag, stage, when, *cpu = line.split()
            moments[stage] = float(when) - start
            if cpu:
                moments[f"{stage}_cpu"] = float(cpu[0])
    if "painted" not in moments:
        raise SystemExit(f"no start-up times from {cmd}: {done.stderr[-2000:]}")
    return moments
