"""tus 1.0.0 as qmintake speaks it: constants, header parsing and the OpenAPI notes.

Extensions: creation, creation-with-upload, termination, expiration, checksum.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from email.utils import format_datetime
from typing import Any

from fastapi import Request

from qmintake.problems import Problem

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum"
CHECKSUM_ALGORITHMS = ("sha1", "sha256")
OCTET = "application/offset+octet-stream"
READ_CHUNK = 1024 * 1024
BATCH = 2 * 1024 * 1024
_KEY = re.compile(r"^[A-Za-z0-9._~-]{1,64}$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


async def tus_headers(request: Request) -> None:
    """Dependency: every tus request but OPTIONS names protocol version 1.0.0 (async: a
    header looked at needs no trip to a worker thread)."""
    if request.headers.get("tus-resumable") != TUS_VERSION:
        raise Problem(
            "tus-version-unsupported",
            f"send Tus-Resumable: {TUS_VERSION}",
            {"Tus-Version": TUS_VERSION, "Tus-Resumable": TUS_VERSION},
        )


def _h(name: str, description: str, required: bool = True) -> dict[str, Any]:
    return {
        "in": "header",
        "name": name,
        "required": required,
        "schema": {"type": "string"},
        "description": description,
    }


_RESUMABLE = _h("Tus-Resumable", "always 1.0.0")
_AUTH = _h("Authorization", "Bearer <token issued by the office>")
DOC_CREATE = {
    "parameters": [
        _RESUMABLE,
        _AUTH,
        _h("Upload-Length", "the file's size in bytes"),
        _h(
            "Upload-Metadata",
            "comma-separated `key base64(value)`: sha256 (required), filename, filetype, "
            "submission",
        ),
        _h("Content-Type", "application/offset+octet-stream with a first chunk", False),
    ],
    "responses": {"201": {"description": "created; Location, Upload-Expires[, Upload-Offset]"}},
}
DOC_HEAD = {
    "parameters": [_RESUMABLE, _AUTH],
    "responses": {
        "200": {"description": "Upload-Offset, Upload-Length, Upload-Metadata, Upload-Expires"}
    },
}
DOC_PATCH = {
    "parameters": [
        _RESUMABLE,
        _AUTH,
        _h("Upload-Offset", "the server's current offset (from HEAD)"),
        _h("Content-Type", "application/offset+octet-stream"),
        _h("Upload-Checksum", "`sha1|sha256 base64(digest of this body)`", False),
    ],
    "requestBody": {
        "content": {OCTET: {"schema": {"type": "string", "format": "binary"}}},
        "required": True,
    },
    "responses": {"204": {"description": "stored; the new Upload-Offset"}},
}
DOC_DELETE = {"parameters": [_RESUMABLE, _AUTH]}


def http_date(t: dt.datetime) -> str:
    return format_datetime(t.astimezone(dt.UTC), usegmt=True)


def parse_metadata(header: str) -> dict[str, str]:
    """``key base64,key base64`` → dict; raises ``upload-metadata-invalid``."""
    out: dict[str, str] = {}
    if not header.strip():
        return out
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        key = parts[0]
        if not _KEY.match(key) or len(parts) > 2 or key in out:
            raise Problem("upload-metadata-invalid", f"bad Upload-Metadata pair {pair.strip()!r}")
        value = ""
        if len(parts) == 2:
            try:
                value = base64.b64decode(parts[1], validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                raise Problem(
                    "upload-metadata-invalid", f"the value of {key!r} is not base64 of UTF-8"
                ) from None
        out[key] = value
    return out


def safe_filename(name: str) -> str:
    """The last path component of a client's file name; refuses tricks."""
    base = re.split(r"[/\\]", name)[-1].strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in name) or base in (".", "..") or ".." in name:
        raise Problem("upload-metadata-invalid", f"file name {name!r} is not allowed")
    if len(base) > 255:
        raise Problem("upload-metadata-invalid", "file name longer than 255 characters")
    return base


def int_header(request: Request, name: str, code: str) -> int:
    raw = request.headers.get(name, "")
    if not raw.isdigit() or len(raw) > 19:
        raise Problem(code, f"{name} must be a whole number of bytes, got {raw!r}")
    return int(raw)


def checksum_of(request: Request) -> tuple[Any, bytes] | None:
    """``Upload-Checksum`` → (a fresh hasher of that algorithm, the expected digest)."""
    raw = request.headers.get("upload-checksum")
    if raw is None:
        return None
    alg, _, b64 = raw.strip().partition(" ")
    if alg not in CHECKSUM_ALGORITHMS:
        raise Problem(
            "checksum-algorithm-unsupported",
            f"Upload-Checksum algorithm {alg!r}; supported: {', '.join(CHECKSUM_ALGORITHMS)}",
        )
    try:
        want = base64.b64decode(b64, validate=True)
    except binascii.Error:
        raise Problem("checksum-algorithm-unsupported", "Upload-Checksum is not base64") from None
    return hashlib.new(alg), want
