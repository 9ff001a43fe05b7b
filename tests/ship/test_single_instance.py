"""One window per data folder, tried with real processes and a real local socket."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

FIRST = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from qmclient.ui.single_instance import SingleInstance, bring_to_front

    app = QApplication([])
    guard = SingleInstance(Path(sys.argv[1]))
    print("first" if guard.start() else "not-first", flush=True)
    QTimer.singleShot(int(float(sys.argv[2]) * 1000), guard.listen)  # after its first paint
    window = QWidget()
    window.showMinimized()

    def on_activated():
        bring_to_front(window)
        print("activated minimized=%s" % window.isMinimized(), flush=True)
        QTimer.singleShot(50, app.quit)

    guard.activated.connect(on_activated)
    QTimer.singleShot(30000, app.quit)
    app.exec()
    guard.stop()
    """
)

SECOND = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from qmclient.ui.single_instance import SingleInstance

    app = QCoreApplication([])
    guard = SingleInstance(Path(sys.argv[1]))
    first = guard.start()
    print("first" if first else "handed-over=%s" % guard.handed_over, flush=True)
    guard.stop()
    """
)


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _start_first(data: Path, listen_after_s: float = 0.0) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", FIRST, str(data), str(listen_after_s)],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "first"
    return proc


def _second(data: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SECOND, str(data)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_second_start_brings_the_first_window_to_the_front(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _start_first(data)
    try:
        assert _second(data) == "handed-over=True"
        assert first.stdout is not None
        assert first.stdout.readline().strip() == "activated minimized=False"
        assert first.wait(timeout=30) == 0
    finally:
        first.kill()
    # once the first has ended, the next start is the first again
    assert _second(data) == "first"


def test_a_second_start_waits_for_a_first_that_is_still_starting(tmp_path: Path) -> None:
    """The first listens only once its window has painted; a start in between waits."""
    data = tmp_path / "data"
    first = _start_first(data, listen_after_s=1.5)
    try:
        assert _second(data) == "handed-over=True"
        assert first.stdout is not None
        assert first.stdout.readline().strip() == "activated minimized=False"
    finally:
        first.kill()
        first.wait()


def test_another_data_folder_is_another_instance(tmp_path: Path) -> None:
    first = _start_first(tmp_path / "a")
    try:
        assert _second(tmp_path / "b") == "first"
    finally:
        first.kill()
        first.wait()


def test_a_crashed_instance_does_not_block_the_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _start_first(data)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert _second(data) == "first"


def test_the_real_app_started_twice_opens_one_window(tmp_path: Path) -> None:
    """``qmclient`` (the desktop app) twice on one data folder: the second hands over."""
    import time

    data = tmp_path / "data"
    env = {**_env(), "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    cmd = [sys.executable, "-m", "qmclient", "--lang", "zh", "--data-dir", str(data)]
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        from qmclient.store.lock import DataDirLock

        deadline = time.monotonic() + 60
        while not DataDirLock(data).held_elsewhere():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert first.poll() is None  # the first window is still there
    finally:
        first.kill()
        first.wait()


def test_the_same_folder_spelled_differently_is_the_same_instance(tmp_path: Path) -> None:
    from qmclient.store.lock import instance_key

    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert instance_key(tmp_path / "link") == instance_key(tmp_path / "real" / ".." / "real")
    assert instance_key(tmp_path / "real") != instance_key(tmp_path / "other")
