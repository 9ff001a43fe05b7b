"""Run an export in a process of its own, slowly, so a test can kill it mid-way."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from qmclient.core.work import Progress, Work
from qmclient.services.context import open_context
from qmclient.services.export import ExportOptions, run


def main() -> None:
    data_dir, sid, out = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    ctx = open_context(data_dir)

    def progress(p: Progress) -> None:
        print(f"progress {p.done}/{p.total} {p.label}", flush=True)
        time.sleep(0.2)

    run(
        ctx,
        sid,
        ExportOptions(
            docx=out / "r.docx", xlsx=out / "r.xlsx", eml_dir=out, package=out / "p.qmpkg"
        ),
        work=Work(progress),
    )
    print("done", flush=True)


if __name__ == "__main__":
    main()
