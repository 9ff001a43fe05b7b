"""Icons from ``resources/icons`` (SVG, so they stay sharp on HiDPI screens)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from qmclient.resources import resources_dir


def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``; an empty icon if it is missing."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
