"""Where qmclient runs: the facts the self-test reports, and whether it can run there.

Supported: Windows 10 (1809, build 17763) and 11 on x64 — Qt 6's own minimum — and Linux
with glibc 2.28 or newer on x86_64 (from source or a bundle built for that glibc).
Windows 7 and 8 cannot run Qt 6 (nor Python 3.11); see docs/install.md for the reasons
and what those offices do instead.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import NamedTuple

WINDOWS_MIN_BUILD = 17763  # Windows 10 1809: the oldest Windows Qt 6 supports
GLIBC_MIN = (2, 28)  # UOS 20 / Kylin V10


class PlatformFacts(NamedTuple):  # not a dataclass: defining one costs a millisecond a start
    system: str  # "Windows", "Linux", ...
    release: str  # Windows "10"/"11", a Linux distribution's name and version
    build: int | None  # Windows build number
    machine: str  # "AMD64", "x86_64", "aarch64"
    glibc: str | None  # "2.36" on glibc Linux
    wine: str | None  # the Wine version when Windows is emulated by Wine
    python: str

    def describe(self) -> str:
        parts = [f"{self.system} {self.release}".strip()]
        if self.build:
            parts[0] += f" (build {self.build})"
        parts.append(self.machine)
        if self.glibc:
            parts.append(f"glibc {self.glibc}")
        if self.wine:
            parts.append(f"Wine {self.wine}")
        parts.append(f"Python {self.python}")
        return ", ".join(parts)


@functools.cache
def _wine_version() -> str | None:
    if sys.platform != "win32":
        return None
    import ctypes

    try:
        ntdll = ctypes.WinDLL("ntdll")
        get = ntdll.wine_get_version
    except (OSError, AttributeError):
        return None
    get.restype = ctypes.c_char_p
    value = get()
    return value.decode("ascii", "replace") if value else None


def under_wine() -> bool:
    """Whether this "Windows" is Wine (the Windows test lane): some Windows facilities
    misbehave there, not on Windows."""
    return _wine_version() is not None


def _linux_release() -> str:
    import platform

    try:
        info = platform.freedesktop_os_release()
    except OSError:
        return platform.release()
    return info.get("PRETTY_NAME") or info.get("NAME", "") + " " + info.get("VERSION_ID", "")


def current() -> PlatformFacts:
    import platform  # not at every start: unsupported_here reads without it

    system = platform.system()
    build: int | None = None
    release = platform.release()
    glibc: str | None = None
    if sys.platform == "win32":
        version = sys.getwindowsversion()
        build = version.build
        release = "11" if version.major == 10 and build >= 22000 else release
    elif system == "Linux":
        release = _linux_release()
        libc, libc_version = platform.libc_ver()
        glibc = libc_version if libc == "glibc" and libc_version else None
    return PlatformFacts(
        system=system,
        release=release,
        build=build,
        machine=platform.machine(),
        glibc=glibc,
        wine=_wine_version(),
        python=platform.python_version(),
    )


def _glibc_version() -> tuple[int, int] | None:
    """The C library's version where it is glibc (``os.confstr``, what
    ``platform.libc_ver`` reads first)."""
    try:
        name, version = os.confstr("CS_GNU_LIBC_VERSION").split(maxsplit=1)  # type: ignore[union-attr]
        major, minor = version.split(".")[:2]
        return (int(major), int(minor)) if name == "glibc" else None
    except (AttributeError, ValueError, OSError):
        return None


def unsupported_here() -> tuple[str, str] | None:
    """:func:`unsupported` for this computer, as every start asks it: only the Windows
    build or the glibc version is read unless one of them is too old."""
    if sys.platform == "win32":
        fine = sys.getwindowsversion().build >= WINDOWS_MIN_BUILD
    else:
        glibc = _glibc_version()
        fine = glibc is None or glibc >= GLIBC_MIN
    return None if fine else unsupported(current())


def unsupported(facts: PlatformFacts) -> tuple[str, str] | None:
    """Why qmclient cannot work here, as (Chinese, English); ``None`` where it can."""
    old_windows = facts.build is not None and facts.build < WINDOWS_MIN_BUILD
    if facts.system == "Windows" and old_windows and facts.wine is None:
        return (
            f"本程序需要 Windows 10（1809 版或更新）或 Windows 11，当前系统为 Windows "
            f"{facts.release}（版本号 {facts.build}），不受支持。请在其他电脑上填报，"
            "或把报告交给区县汇总。",
            f"qmclient needs Windows 10 (1809 or later) or 11; this is Windows "
            f"{facts.release} (build {facts.build}), which is not supported. Use another "
            "computer, or hand the report to your district.",
        )
    if facts.glibc:
        try:
            have = tuple(int(x) for x in facts.glibc.split(".")[:2])
        except ValueError:
            return None
        if have < GLIBC_MIN:
            return (
                f"本程序需要 glibc {GLIBC_MIN[0]}.{GLIBC_MIN[1]} 或更新的 Linux（如统信 UOS 20、"
                f"麒麟 V10 及以上），当前为 glibc {facts.glibc}，不受支持。",
                f"qmclient needs Linux with glibc {GLIBC_MIN[0]}.{GLIBC_MIN[1]} or newer "
                f"(UOS 20, Kylin V10 and later); this one has glibc {facts.glibc}.",
            )
    return None
