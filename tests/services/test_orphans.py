"""Stored files no report refers to: found, kept while recent, pruned when old, and
never a file a report needs."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from mediafactory import make_jpeg, make_png

from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.orphans import find_orphans, prune_orphans


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_refused_and_cancelled_files_are_pruned_once_old(ctx: AppContext, tmp_path: Path) -> None:
    sid = drafts.create_draft(ctx)
    kept = make_png(tmp_path / "kept.png")
    truncated = make_jpeg(tmp_path / "cut.jpg", (900, 700))
    truncated.write_bytes(truncated.read_bytes()[:6000])  # header intact: copied, then refused
    result = drafts.attach_files(ctx, sid, [kept, truncated])
    assert [m.original_name for m in result.added] == ["kept.png"]
    assert [Path(e.path).name for e in result.failed] == ["cut.jpg"]
    # a cancelled import's copy: stored, never recorded
    loose = ctx.media.put(make_jpeg(tmp_path / "loose.jpg", seed=5))

    assert find_orphans(ctx).files == []  # too recent: another qmclient may be mid-import
    now = find_orphans(ctx, older_than=dt.timedelta(0))
    assert len(now.files) == 2 and loose.sha256 in {sha for sha, _p, _s in now.files}
    for _sha, path, _size in now.files:
        age(path, 30)
    stored_kept = ctx.media.path_for(result.added[0].sha256)
    age(stored_kept, 30)  # old but needed: never pruned
    pruned = prune_orphans(ctx)
    assert len(pruned.files) == 2 and pruned.bytes == now.bytes
    assert not ctx.media.has(loose.sha256)
    assert stored_kept.is_file() and ctx.media.verify(result.added[0].sha256)
    assert find_orphans(ctx, older_than=dt.timedelta(0)).files == []


def test_a_removed_photo_and_a_deleted_report_keep_their_files(
    ctx: AppContext, tmp_path: Path
) -> None:
    """Undo and frozen revisions may need them again: their rows stay, so do they."""
    sid = drafts.create_draft(ctx)
    added = drafts.attach_files(ctx, sid, [make_jpeg(tmp_path / "a.jpg")]).added
    drafts.remove_media(ctx, sid, added[0].sha256)
    drafts.delete_submission(ctx, sid)
    age(ctx.media.path_for(added[0].sha256), 48)
    assert prune_orphans(ctx).files == []
    assert ctx.media.has(added[0].sha256)
