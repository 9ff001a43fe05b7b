"""Hooks for a standard tus server in front of qmintake (tusd, or @tus/server).

When the office moves media to an S3-compatible store behind a standard tus server, that
server takes the bytes and asks qmintake two questions, in tusd's HTTP hook format:

- ``pre-create``: may this bearer token upload a file of this SHA-256 and size?  The
  same rule as qmintake's own tus endpoint (an open submission of the unit lists it).
- ``post-finish``: the upload is complete; qmintake reads it once, checks its SHA-256 and
  type, and records it in its content-addressed store, so finalise sees it.

The endpoint is enabled by ``--hook-secret``; the tus server calls it as
``POST /api/v1/hooks/tusd?secret=…`` (or with ``X-Qmintake-Hook-Secret``).  Files are read
from ``--tus-store-dir`` (tusd's or @tus/server's file store, on a shared volume); an S3
store is not read yet.  Every answer is HTTP 200 with tusd's hook response; a refusal
carries ``RejectUpload`` and an ``HTTPResponse`` with the problem document.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from qmclient.core.filetype import SNIFF_BYTES
from qmintake.auth import unit_from_header
from qmintake.problems import PROBLEMS, Problem
from qmintake.settings import IntakeState
from qmintake.tus import READ_CHUNK, SHA256_HEX, check_listed, check_type, record_blob

router = APIRouter(prefix="/api/v1/hooks", include_in_schema=False)


def _refusal(p: Problem) -> dict[str, Any]:
    status, title, title_zh = PROBLEMS[p.code]
    body = {
        "type": f"urn:qmintake:problem:{p.code}",
        "code": p.code,
        "title": title,
        "title_zh": title_zh,
        "status": status,
        "detail": p.detail or title,
        **p.extra,
    }
    return {
        "RejectUpload": True,
        "HTTPResponse": {
            "StatusCode": status,
            "Body": json.dumps(body, ensure_ascii=False),
            "Header": {"Content-Type": "application/problem+json"},
        },
    }


def _header(event: dict[str, Any], name: str) -> str:
    headers = (event.get("HTTPRequest") or {}).get("Header") or {}
    for key, values in headers.items():
        if key.lower() == name.lower():
            return str(values[0] if isinstance(values, list) and values else values)
    return ""


def _sha_and_size(upload: dict[str, Any]) -> tuple[str, int]:
    meta = upload.get("MetaData") or {}
    sha = str(meta.get("sha256", "")).lower()
    size = upload.get("Size")
    if not SHA256_HEX.match(sha):
        raise Problem("upload-metadata-invalid", "Upload-Metadata needs sha256 (64 hex digits)")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise Problem("upload-length-invalid", "the upload's size is unknown")
    return sha, size


def _pre_create(st: IntakeState, event: dict[str, Any]) -> dict[str, Any]:
    unit = unit_from_header(st.db, _header(event, "Authorization"))
    sha, size = _sha_and_size(event.get("Upload") or {})
    max_size = min(st.settings.max_upload_bytes, st.campaigns.max_file_bytes())
    if size > max_size:
        raise Problem("upload-too-large", f"{size} bytes is over the limit of {max_size}")
    check_listed(st, unit, sha, size)
    return {}


def _post_finish(st: IntakeState, event: dict[str, Any]) -> dict[str, Any]:
    upload = event.get("Upload") or {}
    sha, size = _sha_and_size(upload)
    storage = upload.get("Storage") or {}
    root = st.settings.tus_store_dir
    if storage.get("Type") != "filestore" or root is None:
        raise Problem("invalid-request", "only a file store under --tus-store-dir can be read")
    path = Path(str(storage.get("Path", ""))).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        raise Problem("upload-not-found", "the finished upload is not in the tus store folder")
    if path.stat().st_size != size:
        raise Problem("upload-hash-mismatch", f"the stored file is not {size} bytes")
    sender = unit_from_header(st.db, _header(event, "Authorization"))
    tmp = st.blobs.uploads / f"hook-{uuid.uuid4().hex}.part"
    hasher = hashlib.sha256()
    try:
        with path.open("rb") as src, tmp.open("wb") as dst:
            head = src.read(SNIFF_BYTES)
            media_type = check_type(st, head, sha)
            hasher.update(head)
            dst.write(head)
            while block := src.read(READ_CHUNK):
                hasher.update(block)
                dst.write(block)
            dst.flush()
            os.fsync(dst.fileno())
        if hasher.hexdigest() != sha:
            raise Problem(
                "upload-hash-mismatch",
                f"the file's SHA-256 is {hasher.hexdigest()}, Upload-Metadata said {sha}",
                sha256=hasher.hexdigest(),
            )
        st.blobs.commit(tmp, sha)
    finally:
        tmp.unlink(missing_ok=True)
    record_blob(st, sha, size, media_type, sender=sender.id)
    return {}


HANDLERS = {"pre-create": _pre_create, "post-finish": _post_finish}


@router.post("/tusd")
async def tusd_hook(request: Request) -> dict[str, Any]:
    st: IntakeState = request.app.state.intake
    secret = st.settings.hook_secret
    if not secret:
        raise Problem("not-found", "hooks are not enabled on this server (--hook-secret)")
    given = request.query_params.get("secret") or request.headers.get("x-qmintake-hook-secret")
    if not given or not hmac.compare_digest(given.encode(), secret.encode()):
        raise Problem("token-invalid", "wrong or missing hook secret")
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise Problem("bad-json", "the hook request is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("Event"), dict):
        raise Problem("invalid-request", "expected a tusd hook request {Type, Event}")
    handler = HANDLERS.get(str(body.get("Type")))
    if handler is None:
        return {}  # other events need nothing from us
    try:
        return await run_in_threadpool(handler, st, body["Event"])
    except Problem as p:
        return _refusal(p)
