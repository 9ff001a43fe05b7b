"""The content-addressed media store: dedup, atomic writes, and files that fight back."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from mediafactory import make_jpeg, make_mp4, make_png

from qmclient.core.work import Cancelled, Progress, Work
from qmclient.store.media import MediaError, MediaStore

ACCEPT = ("image/jpeg", "image/png", "video/mp4")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_put_hashes_copies_and_detects_type(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    photo = make_jpeg(tmp_path / "in" / "p.jpg")
    blob = store.put(photo, accepted_types=ACCEPT)
    assert blob.sha256 == sha(photo)
    assert blob.media_type == "image/jpeg" and blob.was_new
    assert blob.path == store.path_for(blob.sha256)
    assert blob.path.read_bytes() == photo.read_bytes()
    assert store.verify(blob.sha256)


def test_same_bytes_are_stored_once(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    a = make_png(tmp_path / "a.png")
    b = tmp_path / "copy-with-another-name.png"
    b.write_bytes(a.read_bytes())
    first, second = store.put(a), store.put(b)
    assert first.sha256 == second.sha256 and not second.was_new
    files = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert files == [first.path]


def test_type_comes_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    video = make_mp4(tmp_path / "clip.jpg", seconds=0.4)  # an MP4 named .jpg
    assert store.put(video, accepted_types=ACCEPT).media_type == "video/mp4"
    pdf = tmp_path / "photo.jpg"
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    with pytest.raises(MediaError) as info:
        store.put(pdf, accepted_types=ACCEPT)
    assert info.value.code == "mislabelled"
    assert "PDF" in info.value.message_zh and "PDF" in info.value.message_en
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(MediaError) as info:
        store.put(text, accepted_types=ACCEPT)
    assert info.value.code == "unsupported"


@pytest.mark.parametrize("case", ["missing", "empty", "folder", "too-large", "unreadable"])
def test_bad_files_leave_nothing_behind(tmp_path: Path, case: str) -> None:
    store = MediaStore(tmp_path / "media")
    path = tmp_path / "x.jpg"
    limit = None
    if case == "empty":
        path.write_bytes(b"")
    elif case == "folder":
        path.mkdir()
    elif case == "too-large":
        make_jpeg(path)
        limit = 100
    elif case == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root can read any file")
        make_jpeg(path)
        path.chmod(0)
    with pytest.raises(MediaError) as info:
        store.put(path, accepted_types=ACCEPT, max_bytes=limit)
    assert info.value.code == case
    assert info.value.message_zh and info.value.message_en
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def test_cancel_midway_leaves_no_temp_file(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    big = tmp_path / "big.mp4"
    big.write_bytes(make_mp4(tmp_path / "v.mp4", seconds=0.2).read_bytes() + os.urandom(5 << 20))
    calls = []

    def count(_p: Progress) -> None:
        calls.append(1)
        if len(calls) > 2:
            work.cancel()

    work = Work(count)
    with pytest.raises(Cancelled):
        store.put(big, accepted_types=ACCEPT, work=work)
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def test_file_that_vanishes_midway(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    big = tmp_path / "big.mp4"
    big.write_bytes(make_mp4(tmp_path / "v.mp4", seconds=0.2).read_bytes() + os.urandom(4 << 20))

    def shrink(p: Progress) -> None:
        if p.done < p.total:
            os.truncate(big, p.done)  # another program truncates the file under us

    with pytest.raises(MediaError) as info:
        store.put(big, accepted_types=ACCEPT, work=Work(shrink))
    assert info.value.code == "changed"
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def test_sweep_removes_leftovers_of_a_crash(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    store.tmp.mkdir(parents=True)
    (store.tmp / "dead.part").write_bytes(b"half")
    assert store.sweep_temp() == 1
    assert not any(store.tmp.iterdir())


def test_sweep_leaves_a_copy_in_progress_alone(tmp_path: Path) -> None:
    """Another qmclient opening the store (the command line beside the window) must not
    delete the file the window is copying into."""
    import threading

    store = MediaStore(tmp_path / "media")
    big = tmp_path / "big.mp4"
    big.write_bytes(make_mp4(tmp_path / "v.mp4", seconds=0.2).read_bytes() + os.urandom(3 << 20))
    halfway, go_on = threading.Event(), threading.Event()

    def pause(p: Progress) -> None:
        if p.done < p.total and not halfway.is_set():
            halfway.set()
            go_on.wait(20)

    stored: list[object] = []
    copying = threading.Thread(
        target=lambda: stored.append(store.put(big, accepted_types=ACCEPT, work=Work(pause)))
    )
    copying.start()
    assert halfway.wait(20)
    assert MediaStore(tmp_path / "media").sweep_temp() == 0  # as a second process would
    assert len(list(store.tmp.iterdir())) == 1
    go_on.set()
    copying.join(20)
    assert stored and store.verify(stored[0].sha256)  # type: ignore[attr-defined]
    assert not any(store.tmp.iterdir())


def test_stored_lists_the_files_and_discard_frees_them(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    photo = store.put(make_jpeg(tmp_path / "a.jpg"), accepted_types=ACCEPT)
    video = store.put(make_mp4(tmp_path / "v.mp4", seconds=0.2), accepted_types=ACCEPT)
    store.tmp.mkdir(parents=True, exist_ok=True)
    (store.tmp / "x.part").write_bytes(b"not listed")
    (tmp_path / "media" / "README").write_text("not the store's own")
    assert sorted(store.stored()) == sorted(
        [(photo.sha256, photo.path), (video.sha256, video.path)]
    )
    assert store.discard(photo.sha256) == photo.size
    assert store.discard(photo.sha256) == 0
    assert [sha for sha, _ in store.stored()] == [video.sha256]


def test_a_full_disk_is_reported(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)]).returncode:
        pytest.skip("cannot mount tmpfs here")
    try:
        store = MediaStore(mnt / "media")
        big = tmp_path / "big.mp4"
        big.write_bytes(
            make_mp4(tmp_path / "v.mp4", seconds=0.2).read_bytes() + os.urandom(3 << 20)
        )
        with pytest.raises(MediaError) as info:
            store.put(big, accepted_types=ACCEPT)
        assert info.value.code == "disk-full"
        assert "磁盘空间已满" in info.value.message_zh
        assert not [p for p in (mnt / "media").rglob("*") if p.is_file()]
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
