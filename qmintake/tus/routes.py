"""The tus endpoints: OPTIONS, POST (create), HEAD, PATCH, DELETE under /api/v1/uploads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from qmintake.auth import UnitInfo, authenticate
from qmintake.problems import Problem
from qmintake.responses import PROBLEM_RESPONSES
from qmintake.settings import IntakeState
from qmintake.tus import engine
from qmintake.tus.protocol import (
    CHECKSUM_ALGORITHMS,
    DOC_CREATE,
    DOC_DELETE,
    DOC_HEAD,
    DOC_PATCH,
    EXTENSIONS,
    OCTET,
    SHA256_HEX,
    TUS_VERSION,
    http_date,
    int_header,
    parse_metadata,
    safe_filename,
    tus_headers,
)

router = APIRouter(prefix="/api/v1/uploads", responses=PROBLEM_RESPONSES)
TusVersion = Annotated[None, Depends(tus_headers)]
Auth = Annotated[UnitInfo, Depends(authenticate)]


def _state(request: Request) -> IntakeState:
    st: IntakeState = request.app.state.intake
    return st


@router.options("/", include_in_schema=False)
@router.options("/{upload_id}", include_in_schema=False)
def options(request: Request) -> Response:
    st = _state(request)
    max_size = min(st.settings.max_upload_bytes, st.campaigns.max_file_bytes())
    return Response(
        status_code=204,
        headers={
            "Tus-Resumable": TUS_VERSION,
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": EXTENSIONS,
            "Tus-Max-Size": str(max_size),
            "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
        },
    )


@router.post("", status_code=201, include_in_schema=False)
@router.post(
    "/",
    status_code=201,
    summary="tus: create an upload (creation, creation-with-upload)",
    openapi_extra=DOC_CREATE,
)
async def create(request: Request, _v: TusVersion, unit: Auth) -> Response:
    st = _state(request)
    if "upload-defer-length" in request.headers:
        raise Problem("upload-length-invalid", "Upload-Defer-Length is not supported")
    length = int_header(request, "upload-length", "upload-length-invalid")
    max_size = min(st.settings.max_upload_bytes, st.campaigns.max_file_bytes())
    if length > max_size:
        raise Problem("upload-too-large", f"{length} bytes is over the limit of {max_size}")
    header = request.headers.get("upload-metadata", "")
    meta = parse_metadata(header)
    sha = meta.get("sha256", "").lower()
    if not SHA256_HEX.match(sha):
        raise Problem("upload-metadata-invalid", "Upload-Metadata needs sha256 (64 hex digits)")
    if "filename" in meta:
        meta["filename"] = safe_filename(meta["filename"])
    has_body = request.headers.get("content-length", "0") != "0" or (
        "chunked" in request.headers.get("transfer-encoding", "")
    )
    with_body = request.headers.get("content-type", "").startswith(OCTET) and has_body
    # with a body, the upload's lease is taken as it is made (one transaction for both)
    row, lease = await run_in_threadpool(
        engine.create_row, st, unit, sha, length, meta, header, with_body
    )
    location = f"{request.base_url}api/v1/uploads/{row.id}"
    headers = {
        "Location": location,
        "Tus-Resumable": TUS_VERSION,
        "Upload-Expires": http_date(row.expires_at),
    }
    if lease is not None:
        offset, expires = await engine.write(st, request, row, 0, lease)
        headers["Upload-Offset"] = str(offset)
        headers["Upload-Expires"] = http_date(expires)
    return Response(status_code=201, headers=headers)


@router.head("/{upload_id}", summary="tus: the offset to resume from", openapi_extra=DOC_HEAD)
async def head(upload_id: str, request: Request, _v: TusVersion, unit: Auth) -> Response:
    st = _state(request)
    row = await run_in_threadpool(engine.load, st, unit, upload_id)
    headers = {
        "Tus-Resumable": TUS_VERSION,
        "Upload-Offset": str(engine.offset_of(st, row)),
        "Upload-Length": str(row.length),
        "Cache-Control": "no-store",
    }
    if row.metadata_header:
        headers["Upload-Metadata"] = row.metadata_header
    if row.state == "open":
        headers["Upload-Expires"] = http_date(row.expires_at)
    return Response(status_code=200, headers=headers)


@router.patch(
    "/{upload_id}",
    status_code=204,
    summary="tus: append bytes at Upload-Offset",
    openapi_extra=DOC_PATCH,
)
async def patch(upload_id: str, request: Request, _v: TusVersion, unit: Auth) -> Response:
    st = _state(request)
    if not request.headers.get("content-type", "").startswith(OCTET):
        raise Problem("upload-content-type", f"Content-Type must be {OCTET}")
    offset = int_header(request, "upload-offset", "upload-offset-invalid")
    row = await run_in_threadpool(engine.load, st, unit, upload_id)
    new_offset, expires = await engine.write(st, request, row, offset)
    headers = {"Tus-Resumable": TUS_VERSION, "Upload-Offset": str(new_offset)}
    if new_offset < row.length:
        headers["Upload-Expires"] = http_date(expires)
    return Response(status_code=204, headers=headers)


@router.delete(
    "/{upload_id}", status_code=204, summary="tus: terminate an upload", openapi_extra=DOC_DELETE
)
async def delete(upload_id: str, request: Request, _v: TusVersion, unit: Auth) -> Response:
    await run_in_threadpool(engine.terminate, _state(request), unit, upload_id)
    return Response(status_code=204, headers={"Tus-Resumable": TUS_VERSION})
