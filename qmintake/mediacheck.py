"""``qmintake check``: does the media store hold every file the database records?

Reports each recorded file that is missing from the store or has the wrong size (an
object deleted or cut behind qmintake's back), and counts stored files nothing records
(left by an interrupted upload; harmless).  Exit status 1 when something is missing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from sqlalchemy import select

from qmintake.models import BlobRow, RevisionMediaRow, RevisionRow, SubmissionRow
from qmintake.settings import IntakeState


@dataclass
class Findings:
    store: str
    recorded: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (sha256, where used)
    wrong_size: list[tuple[str, int, int]] = field(default_factory=list)
    unrecorded: int = 0


def check_media(st: IntakeState) -> Findings:
    found = Findings(store=st.blobs.describe())
    stored = set(st.blobs.list())
    with st.db.session() as s:
        blobs = list(s.execute(select(BlobRow.sha256, BlobRow.size)).all())
        used = dict(
            s.execute(
                select(RevisionMediaRow.sha256, SubmissionRow.uuid)
                .join(RevisionRow, RevisionRow.id == RevisionMediaRow.revision_id)
                .join(SubmissionRow, SubmissionRow.id == RevisionRow.submission_id)
            ).all()
        )
    found.recorded = len(blobs)
    recorded = set()
    for sha, size in blobs:
        recorded.add(sha)
        if sha not in stored:
            found.missing.append((sha, used.get(sha, "")))
            continue
        actual = st.blobs.size(sha)
        if actual is None:
            found.missing.append((sha, used.get(sha, "")))
        elif actual != size:
            found.wrong_size.append((sha, size, actual))
    found.unrecorded = len(stored - recorded)
    return found


def print_findings(f: Findings) -> int:
    print(f"media store: {f.store}")
    print(f"{f.recorded} recorded file(s) checked")
    for sha, sub in f.missing:
        used = f" (submission {sub})" if sub else ""
        print(f"MISSING {sha}{used} — 媒体存储中缺少此文件", file=sys.stderr)
    for sha, want, got in f.wrong_size:
        print(f"WRONG SIZE {sha}: recorded {want} bytes, store has {got}", file=sys.stderr)
    if f.unrecorded:
        print(f"{f.unrecorded} stored file(s) not recorded (left by interrupted uploads)")
    bad = len(f.missing) + len(f.wrong_size)
    if bad:
        print(
            f"qmintake check: {bad} file(s) missing or damaged in the media store; restore "
            "them from a backup, or ask the units to send them again\n"
            f"qmintake check: 媒体存储中有 {bad} 个文件缺失或损坏：请从备份恢复，或请报送单位重新上传",
            file=sys.stderr,
        )
        return 1
    print("all recorded files are present")
    return 0
