"""Editing a .qmpkg entry by entry, to make the broken and hostile packages tests need."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

from qmclient.export.package import MANIFEST


def rewrite(src: Path, dest: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """Copy a package entry by entry, letting ``edit(info, data)`` change or add entries."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            for item in edit(info, zin.read(info)) or []:
                zout.writestr(*item)
    return dest


def manifest_edit(change):  # type: ignore[no-untyped-def]
    """An edit that lets ``change(doc)`` alter the manifest."""

    def edit(info, data):  # type: ignore[no-untyped-def]
        if info.filename == MANIFEST:
            doc = json.loads(data)
            change(doc)
            return [(info, json.dumps(doc))]
        return [(info, data)]

    return edit


def keep_and(extra):  # type: ignore[no-untyped-def]
    """An edit that keeps everything and adds ``extra`` entries after the manifest."""

    def edit(info, data):  # type: ignore[no-untyped-def]
        return [(info, data), *(extra if info.filename == MANIFEST else [])]

    return edit


def symlink_entry() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("media/" + "0" * 64)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def flip_media_byte(info, data):  # type: ignore[no-untyped-def]
    """An edit that damages one byte of each media file."""
    if info.filename.startswith("media/") and len(data) > 100:
        data = data[:50] + bytes([data[50] ^ 0xFF]) + data[51:]
    return [(info, data)]


def add_bomb(info, data):  # type: ignore[no-untyped-def]
    """An edit that adds 64 MiB of zeros, deflated to almost nothing."""
    out = [(info, data)]
    if info.filename == MANIFEST:
        bomb = zipfile.ZipInfo("media/" + "b" * 64)
        bomb.compress_type = zipfile.ZIP_DEFLATED
        out.append((bomb, b"\0" * (64 * 1024 * 1024)))
    return out
