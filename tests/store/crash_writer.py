"""A writer for the crash test: saves drafts and attaches files in a loop, printing what it
committed, until it is killed.  With ``stall`` as third argument it stops in the middle
of copying its first file (after printing ``copying``) and waits there to be killed."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from qmclient.services import drafts
from qmclient.services.context import open_context


def stall_mid_copy(name: str, done: int, total: int) -> None:
    if 0 < done < total:  # part of the file is in media/tmp: stop here until killed
        print(f"copying {name} {done} {total}", flush=True)
        threading.Event().wait()


def main(data_dir: str, media_dir: str, mode: str = "") -> None:
    ctx = open_context(data_dir)
    files = sorted(Path(media_dir).iterdir())
    sid = drafts.create_draft(ctx, title="崩溃测试")
    print(f"draft {sid}", flush=True)
    if mode == "stall":
        target = drafts.create_draft(ctx, title="复制中")
        drafts.attach_files(ctx, target, files[:1], byte_progress=stall_mid_copy)
    i = 0
    while True:
        i += 1
        drafts.update_fields(ctx, sid, {"summary": f"第{i}次保存", "title": f"标题{i}"})
        print(f"saved {sid} {i}", flush=True)
        if i % 3 == 0:
            target = drafts.create_draft(ctx, title=f"附件{i}")
            result = drafts.attach_files(ctx, target, [files[i % len(files)]])
            for m in result.added:
                print(f"attached {target} {m.sha256}", flush=True)
            for err in result.failed:
                print(f"failed {err}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
