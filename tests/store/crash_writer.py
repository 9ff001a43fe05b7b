"""A writer for the crash test: saves drafts and attaches files in a loop, printing what it
committed, until it is killed."""

from __future__ import annotations

import sys
from pathlib import Path

from qmclient.services import drafts
from qmclient.services.context import open_context


def main(data_dir: str, media_dir: str) -> None:
    ctx = open_context(data_dir)
    files = sorted(Path(media_dir).iterdir())
    sid = drafts.create_draft(ctx, title="崩溃测试")
    print(f"draft {sid}", flush=True)
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
    main(sys.argv[1], sys.argv[2])
