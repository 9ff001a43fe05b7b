"""The streamed zip: readable by zipfile, the same bytes from any offset, zip64 past the
limit, a CRC learnt once and reused."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import zipfile
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pytest

from qmintake.office.zipstream import ArchiveSourceError, Entry, ZipStream

WHEN = dt.datetime(2022, 9, 30, 18, 5, 7)


class DictCache:
    def __init__(self) -> None:
        self.crcs: dict[str, int] = {}

    def get(self, key: str) -> int | None:
        return self.crcs.get(key)

    def put(self, key: str, crc: int) -> None:
        self.crcs[key] = crc

    def flush(self) -> None:
        pass


def _open(path: Path) -> BinaryIO:
    return path.open("rb")


def _entries(tmp: Path, sizes: list[int]) -> list[Entry]:
    out = []
    for i, size in enumerate(sizes):
        path = tmp / f"f{i}"
        path.write_bytes(os.urandom(size))
        out.append(
            Entry(
                f"历下区/单位{i}/图{i:02d} 现场.jpg",
                size,
                partial(_open, path),
                WHEN,
                key=hashlib.sha256(path.read_bytes()).hexdigest(),
            )
        )
    return out


def _check(data: bytes, entries: list[Entry]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        assert [i.filename for i in zf.infolist()] == [e.name for e in entries]
        for e in entries:
            with e.open() as f:
                assert zf.read(e.name) == f.read()
            assert zf.getinfo(e.name).date_time == (2022, 9, 30, 18, 5, 6)


@pytest.mark.parametrize("limit", [0xFFFFFFFF, 1000])
def test_whole_and_every_resume_point_give_the_same_bytes(tmp_path: Path, limit: int) -> None:
    entries = _entries(tmp_path, [0, 1, 5000, 3 << 20, 999])
    cache = DictCache()
    z = ZipStream(entries, cache, zip64_limit=limit)
    whole = b"".join(z.stream())
    assert len(whole) == z.size
    _check(whole, entries)
    assert len(cache.crcs) == len({e.key for e in entries})
    starts = sorted({0, 1, 29, 30, z.size // 3, z.size // 2, z.size - 23, z.size - 1, z.size})
    starts += [p.offset + d for p in z._placed for d in (0, 5, len(p.header), len(p.header) + 7)]
    for start in starts:
        fresh = ZipStream(entries, None, zip64_limit=limit)  # no CRC known: reads for them
        assert b"".join(fresh.stream(start)) == whole[start:], start
        cached = ZipStream(entries, cache, zip64_limit=limit)
        assert b"".join(cached.stream(start)) == whole[start:], start


def test_zip64_records_when_past_the_limit(tmp_path: Path) -> None:
    entries = _entries(tmp_path, [3000, 3000, 10])
    data = b"".join(ZipStream(entries, zip64_limit=2048).stream())
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data  # zip64 end records
    _check(data, entries)


def test_a_file_shorter_than_recorded_is_an_error(tmp_path: Path) -> None:
    entries = _entries(tmp_path, [100])
    short = Entry("a.bin", 200, entries[0].open, WHEN)
    with pytest.raises(ArchiveSourceError) as err:
        b"".join(ZipStream([short]).stream())
    assert "a.bin" in err.value.message_zh and "a.bin" in err.value.message_en
