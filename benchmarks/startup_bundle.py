"""Start-up time of qmclient against a bare PySide6 window, started the same way.

Two pairs, each measured alternately in the same run (wall time from exec to exit):

- **bundle**: the Linux bundle's ``AppRun`` (main window shown, then quit:
  ``QMCLIENT_EXIT_AFTER_START=1``) against a bare ``QMainWindow`` + ``QLabel`` frozen with
  the same PyInstaller, one-folder, shown and quit;
- **source**: ``python -m qmclient`` against ``python bare_window.py`` with the same
  interpreter.

Also prints the bundle's size (folder and ``.tar.gz``).  Run after ``./qm bundle``:

    .venv/bin/python benchmarks/startup_bundle.py [--runs 7]
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

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("质量月"))
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def time_run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=120)
    took = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return took


def build_bare(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    script = work / "bare_window.py"
    script.write_text(BARE, encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--onedir",
            "--name",
            "bare",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            "--specpath",
            str(work),
            str(script),
        ],
        check=True,
    )
    return work / "dist" / "bare" / "bare"


def compare(label: str, ours: list[str], bare: list[str], env: dict[str, str], runs: int) -> None:
    time_run(ours, env), time_run(bare, env)  # warm the file cache
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(time_run(ours, env))
        b.append(time_run(bare, env))
    ma, mb = statistics.median(a), statistics.median(b)
    print(
        f"{label:7s} qmclient {ma * 1000:6.0f} ms   bare window {mb * 1000:6.0f} ms   "
        f"ratio {ma / mb:4.2f}   (median of {runs}; min {min(a) * 1000:.0f} / {min(b) * 1000:.0f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    import qmclient

    stages = sorted((ROOT / "build").glob(f"qmclient-{qmclient.__version__}-linux-*"))
    stages = [s for s in stages if s.is_dir()]
    with tempfile.TemporaryDirectory(prefix="qm-bench-") as tmp:
        work = Path(tmp)
        data = work / "data"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "QMCLIENT_EXIT_AFTER_START": "1",
            "HOME": str(work),
            "XDG_CONFIG_HOME": str(work / "config"),
        }
        src = [sys.executable, "-m", "qmclient", "--lang", "zh", "--data-dir", str(data)]
        subprocess.run(
            [*src[:-2], "--data-dir", str(data), "new"], env=env, check=True, capture_output=True
        )
        script = work / "bare_window.py"
        script.write_text(BARE, encoding="utf-8")
        compare("source", src, [sys.executable, str(script)], env, args.runs)
        if not stages:
            print("bundle  (not built: run ./qm bundle first)")
            return 0
        stage = stages[-1]
        bare = build_bare(work / "bare")
        bundle = [str(stage / "AppRun"), "--lang", "zh", "--data-dir", str(data)]
        compare("bundle", bundle, [str(bare)], env, args.runs)
        tarball = ROOT / "dist" / f"{stage.name}.tar.gz"
        bare_size = folder_size(bare.parent)
        print(
            f"size    qmclient folder {folder_size(stage) / 2**20:.0f} MiB"
            + (f", .tar.gz {tarball.stat().st_size / 2**20:.0f} MiB" if tarball.exists() else "")
            + f"; bare window folder {bare_size / 2**20:.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
