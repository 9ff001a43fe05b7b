"""A zip archive written as a stream, the same bytes every time, from any offset.

Every entry is stored (media are already compressed), its name in UTF-8, its time a
fixed one given by the caller.  The sizes are known before writing (they come from the
database), so the whole layout — every header's offset and the total length — is known
before the first byte: a download can announce its length and be resumed with an HTTP
range.  The CRC-32 of an entry is computed while its bytes stream by and written in a
data descriptor after them; CRCs already known (kept from an earlier pass) let a resumed
download skip whole files without reading them.  Entries or offsets past 4 GiB use the
zip64 records.  Memory stays flat: one block (256 KiB) of one file at a time.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from qmclient.core.work import QmError, Work

BLOCK = 1 << 18  # 256 KiB: 1 MiB blocks cost twice the CPU (fresh large buffers)
ZIP64_LIMIT = 0xFFFFFFFF
_FLAGS = 0x0008 | 0x0800  # sizes and CRC in a data descriptor; UTF-8 names


class CrcCache(Protocol):
    def get(self, key: str) -> int | None: ...
    def put(self, key: str, crc: int) -> None: ...
    def flush(self) -> None: ...


class NoCache:
    def get(self, key: str) -> int | None:
        return None

    def put(self, key: str, crc: int) -> None:
        return None

    def flush(self) -> None:
        return None


@dataclass(frozen=True)
class Entry:
    """One file of the archive: its path inside, its size and how to read its bytes."""

    name: str
    size: int
    open: Callable[[], BinaryIO]
    when: dt.datetime
    key: str = ""  # the CRC cache key (a SHA-256); "" for small in-memory entries


class ArchiveSourceError(QmError):
    """A file changed or went missing while the archive was being written."""


def _dos_time(when: dt.datetime) -> tuple[int, int]:
    year = min(max(when.year, 1980), 2107)
    date = (year - 1980) << 9 | when.month << 5 | when.day
    time = when.hour << 11 | when.minute << 5 | when.second // 2
    return time, date


@dataclass
class _Placed:
    entry: Entry
    offset: int  # of its local header
    header: bytes
    zip64: bool

    @property
    def data_at(self) -> int:
        return self.offset + len(self.header)

    @property
    def descriptor_len(self) -> int:
        return 24 if self.zip64 else 16

    @property
    def end(self) -> int:
        return self.data_at + self.entry.size + self.descriptor_len


class ZipStream:
    """The archive of ``entries``: ``size`` bytes, ``stream(start)`` yields them."""

    def __init__(
        self,
        entries: Sequence[Entry],
        crcs: CrcCache | None = None,
        zip64_limit: int = ZIP64_LIMIT,
    ) -> None:
        self.crcs: CrcCache = crcs or NoCache()
        self.limit = zip64_limit
        self._placed: list[_Placed] = []
        self._known: dict[int, int] = {}  # entry index -> CRC learnt in this object
        offset = 0
        for e in entries:
            big = e.size >= self.limit
            header = self._local_header(e, big)
            self._placed.append(_Placed(e, offset, header, big))
            offset = self._placed[-1].end
        self.cd_offset = offset
        self.cd_size = sum(
            46 + len(p.entry.name.encode()) + len(self._cd_extra(p)) for p in self._placed
        )
        self.size = self.cd_offset + self.cd_size + len(self._end_records())

    # -- the records -------------------------------------------------------------
    def _local_header(self, e: Entry, big: bool) -> bytes:
        name = e.name.encode("utf-8")
        t, d = _dos_time(e.when)
        size32 = 0xFFFFFFFF if big else e.size
        extra = struct.pack("<HHQQ", 1, 16, e.size, e.size) if big else b""
        return (
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                45 if big else 20,
                _FLAGS,
                0,
                t,
                d,
                0,
                size32,
                size32,
                len(name),
                len(extra),
            )
            + name
            + extra
        )

    def _cd_extra(self, p: _Placed) -> bytes:
        fields = []
        if p.zip64:
            fields += [p.entry.size, p.entry.size]
        if p.offset >= self.limit:
            fields.append(p.offset)
        if not fields:
            return b""
        return struct.pack(f"<HH{len(fields)}Q", 1, 8 * len(fields), *fields)

    def _cd_header(self, p: _Placed, crc: int) -> bytes:
        e = p.entry
        name = e.name.encode("utf-8")
        extra = self._cd_extra(p)
        t, d = _dos_time(e.when)
        size32 = 0xFFFFFFFF if p.zip64 else e.size
        offset32 = 0xFFFFFFFF if p.offset >= self.limit else p.offset
        need = 45 if extra else 20
        return (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                3 << 8 | 45,
                need,
                _FLAGS,
                0,
                t,
                d,
                crc,
                size32,
                size32,
                len(name),
                len(extra),
                0,
                0,
                0,
                0o100644 << 16,
                offset32,
            )
            + name
            + extra
        )

    def _descriptor(self, p: _Placed, crc: int) -> bytes:
        if p.zip64:
            return struct.pack("<IIQQ", 0x08074B50, crc, p.entry.size, p.entry.size)
        return struct.pack("<IIII", 0x08074B50, crc, p.entry.size, p.entry.size)

    def _end_records(self) -> bytes:
        n = len(self._placed)
        big = n >= 0xFFFF or self.cd_offset >= self.limit or self.cd_size >= self.limit
        out = b""
        if big:
            z64_at = self.cd_offset + self.cd_size
            out += struct.pack(
                "<IQHHIIQQQQ",
                0x06064B50,
                44,
                3 << 8 | 45,
                45,
                0,
                0,
                n,
                n,
                self.cd_size,
                self.cd_offset,
            )
            out += struct.pack("<IIQI", 0x07064B50, 0, z64_at, 1)
        out += struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
            min(self.cd_size, 0xFFFFFFFF) if big else self.cd_size,
            0xFFFFFFFF if big else self.cd_offset, 0,
        )  # fmt: skip
        return out

    # -- CRCs -----------------------------------------------------------------------
    def _crc(self, i: int) -> int | None:
        if i in self._known:
            return self._known[i]
        key = self._placed[i].entry.key
        return self.crcs.get(key) if key else None

    def _learn(self, i: int, crc: int) -> None:
        self._known[i] = crc
        key = self._placed[i].entry.key
        if key:
            self.crcs.put(key, crc)

    def _crc_or_read(self, i: int, work: Work | None) -> int:
        known = self._crc(i)
        return known if known is not None else self._read_crc(i, work)

    def _read_crc(self, i: int, work: Work | None) -> int:
        """Read a whole entry for its CRC (a resumed download that skipped it)."""
        crc = 0
        for block in self._data(i, 0, work):
            crc = zlib.crc32(block, crc)
        self._learn(i, crc)
        return crc

    def _data(self, i: int, skip: int, work: Work | None) -> Iterator[bytes]:
        e = self._placed[i].entry
        left = e.size - skip
        with e.open() as f:
            if skip:
                f.seek(skip)
            while left > 0:
                if work is not None:
                    work.check()
                block = f.read(min(BLOCK, left))
                if not block:
                    break
                left -= len(block)
                yield block
        if left:
            raise ArchiveSourceError(
                zh=f"文件“{e.name}”比登记的大小短，无法打包；请检查服务器上的媒体文件是否完整",
                en=f"{e.name} is shorter than its recorded size; check the server's media store",
                code="archive-source-short",
            )

    # -- streaming ------------------------------------------------------------------
    def stream(self, start: int = 0, work: Work | None = None) -> Iterator[bytes]:
        """The archive's bytes from offset ``start`` to the end."""
        if not 0 <= start <= self.size:
            raise ValueError(f"offset {start} outside 0..{self.size}")
        try:
            yield from self._stream(start, work)
        finally:  # also when the download is cut: keep the CRCs learnt so far
            self.crcs.flush()

    def _stream(self, start: int, work: Work | None) -> Iterator[bytes]:
        for i, p in enumerate(self._placed):
            if p.end <= start:
                continue
            if start < p.data_at:
                yield p.header[max(0, start - p.offset) :]
            data_end = p.data_at + p.entry.size
            if start < data_end:
                skip = max(0, start - p.data_at)
                known = self._crc(i)
                if skip and known is None:  # read the part already sent, for the CRC
                    yield from self._resume_unknown(i, skip, work)
                elif known is not None:  # kept from an earlier pass: no need to compute it
                    yield from self._data(i, skip, work)
                else:
                    crc = 0
                    for block in self._data(i, 0, work):
                        crc = zlib.crc32(block, crc)
                        yield block
                    self._learn(i, crc)
            desc = self._descriptor(p, self._crc_or_read(i, work))
            yield desc[max(0, start - data_end) :]
        cd = b"".join(
            self._cd_header(p, self._crc_or_read(i, work)) for i, p in enumerate(self._placed)
        )
        tail = cd + self._end_records()
        yield tail[max(0, start - self.cd_offset) :]

    def _resume_unknown(self, i: int, skip: int, work: Work | None) -> Iterator[bytes]:
        """An entry whose CRC is not known, resumed at ``skip``: all of it is read (for
        the CRC), only the part from ``skip`` on is sent."""
        crc, pos = 0, 0
        for block in self._data(i, 0, work):
            crc = zlib.crc32(block, crc)
            if pos + len(block) > skip:
                yield block[max(0, skip - pos) :]
            pos += len(block)
        self._learn(i, crc)

    def write_to(self, out: BinaryIO, work: Work | None = None) -> int:
        """Write the whole archive to ``out``; returns its size."""
        done = 0
        for chunk in self.stream(0, work):
            out.write(chunk)
            done += len(chunk)
            if work is not None:
                work.progress(done, self.size, "")
        return done
