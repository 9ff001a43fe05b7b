"""Claims on temporary files: "this process is writing this file", held by the OS.

A claim is a lock on a handle of its own, taken when the file is created and dropped when
the handle is closed or the process ends (also when it is killed), so another process can
tell a live copy from the leftover of a crash.  On POSIX it is an exclusive ``flock``; on
Windows an exclusive ``LockFileEx`` on one byte far beyond the end of the file (so reading
and writing the file through other handles is not blocked), on a handle opened with
``FILE_SHARE_DELETE`` so that the file can still be renamed into place or deleted while
claimed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    _k32 = ctypes.WinDLL("kernel32", use_last_error=True)

    class _Overlapped(ctypes.Structure):
        _fields_ = [
            ("Internal", ctypes.c_void_p),
            ("InternalHigh", ctypes.c_void_p),
            ("Offset", wintypes.DWORD),
            ("OffsetHigh", wintypes.DWORD),
            ("hEvent", wintypes.HANDLE),
        ]

    _k32.CreateFileW.restype = wintypes.HANDLE
    _k32.CreateFileW.argtypes = [
        wintypes.LPCWSTR,
        wintypes.DWORD,
        wintypes.DWORD,
        ctypes.c_void_p,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.HANDLE,
    ]
    _k32.LockFileEx.argtypes = [
        wintypes.HANDLE,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.DWORD,
        ctypes.POINTER(_Overlapped),
    ]
    _k32.UnlockFileEx.argtypes = [
        wintypes.HANDLE,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.DWORD,
        ctypes.POINTER(_Overlapped),
    ]
    _k32.CloseHandle.argtypes = [wintypes.HANDLE]

    _GENERIC_READ = 0x80000000
    _SHARE_ALL = 0x1 | 0x2 | 0x4  # read, write, delete
    _OPEN_EXISTING = 3
    _INVALID = wintypes.HANDLE(-1).value
    _EXCLUSIVE_NOW = 0x2 | 0x1  # LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY
    _LOCK_AT_HIGH = 0x7FFFFFFF  # offset 0x7FFFFFFF_00000000: never part of a real file

    def _open_shared(path: Path) -> int:
        handle = _k32.CreateFileW(
            str(path), _GENERIC_READ, _SHARE_ALL, None, _OPEN_EXISTING, 0, None
        )
        if handle is None or handle == _INVALID:
            raise ctypes.WinError(ctypes.get_last_error())
        return int(handle)

    def _lock(handle: int) -> bool:
        region = _Overlapped(OffsetHigh=_LOCK_AT_HIGH)
        return bool(_k32.LockFileEx(handle, _EXCLUSIVE_NOW, 0, 1, 0, ctypes.byref(region)))

    def _close(handle: int) -> None:
        _k32.CloseHandle(handle)

    def claim(path: Path) -> int:
        """Create ``path`` (it must not exist) and claim it; returns the claim's handle."""
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
        handle = _open_shared(path)
        if not _lock(handle):
            _close(handle)
            raise ctypes.WinError(ctypes.get_last_error())
        return handle

    def release(handle: int | None) -> None:
        if handle is not None:
            _close(handle)  # closing the handle drops its lock

    def claimed(path: Path) -> bool:
        """Whether a live process holds a claim on ``path``."""
        try:
            handle = _open_shared(path)
        except OSError:
            return True  # gone already, or not ours to judge
        try:
            if not _lock(handle):
                return True
            region = _Overlapped(OffsetHigh=_LOCK_AT_HIGH)
            _k32.UnlockFileEx(handle, 0, 1, 0, ctypes.byref(region))
            return False
        finally:
            _close(handle)

else:
    import fcntl

    def claim(path: Path) -> int:
        """Create ``path`` (it must not exist) and claim it; returns the claim's descriptor."""
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise
        return fd

    def release(handle: int | None) -> None:
        if handle is not None:
            os.close(handle)

    def claimed(path: Path) -> bool:
        """Whether a live process holds a claim on ``path``."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return True  # gone already, or not ours to judge
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False
