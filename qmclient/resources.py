"""Where the read-only resources (campaigns, forms, icons, translations) live.

Looked up in this order: the ``QMCLIENT_RESOURCES`` environment variable, the folder
unpacked by a frozen bundle, and the ``resources/`` folder of the source tree.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


@cache
def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    override = os.environ.get("QMCLIENT_RESOURCES")
    return Path(override) if override else _root() / "resources"


def campaigns_dir() -> Path:
    return resources_dir() / "campaigns"


def forms_dir() -> Path:
    return _root() / "forms"
