"""The log file: a rotating ``qmclient.log`` under ``<data dir>/logs`` (no Qt here)."""

from __future__ import annotations

import logging
import logging.handlers
import tempfile
from pathlib import Path

LOG_NAME = "qmclient.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


class _QmHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler this module installed, so a second call replaces it."""


def setup_logging(logs_dir: Path, level: int = logging.INFO) -> Path:
    """Send the ``qmclient`` loggers to a rotating file and return its path.

    Falls back to the temporary folder when ``logs_dir`` cannot be written (the data
    folder may be the very thing that is broken).
    """
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        handler = _QmHandler(
            logs_dir / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        logs_dir = Path(tempfile.gettempdir()) / "qmclient-logs"
        logs_dir.mkdir(parents=True, exist_ok=True)
        handler = _QmHandler(
            logs_dir / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    handler.setFormatter(logging.Formatter(_FORMAT))
    from qmclient.logredact import RedactSecrets

    handler.addFilter(RedactSecrets())  # no tokens or passwords in the log file
    logger = logging.getLogger("qmclient")
    for old in [h for h in logger.handlers if isinstance(h, _QmHandler)]:
        logger.removeHandler(old)
        old.close()
    logger.addHandler(handler)
    logger.setLevel(level)
    return logs_dir / LOG_NAME
