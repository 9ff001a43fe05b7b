"""Data folders for the backup tests: filled with drafts and photos, and compared file by
file (the database by its rows' dump)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from mediafactory import make_jpeg, make_png

from qmclient.services import drafts
from qmclient.services.context import open_context


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its SHA-256 (the database by its rows' dump)."""
    out: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.endswith(("-wal", "-shm")):
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def db_dump(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def noisy_png(path: Path, size: tuple[int, int]) -> Path:
    """An incompressible PNG of about 3 bytes a pixel."""
    from PIL import Image

    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path, "PNG")
    return path


def filled(data_dir: Path, tmp: Path, n: int = 3) -> dict[str, list[str]]:
    """A store with ``n`` drafts, each with a photo; returns uuid -> media hashes."""
    ctx = open_context(data_dir)
    made: dict[str, list[str]] = {}
    try:
        for i in range(n):
            sid = drafts.create_draft(ctx, title=f"报告 {i}")
            drafts.update_fields(ctx, sid, {"summary": f"第 {i} 份总结"})
            photo = make_jpeg(tmp / f"p{i}.jpg", seed=i)
            png = make_png(tmp / f"q{i}.png", seed=100 + i)
            res = drafts.attach_files(ctx, sid, [photo, png], caption=f"图 {i}")
            assert not res.failed
            report = drafts.load_report(ctx, sid)
            made[report.uuid] = [m.sha256 for m in report.media]
    finally:
        ctx.close()
    return made
