"""Chinese printed to a pipe is UTF-8 whatever the system's code page (on Windows a pipe
otherwise gets the ANSI code page, and printing 中文 fails or turns into ?)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_chinese_reaches_a_pipe_as_utf8() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    done = subprocess.run(
        [sys.executable, "-X", "utf8=0", "-m", "qmclient", "--help"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "质量月活动情况总结报送工具" in done.stdout.decode("utf-8")
