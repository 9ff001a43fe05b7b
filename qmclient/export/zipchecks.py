"""Checks of a zip archive's entries before anything in it is read: what a hostile
archive tries (unsafe paths, links, duplicates, encryption, zip bombs, sizes that do not
add up) raises :class:`~qmclient.export.errors.PackageError` with a stable reason."""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Callable

from qmclient.export.errors import PackageError

MAX_RATIO = 50  # uncompressed / compressed, for any deflated entry


def _refuse(reason: str, zh: str, en: str) -> PackageError:
    return PackageError(reason, zh=zh, en=en)


def check_names(infos: list[zipfile.ZipInfo], expected: Callable[[str], bool]) -> None:
    """Refuse unsafe paths, links and special files, duplicates, encrypted entries and
    any name ``expected(name)`` does not accept."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        raw = info.orig_filename
        if (
            name.startswith(("/", "\\"))
            or re.match(r"^[A-Za-z]:", name)
            or "\\" in raw
            or ".." in name.replace("\\", "/").split("/")
            or "\x00" in raw
        ):
            raise _refuse(
                "unsafe-path",
                f"包内含有不安全的路径“{name}”（绝对路径或“..”），已拒绝导入",
                f"the package holds an unsafe path {name!r} (absolute or with ..); refused",
            )
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise _refuse(
                "symlink" if stat.S_ISLNK(mode) else "special-file",
                f"包内“{name}”是符号链接或特殊文件，已拒绝导入",
                f"{name!r} in the package is a symbolic link or special file; refused",
            )
        if name in seen:
            raise _refuse(
                "duplicate-entry",
                f"包内“{name}”出现了不止一次，已拒绝导入",
                f"{name!r} appears more than once in the package; refused",
            )
        seen.add(name)
        if info.flag_bits & 0x1:
            raise _refuse(
                "encrypted", "包内文件被加密，无法导入", f"{name!r} is encrypted; refused"
            )
        if not expected(name):
            raise _refuse(
                "unexpected-entry",
                f"包内有不应出现的文件“{name}”，已拒绝导入",
                f"the package holds an unexpected entry {name!r}; refused",
            )


def check_sizes(infos: list[zipfile.ZipInfo], max_total: int) -> None:
    """Refuse unknown compression, inconsistent sizes, zip bombs and a total over
    ``max_total`` bytes — from the central directory, before anything is unpacked."""
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                "unsupported-compression",
                f"包内“{info.filename}”使用了不支持的压缩方式",
                f"{info.filename!r} uses an unsupported compression method",
            )
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise _refuse(
                "size-mismatch",
                f"包内“{info.filename}”的大小记录前后矛盾，包已损坏或被篡改",
                f"{info.filename!r} declares inconsistent sizes",
            )
        if (
            info.compress_type == zipfile.ZIP_DEFLATED
            and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            and info.file_size > 1024 * 1024
        ):
            raise _refuse(
                "zip-bomb",
                f"包内“{info.filename}”的压缩比异常（疑似压缩炸弹），已拒绝导入",
                f"{info.filename!r} has an implausible compression ratio (zip bomb); refused",
            )
        total += info.file_size
    if total > max_total:
        raise _refuse(
            "too-large",
            f"包解开后有 {total / 1024**3:.1f} GB，超过上限 {max_total / 1024**3:.1f} GB",
            f"the package unpacks to {total / 1024**3:.1f} GiB, over the limit of "
            f"{max_total / 1024**3:.1f} GiB",
        )
