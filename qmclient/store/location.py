"""Where the data lives: ``--data-dir``, else ``QMCLIENT_DATA_DIR``, else the platform's
per-user data folder (platformdirs)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qmclient.store.errors import DB_NAME, StoreError, disk_trouble

ENV_DATA_DIR = "QMCLIENT_DATA_DIR"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("qmclient", appauthor=False, roaming=True))


def resolve_data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def prepare_data_dir(path: Path) -> Path:
    """Create the folder if needed and prove it can be written; raise a clear error if not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        # Creating a file proves the folder takes new files; no fsync here (it costs
        # a tenth of a second at every start on slow disks): a full disk is reported
        # where a write fails, by the media store and by SQLite.
        with tempfile.NamedTemporaryFile(dir=path, prefix=".probe-") as fh:
            fh.write(b"ok")
    except OSError as exc:
        trouble = disk_trouble(path / DB_NAME, exc)
        if trouble is not None:
            raise trouble from None
        reason = exc.strerror or str(exc)
        raise StoreError(
            en=f"The data folder {path} cannot be written ({reason}). Free some space, fix its "
            "permissions, or choose another folder with --data-dir.",
            zh=f"数据文件夹 {path} 无法写入（{reason}）。请释放磁盘空间、检查权限，"
            "或用 --data-dir 选择其他文件夹。",
        ) from None
    return path
