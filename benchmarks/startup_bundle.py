"""Start-up time of qmclient against a bare PySide6 window, started the same way.

Two pairs, each measured alternately in the same run, from exec to the end of the first
paint (and, for qmclient, to the moment the store is attached: see ``startclock.py``):

- **bundle**: the Linux bundle's ``AppRun`` against a bare ``QMainWindow`` + ``QLabel``
  frozen with the same PyInstaller, one-folder;
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
from pathlib import Path

from startclock import BARE, QMCLIENT_ENV, as_installed, timed

ROOT = Path(__file__).resolve().parent.parent


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


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
    timed(ours, env), timed(bare, env)  # warm the file cache
    painted: list[float] = []
    ready: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        moments = timed(ours, env)
        painted.append(moments["painted"])
        ready.append(moments["ready"])
        b.append(timed(bare, env)["painted"])
    mp, mr, mb = statistics.median(painted), statistics.median(ready), statistics.median(b)
    print(
        f"{label:7s} qmclient painted {mp * 1000:5.0f} ms, ready {mr * 1000:5.0f} ms;"
        f" bare window painted {mb * 1000:5.0f} ms;"
        f" ratios {mp / mb:4.2f} painted, {mr / mb:4.2f} ready  (median of {runs})"
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
            **as_installed(dict(os.environ)),
            "QT_QPA_PLATFORM": "offscreen",
            **QMCLIENT_ENV,
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
