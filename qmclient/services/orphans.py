"""Stored files that nothing refers to, and pruning them.

A photo or video is stored (content-addressed, ``MediaStore``) before it gets its
``media_blob`` row, so a file that was refused after the copy (a truncated photo), an
import that was cancelled or failed half-way (a package put in quarantine) leave files
that no row names.  Every other reference — a report's media, a frozen revision, an
upload — goes through a ``media_blob`` row, which is never deleted, so a file without one
is an orphan.  Only orphans older than a grace period are pruned: another qmclient (the
command line while the window is open) may have just copied a file and not yet written
its row.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from qmclient.services.context import AppContext
from qmclient.store.models import MediaBlob

GRACE = dt.timedelta(hours=24)


@dataclass
class Orphans:
    files: list[tuple[str, Path, int]] = field(default_factory=list)  # sha256, path, bytes

    @property
    def bytes(self) -> int:
        return sum(size for _sha, _path, size in self.files)


def find_orphans(ctx: AppContext, older_than: dt.timedelta = GRACE) -> Orphans:
    cutoff = time.time() - older_than.total_seconds()
    with ctx.store.read() as s:
        known = set(s.scalars(select(MediaBlob.sha256)))
    found = Orphans()
    for sha, path in ctx.media.stored():
        if sha in known:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if stat.st_mtime <= cutoff:
            found.files.append((sha, path, stat.st_size))
    return found


def prune_orphans(ctx: AppContext, older_than: dt.timedelta = GRACE) -> Orphans:
    """Delete the orphans older than ``older_than``; returns what was deleted."""
    pruned = Orphans()
    for sha, path, _size in find_orphans(ctx, older_than).files:
        # as the single writer: this process's imports wait, and a row written since the
        # list was made keeps its file
        with ctx.store.write() as s:
            if s.get(MediaBlob, sha) is not None:
                continue
            freed = ctx.media.discard(sha)
        if freed:
            pruned.files.append((sha, path, freed))
    return pruned
