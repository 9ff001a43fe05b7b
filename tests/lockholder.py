"""Another process holding a data folder's lock, as an open qmclient window does."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOLD = (
    "import sys,time; from pathlib import Path; from qmclient.store.lock import DataDirLock;"
    "l=DataDirLock(Path(sys.argv[1])); assert l.acquire(); print('held', flush=True);"
    "time.sleep(60)"
)


@contextmanager
def folder_held(data_dir: Path) -> Iterator[None]:
    """While the block runs, a separate process holds ``data_dir``'s lock."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()
