#!/usr/bin/env python3
"""Typing in the editor while the autosave writes: how long the GUI event loop ever stalls
(a QTimer heartbeat), with the saves on the window's write executor (as the app does)
against the same saves made on the GUI thread (the baseline, measured in the same run).

The data folder holds ``--reports`` reports (the list is read again after each save) and
the edited report ``--activities`` activities.  The typing is scripted: ``--bursts``
bursts of a few characters, each followed by a pause longer than the autosave delay, so
every burst ends in a save.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/typing_responsiveness.py \
        [--reports 300] [--activities 40] [--bursts 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_responsiveness import Heartbeat  # noqa: E402


def fill(ctx: Any, reports: int, activities: int) -> int:
    from qmclient.services import drafts

    for i in range(reports - 1):
        sid = drafts.create_draft(ctx)
        drafts.update_fields(ctx, sid, {"title": f"2022年质量月活动情况总结 {i}"})
    sid = drafts.create_draft(ctx)
    for i in range(activities):
        drafts.add_activity(ctx, sid, {"name": f"质量开放日 {i}", "focus_area": "publicity"})
    return sid


def session(app: Any, window: Any, bursts: int, pause_s: float) -> tuple[float, float, int]:
    """Type ``bursts`` bursts into the summary; the longest and p99 stall, saves made."""
    editor = window.editor
    summary = editor.ui.summaryEdit
    summary.setFocus()
    saves: list[int] = []
    editor.autosave.saved.connect(lambda: saves.append(1))
    beat = Heartbeat()

    def pump(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.0005)

    beat.start()
    for _ in range(bursts):
        for ch in "质量月活动":
            summary.insertPlainText(ch)  # as typed: textChanged, then the autosave timer
            pump(0.04)
        pump(pause_s)
    longest, p99 = beat.stop()
    return longest, p99, len(saves)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--activities", type=int, default=40)
    parser.add_argument("--bursts", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from qmclient.services.context import open_context
    from qmclient.ui.autosave import AUTOSAVE_MS
    from qmclient.ui.main_window import MainWindow
    from qmclient.ui.settings import AppSettings

    app = QApplication(sys.argv[:1])
    results = {}
    pause_s = AUTOSAVE_MS / 1000 + 0.25
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for mode in ("GUI thread (baseline)", "write executor"):
            data = tmp / mode.split()[0]
            ctx = open_context(data)
            sid = fill(ctx, args.reports, args.activities)
            settings = AppSettings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
            window = MainWindow(ctx, settings, "zh_CN")
            window.resize(1400, 900)
            window.show()
            window.select_submission(sid)
            if mode.startswith("GUI"):  # as before: the timer saved on the GUI thread
                timer = window.editor.autosave.timer
                timer.timeout.disconnect()
                timer.timeout.connect(window.editor.flush)
            results[mode] = session(app, window, args.bursts, pause_s)
            window.close()
            ctx.close()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{args.bursts} bursts of typing, {args.reports} reports, {args.activities} activities;"
        f" load average {load:.1f} on {os.cpu_count()} cores"
    )
    for mode, (longest, p99, saves) in results.items():
        print(
            f"saves on the {mode:22s}: longest stall {longest * 1000:6.1f} ms,"
            f" p99 {p99 * 1000:5.1f} ms, {saves} saves"
        )
    base = results["GUI thread (baseline)"][0]
    ours = results["write executor"][0]
    print(f"longest stall, executor against GUI thread: ratio {ours / base:.2f}x")
    p99_base, p99_ours = results["GUI thread (baseline)"][1], results["write executor"][1]
    print(f"p99 stall, executor against GUI thread: ratio {p99_ours / p99_base:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
