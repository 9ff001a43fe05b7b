"""SHA-256 whose running state can be saved and resumed in another process.

An upload to the object store may continue on another replica, so the hash of the bytes
received so far travels with the upload's row in the database instead of living in one
process's memory.  ``hashlib`` cannot export its state; OpenSSL's ``SHA256_CTX`` (a plain
public structure, the same libcrypto the interpreter's ``hashlib`` already uses) can.
:func:`available` says whether libcrypto was found; without it the server re-reads the
finished object instead (see ``tus/engine.py``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any

CTX_BYTES = 256  # SHA256_CTX is 112 bytes; room to spare, saved whole
TAG = b"ossl-sha256:"


@functools.cache
def _lib() -> Any:
    name = ctypes.util.find_library("crypto")
    for candidate in (name, "libcrypto.so.3", "libcrypto.so.1.1"):
        if not candidate:
            continue
        try:
            lib = ctypes.CDLL(candidate)
            lib.SHA256_Init.argtypes = [ctypes.c_void_p]
            lib.SHA256_Update.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
            lib.SHA256_Final.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
            return lib
        except (OSError, AttributeError):
            continue
    return None


def available() -> bool:
    return _lib() is not None


class ResumableSha256:
    """``update``/``hexdigest`` like hashlib, plus ``state()`` and ``from_state()``."""

    def __init__(self) -> None:
        lib = _lib()
        if lib is None:
            raise RuntimeError("libcrypto is not available")
        self._ctx = ctypes.create_string_buffer(CTX_BYTES)
        lib.SHA256_Init(self._ctx)

    @classmethod
    def from_state(cls, state: bytes) -> ResumableSha256:
        if not state.startswith(TAG) or len(state) != len(TAG) + CTX_BYTES:
            raise ValueError("not a saved SHA-256 state")
        h = cls()
        ctypes.memmove(h._ctx, state[len(TAG) :], CTX_BYTES)
        return h

    def state(self) -> bytes:
        return TAG + self._ctx.raw

    def update(self, data: bytes | bytearray | memoryview) -> None:
        if isinstance(data, bytes):
            if data:
                _lib().SHA256_Update(self._ctx, data, len(data))
            return
        view = memoryview(data).cast("B")
        if not view.nbytes:
            return
        if view.readonly:
            self.update(view.tobytes())
            return
        buf = (ctypes.c_char * view.nbytes).from_buffer(view)
        _lib().SHA256_Update(self._ctx, buf, view.nbytes)

    def copy(self) -> ResumableSha256:
        return ResumableSha256.from_state(self.state())

    def digest(self) -> bytes:
        ctx = ctypes.create_string_buffer(self._ctx.raw, CTX_BYTES)
        out = ctypes.create_string_buffer(32)
        _lib().SHA256_Final(out, ctx)
        return out.raw

    def hexdigest(self) -> str:
        return self.digest().hex()
