"""Kill -9 (TerminateProcess on Windows) a writer at random moments: the store stays sound and every committed change
is there, with no half-written media file."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qmclient.services import drafts
from qmclient.services.context import open_context

WRITER = Path(__file__).with_name("crash_writer.py")
KILLED = 1 if sys.platform == "win32" else -signal.SIGKILL  # Popen.kill()'s exit status


@pytest.fixture(scope="module")
def big_photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few large, distinct JPEGs (noise compresses badly: several MB each)."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("photos")
    rnd = random.Random(7)
    for i in range(4):
        w, h = 2000, 1500
        im = Image.frombytes("RGB", (w, h), rnd.randbytes(w * h * 3))
        im.save(folder / f"noise{i}.jpg", quality=95)
    return folder


def _run_and_kill(
    data: Path, photos: Path, saves: int, extra: float, *, until: str = "saved "
) -> list[str]:
    """Start the writer, wait until it has reported ``saves`` lines starting with
    ``until``, let it go on for ``extra`` seconds (the kill lands anywhere in the next
    steps), then kill it.  ``until="copying "`` runs it in its stall mode."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    mode = ["stall"] if until == "copying " else []
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(data), str(photos), *mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    while sum(1 for ln in lines if ln.startswith(until)) < saves:
        line = proc.stdout.readline()
        assert line, f"the writer stopped early: {proc.stderr.read() if proc.stderr else ''}"
        lines.append(line.strip())
    time.sleep(extra)  # not a wait for anything: where the kill lands
    proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == KILLED, err
    return lines + out.splitlines()


def _check(data: Path, lines: list[str]) -> None:
    # Before the store is opened (opening sweeps media/tmp): a half-written copy may only
    # be a temporary file; every file in the store proper is whole (it hashes to its name).
    tmp = data / "media" / "tmp"
    for path in (data / "media").rglob("*"):
        if path.is_file() and path.parent != tmp:
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
    ctx = open_context(data)
    try:
        assert ctx.store.integrity_check() == "ok"
        assert ctx.media.tmp == tmp
        assert not tmp.exists() or not any(tmp.iterdir())  # the leftovers were swept
        saved = [line.split() for line in lines if line.startswith("saved ")]
        assert saved  # the kill came after at least one reported save
        sid, last = int(saved[-1][1]), int(saved[-1][2])
        report = drafts.load_report(ctx, sid)
        # the last printed save is there; one more may have committed before the kill
        assert report.summary in (f"第{last}次保存", f"第{last + 1}次保存")
        assert report.title in (f"标题{last}", f"标题{last + 1}")
        for line in lines:
            if line.startswith("attached "):
                _, target, sha = line.split()
                media = drafts.load_report(ctx, int(target)).media
                assert [m.sha256 for m in media] == [sha]
        assert not [ln for ln in lines if ln.startswith("failed ")]
    finally:
        ctx.close()


def _rounds(tmp_path: Path, photos: Path, rounds: int, seed: int) -> None:
    rnd = random.Random(seed)
    data = tmp_path / "data"
    for _ in range(rounds):
        lines = _run_and_kill(data, photos, rnd.randint(1, 12), rnd.uniform(0.0, 0.5))
        _check(data, lines)


def test_kill_while_saving_and_attaching(tmp_path: Path, big_photos: Path) -> None:
    _rounds(tmp_path, big_photos, rounds=8, seed=1)


def test_kill_in_the_middle_of_a_copy(tmp_path: Path, big_photos: Path) -> None:
    """The kill lands while a file is half copied (the writer stops there): the half copy
    is a temporary file only, and the next opening removes it."""
    data = tmp_path / "data"
    saved = _run_and_kill(data, big_photos, 1, 0.0)  # a committed save first
    copying = _run_and_kill(data, big_photos, 1, 0.0, until="copying ")
    leftovers = list((data / "media" / "tmp").iterdir())
    assert [p.suffix for p in leftovers] == [".part"]  # before opening: the half copy
    _name, done, total = copying[-1].split()[1:]
    assert leftovers[0].stat().st_size <= int(done) < int(total)
    _check(data, saved + copying)  # opening removes it; the save is there


@pytest.mark.slow
def test_kill_while_saving_and_attaching_many_times(tmp_path: Path, big_photos: Path) -> None:
    _rounds(tmp_path, big_photos, rounds=60, seed=2)
