"""The portable package (.qmpkg): one submission, its report and its media in a zip.

Layout (see docs/package-format.md)::

    manifest.json          format, format_version, the report (Report.to_dict), its hash,
                           and for each media file its path, SHA-256 and size
    media/<sha256>         the files, stored (not deflated: photos and videos do not shrink)

Writing is deterministic: fixed timestamps, order, attributes and creator system, so the
same submission revision always gives the same bytes.  Reading trusts nothing: every
entry name, size, type and hash is checked before anything reaches the store, and a
problem raises :class:`~qmclient.export.errors.PackageError` with a stable reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import stat
import struct
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from qmclient.core.boundedjson import JsonBounds, JsonRefused, loads_bounded
from qmclient.core.report import Report, ReportFormatError
from qmclient.core.work import Work, work_or_new
from qmclient.export.errors import PackageError
from qmclient.export.zipchecks import check_names, check_sizes

FORMAT = "qmpkg"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media/"
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
CHUNK = 1024 * 1024
WRITEBACK_EVERY = 64 * 1024 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_ENTRIES = 10_000
# a manifest lists at most MAX_ENTRIES files of a few fields each, and a report
MANIFEST_BOUNDS = JsonBounds(max_bytes=MAX_MANIFEST_BYTES, max_depth=32, max_items=200_000)
DEFAULT_MAX_TOTAL = 16 * 1024**3
_MEDIA_NAME = re.compile(r"^media/[0-9a-f]{64}$")


@dataclass(frozen=True)
class PackedFile:
    sha256: str
    size: int
    path: Path


def manifest_of(report: Report, files: Sequence[PackedFile], generator: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": generator,
        "report_hash": report.report_hash(),
        "report": report.to_dict(),
        "media": [
            {"path": MEDIA_DIR + f.sha256, "sha256": f.sha256, "size": f.size} for f in files
        ],
    }


def _info(name: str, size: int, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = compress
    info.create_system = 3  # Unix, whatever machine writes it
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.file_size = size
    return info


def write_package(
    out: BinaryIO,
    report: Report,
    files: Sequence[PackedFile],
    *,
    generator: str = "qmclient",
    work: Work | None = None,
) -> None:
    """Write the package to ``out`` (seekable).  Files are streamed, never held in memory.

    Raises :class:`Cancelled`, or :class:`OSError` for a file missing or changed since it
    was planned (its size no longer matches).
    """
    work = work_or_new(work)
    total = sum(f.size for f in files)
    done = 0
    manifest = json.dumps(
        manifest_of(report, files, generator), ensure_ascii=False, sort_keys=True, indent=1
    ).encode("utf-8")
    with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
        zf.writestr(_info(MANIFEST, len(manifest), zipfile.ZIP_DEFLATED), manifest)
        for f in sorted(files, key=lambda f: f.sha256):
            info = _info(MEDIA_DIR + f.sha256, f.size, zipfile.ZIP_STORED)
            seen = 0
            with open(f.path, "rb") as src, zf.open(info, "w", force_zip64=f.size > 2**31) as dst:
                while chunk := src.read(CHUNK):
                    work.check()
                    dst.write(chunk)
                    seen += len(chunk)
                    done += len(chunk)
                    if done % WRITEBACK_EVERY < len(chunk):
                        _start_writeback(out)
                    work.progress(done, total)
            if seen != f.size:
                raise OSError(f"{f.path} changed size ({seen} bytes, expected {f.size})")


def _start_writeback(out: BinaryIO) -> None:
    """Have the kernel start writing what is written so far, without waiting: the disk
    then works during the copy instead of all at the final fsync, and a multi-GB package
    does not crowd the page cache."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        out.flush()
        advise(out.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


# ----------------------------------------------------------------------------- reading


def _refuse(reason: str, zh: str, en: str) -> PackageError:
    return PackageError(reason, zh=zh, en=en)


def report_in_manifest(doc: dict[str, Any], container_zh: str) -> Report:
    """The report a manifest carries, checked against the manifest's own hash of it.

    ``container_zh`` names what holds the manifest in the message (包, 邮件).
    """
    try:
        report = Report.from_dict(doc.get("report"))
    except ReportFormatError as exc:
        raise _refuse(
            "bad-manifest", f"清单中的报告内容无效：{exc}", f"the report is malformed: {exc}"
        ) from None
    if report.report_hash() != doc.get("report_hash"):
        raise _refuse(
            "hash-mismatch",
            f"清单中报告内容的校验值不符，{container_zh}已损坏或被篡改",
            "the report does not match its hash in the manifest",
        )
    return report


@dataclass(frozen=True)
class MediaEntry:
    sha256: str
    size: int
    info: zipfile.ZipInfo


@dataclass
class OpenedPackage:
    """A package whose structure and manifest have been checked (hashes come on reading)."""

    zf: zipfile.ZipFile
    report: Report
    report_hash: str
    media: list[MediaEntry]
    path: Path

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> OpenedPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def total_size(self) -> int:
        return sum(m.size for m in self.media)

    def read_chunks(
        self, entry: MediaEntry, work: Work | None = None, *, verify_hash: bool = True
    ) -> Iterator[bytes]:
        """The entry's bytes; raises :class:`PackageError` when they are not what the
        manifest says (size, and SHA-256 unless the caller hashes them itself) — after
        the last chunk, so callers must not keep what they got unless the iteration ends
        normally."""
        work = work_or_new(work)
        digest = hashlib.sha256() if verify_hash else None
        seen = 0
        try:
            with self._open_entry(entry) as fh:
                while chunk := _read(fh, CHUNK):
                    work.check()
                    seen += len(chunk)
                    if seen > entry.size:
                        raise _refuse(
                            "size-mismatch",
                            f"包内文件 {entry.sha256[:12]} 比清单所写的大，疑似被篡改",
                            f"entry {entry.sha256[:12]} is larger than the manifest says",
                        )
                    if digest is not None:
                        digest.update(chunk)
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise _refuse(
                "corrupt",
                f"包内文件 {entry.sha256[:12]} 已损坏（{exc}），请让对方重新导出",
                f"entry {entry.sha256[:12]} is damaged ({exc}); ask for the package again",
            ) from None
        if seen != entry.size:
            raise _refuse(
                "size-mismatch",
                f"包内文件 {entry.sha256[:12]} 的大小与清单不符，包不完整或被篡改",
                f"entry {entry.sha256[:12]} is {seen} bytes, the manifest says {entry.size}",
            )
        if digest is not None and digest.hexdigest() != entry.sha256:
            raise _refuse(
                "hash-mismatch",
                f"包内文件 {entry.sha256[:12]} 的校验值与清单不符，包已损坏或被篡改",
                f"entry {entry.sha256[:12]} does not match its SHA-256 in the manifest",
            )

    @contextlib.contextmanager
    def _open_entry(self, entry: MediaEntry) -> Iterator[IO[bytes] | _Bounded]:
        """A stored entry is read straight from the file, past its local header: its
        SHA-256 is checked anyway, so zipfile's CRC-32 would be a second pass for
        nothing.  The local header must agree with the central directory (name, method),
        or the package is refused: two views of one entry is a known trick."""
        info = entry.info
        if info.compress_type != zipfile.ZIP_STORED:
            with self.zf.open(info) as fh:
                yield fh
            return
        with open(self.path, "rb") as fh:
            fh.seek(info.header_offset)
            head = fh.read(30)
            if len(head) < 30 or head[:4] != b"PK\x03\x04":
                raise zipfile.BadZipFile("bad local header")
            flags, method = struct.unpack("<HH", head[6:10])
            name_len, extra_len = struct.unpack("<HH", head[26:30])
            name = fh.read(name_len)
            if name != info.orig_filename.encode("utf-8" if flags & 0x800 else "cp437"):
                raise _refuse(
                    "unsafe-path",
                    "包内文件的本地记录与目录记录不一致，疑似被篡改，已拒绝导入",
                    f"entry {info.filename!r}: local header and central directory disagree",
                )
            if method != zipfile.ZIP_STORED or flags & 0x1:
                raise zipfile.BadZipFile("local header disagrees on the compression")
            fh.seek(extra_len, os.SEEK_CUR)
            yield _Bounded(fh, info.file_size)


class _Bounded:
    """Reads at most ``left`` bytes of ``fh``."""

    def __init__(self, fh: IO[bytes], left: int) -> None:
        self.fh = fh
        self.left = left

    def read(self, n: int) -> bytes:
        data = self.fh.read(min(n, self.left)) if self.left > 0 else b""
        self.left -= len(data)
        return data


def _read(fh: IO[bytes] | _Bounded, n: int) -> bytes:
    return fh.read(n)


def _manifest(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, Any]:
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _refuse("bad-manifest", "清单文件过大", "manifest.json is implausibly large")
    try:
        with zf.open(info) as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise _refuse(
            "corrupt",
            f"包已损坏，清单无法读取（{exc}）",
            f"the package is damaged; manifest.json cannot be read ({exc})",
        ) from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise _refuse("bad-manifest", "清单文件过大", "manifest.json is implausibly large")
    try:
        data = loads_bounded(raw, "manifest.json", MANIFEST_BOUNDS)
    except JsonRefused as exc:
        raise _refuse(
            "bad-manifest",
            f"包中的清单无法读取，包已损坏或被篡改（{exc.message_zh}）",
            f"the package's manifest cannot be read ({exc.message_en})",
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _refuse(
            "not-a-package",
            "这不是 qmclient 报送包（.qmpkg）",
            "this is not a qmclient package (.qmpkg)",
        )
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise _refuse(
            "newer-format",
            f"该报送包由更新版本的程序生成（格式版本 {version}），请先升级 qmclient",
            f"the package has format version {version}, newer than this program "
            f"understands ({FORMAT_VERSION}); update qmclient",
        )
    if version != FORMAT_VERSION:
        raise _refuse(
            "bad-manifest",
            f"清单的格式版本“{version}”无效",
            f"manifest format_version {version!r} is not valid",
        )
    return data


def open_package(path: Path, *, max_total: int = DEFAULT_MAX_TOTAL) -> OpenedPackage:
    """Open and check a package's structure and manifest; raises :class:`PackageError`."""
    try:
        if path.is_symlink() or not path.is_file():
            raise _refuse(
                "not-a-file", f"{path.name} 不是普通文件", f"{path.name} is not a regular file"
            )
        if path.stat().st_size == 0:
            raise _refuse("corrupt", f"{path.name} 是空文件", f"{path.name} is empty")
        zf = zipfile.ZipFile(path)
    except PackageError:
        raise
    except (zipfile.BadZipFile, EOFError) as exc:
        raise _refuse(
            "corrupt",
            f"{path.name} 不是完整的报送包（文件损坏或未传输完整）",
            f"{path.name} is not a complete package (damaged or truncated: {exc})",
        ) from None
    except OSError as exc:
        raise _refuse(
            "unreadable",
            f"无法读取 {path.name}（{exc.strerror or exc}）",
            f"{path.name} cannot be read ({exc.strerror or exc})",
        ) from None
    try:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _refuse("too-many-entries", "包内文件数量异常", "too many entries")
        check_names(infos, lambda name: name == MANIFEST or bool(_MEDIA_NAME.match(name)))
        check_sizes(infos, max_total)
        by_name = {i.filename: i for i in infos}
        if MANIFEST not in by_name:
            raise _refuse(
                "not-a-package",
                "包内没有清单（manifest.json），这不是 qmclient 报送包",
                "the package has no manifest.json; not a qmclient package",
            )
        data = _manifest(zf, by_name[MANIFEST])
        report = report_in_manifest(data, "包")
        media = _media_entries(data, by_name, report)
        return OpenedPackage(zf, report, report.report_hash(), media, path)
    except BaseException:
        zf.close()
        raise


def _media_entries(
    data: dict[str, Any], by_name: dict[str, zipfile.ZipInfo], report: Report
) -> list[MediaEntry]:
    listed = data.get("media")
    if not isinstance(listed, list):
        raise _refuse("bad-manifest", "清单缺少媒体文件列表", "manifest has no media list")
    entries: list[MediaEntry] = []
    for item in listed:
        if not isinstance(item, dict):
            raise _refuse("bad-manifest", "清单的媒体项格式错误", "a media item is malformed")
        sha, size = item.get("sha256"), item.get("size")
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise _refuse("bad-manifest", "清单中的校验值格式错误", f"bad sha256 {sha!r}")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise _refuse("bad-manifest", "清单中的文件大小格式错误", f"bad size {size!r}")
        info = by_name.get(MEDIA_DIR + sha)
        if info is None:
            raise _refuse(
                "missing-file",
                f"清单列出的文件 {sha[:12]} 不在包内，包不完整",
                f"the manifest lists {sha[:12]} but the package does not hold it",
            )
        if info.file_size != size:
            raise _refuse(
                "size-mismatch",
                f"包内文件 {sha[:12]} 的大小与清单不符，包已损坏或被篡改",
                f"entry {sha[:12]} is {info.file_size} bytes, the manifest says {size}",
            )
        entries.append(MediaEntry(sha, size, info))
    listed_names = {MEDIA_DIR + e.sha256 for e in entries} | {MANIFEST}
    extra = sorted(set(by_name) - listed_names)
    if extra:
        raise _refuse(
            "unexpected-entry",
            f"包内有清单未列出的文件“{extra[0]}”，已拒绝导入",
            f"the package holds {extra[0]!r}, which the manifest does not list",
        )
    if len({e.sha256 for e in entries}) != len(entries):
        raise _refuse("duplicate-entry", "清单中有重复的文件", "the manifest lists a file twice")
    wanted = {m.sha256 for m in report.media}
    have = {e.sha256 for e in entries}
    if wanted != have:
        raise _refuse(
            "bad-manifest",
            "清单中的文件与报告引用的图片视频不一致",
            "the media files do not match the ones the report refers to",
        )
    sizes = {m.sha256: m.size for m in report.media}
    for e in entries:
        if sizes[e.sha256] != e.size:
            raise _refuse(
                "size-mismatch",
                f"报告中文件 {e.sha256[:12]} 的大小与清单不符",
                f"the report and the manifest disagree on the size of {e.sha256[:12]}",
            )
    return entries
