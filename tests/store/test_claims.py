"""Claims on temporary files across processes: held while the writer lives, gone when it
is killed (SIGKILL, or TerminateProcess on Windows), and never in the way of renaming or
deleting the claimed file (on Windows a handle without FILE_SHARE_DELETE would be)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qmclient.store.claim import claim, claimed, release
from qmclient.store.media import MediaStore

HOLDER = """
import sys
from pathlib import Path
from qmclient.store.claim import claim
claim(Path(sys.argv[1]))
print("claimed", flush=True)
sys.stdin.read()  # hold it until killed
"""


def test_a_live_writers_claim_stops_the_sweep_and_a_killed_ones_does_not(
    tmp_path: Path,
) -> None:
    store = MediaStore(tmp_path / "media")
    store.tmp.mkdir(parents=True)
    part = store.tmp / "copy.part"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(part)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "claimed"
        assert claimed(part)
        assert store.sweep_temp() == 0 and part.exists()
    finally:
        holder.kill()  # no clean-up runs in the holder
        holder.wait(30)
    assert not claimed(part)
    assert store.sweep_temp() == 1
    assert not part.exists()


def test_a_claimed_file_can_be_renamed_and_deleted(tmp_path: Path) -> None:
    part = tmp_path / "a.part"
    handle = claim(part)
    try:
        part.write_bytes(b"content")
        final = tmp_path / "final"
        os.replace(part, final)  # into place while still claimed
        assert final.read_bytes() == b"content"
        second = tmp_path / "b.part"
        handle2 = claim(second)
        try:
            second.unlink()  # an interrupted copy removes its file while claimed
        finally:
            release(handle2)
        assert not second.exists()  # (on Windows the name goes with the last handle)
    finally:
        release(handle)
    assert not claimed(tmp_path / "final")


def test_a_second_claim_on_the_same_name_is_refused(tmp_path: Path) -> None:
    part = tmp_path / "c.part"
    handle = claim(part)
    try:
        with pytest.raises(FileExistsError):
            claim(part)
    finally:
        release(handle)
