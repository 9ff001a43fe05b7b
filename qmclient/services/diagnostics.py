"""What a support person needs to know about this installation, as plain text or JSON.

Versions (qmclient, Python, Qt, SQLite, OS), folders, the default campaign, and the
store's statistics (counts, sizes, schema revision, integrity).  Never secrets: tokens
live in the keyring and are not read here; the proxy is shown without its password.
"""

from __future__ import annotations

import platform
import sqlite3
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from qmclient import __version__
from qmclient.services.context import AppContext
from qmclient.services.network import proxy_for_display
from qmclient.store.models import AuditEvent, MediaBlob, MediaItem, Submission


def _qt_versions() -> dict[str, str]:
    try:
        import PySide6
        from PySide6 import QtCore
    except ImportError:
        return {"pyside6": "not installed", "qt": "not installed"}
    return {"pyside6": PySide6.__version__, "qt": QtCore.qVersion()}


def _folder_size(path: Path) -> tuple[int, int]:
    files = size = 0
    if path.is_dir():
        for p in path.rglob("*"):
            try:
                if p.is_file():
                    files += 1
                    size += p.stat().st_size
            except OSError:
                continue
    return files, size


def _schema(ctx: AppContext) -> str:
    with ctx.store.read() as s:
        try:
            return str(
                s.connection().exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            )
        except Exception:  # pragma: no cover - a store without a version cannot be open
            return ""


def collect(ctx: AppContext, *, integrity: bool = True) -> dict[str, Any]:
    """Everything as a JSON-able dict; ``integrity`` runs ``PRAGMA integrity_check``."""
    from qmclient.resources import resources_dir

    with ctx.store.read() as s:
        by_status = dict(
            s.execute(select(Submission.status, func.count()).group_by(Submission.status)).all()
        )
        blobs, blob_bytes = s.execute(
            select(func.count(), func.coalesce(func.sum(MediaBlob.size), 0))
        ).one()
        items = s.scalar(select(func.count()).select_from(MediaItem))
        events = s.scalar(select(func.count()).select_from(AuditEvent))
    db = ctx.store.path
    db_bytes = sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    media_files, media_bytes = _folder_size(ctx.media.root)
    try:
        campaign = ctx.campaigns.default()
        campaign_info: dict[str, Any] = {
            "id": campaign.id,
            "title": campaign.title,
            "due": str(campaign.due),
        }
    except Exception as exc:  # a broken campaign is exactly what diagnostics must show
        campaign_info = {"error": str(exc)}
    return {
        "qmclient": __version__,
        "python": sys.version.split()[0],
        **_qt_versions(),
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "paths": {
            "data": str(ctx.data_dir),
            "database": str(db),
            "media": str(ctx.media.root),
            "logs": str(ctx.logs_dir),
            "resources": str(resources_dir()),
            "program": sys.executable,
        },
        "campaign": campaign_info,
        "proxy": proxy_for_display(ctx),
        "store": {
            "schema": _schema(ctx),
            "submissions": sum(by_status.values()),
            "by_status": by_status,
            "media_items": items,
            "media_blobs": blobs,
            "media_blob_bytes": int(blob_bytes),
            "media_files_on_disk": media_files,
            "media_bytes_on_disk": media_bytes,
            "audit_events": events,
            "database_bytes": db_bytes,
            "integrity": ctx.store.integrity_check() if integrity else "not checked",
        },
    }


def as_text(info: dict[str, Any]) -> str:
    """A readable block for the clipboard or a support e-mail."""
    lines: list[str] = []

    def walk(data: dict[str, Any], indent: str) -> None:
        for key, value in data.items():
            if isinstance(value, dict):
                lines.append(f"{indent}{key}:")
                walk(value, indent + "  ")
            else:
                lines.append(f"{indent}{key}: {value}")

    walk(info, "")
    return "\n".join(lines) + "\n"
