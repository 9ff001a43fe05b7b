"""The console's downloads: the whole campaign as one zip (resumable with HTTP ranges),
one report as a zip, the roll-up workbook.  Thin routes over :mod:`qmintake.office`.

``make_router(office_user, roster)`` builds the routes: ``office_user`` is the console's
"who is signed in" dependency (it refuses anyone else), ``roster`` gives a campaign's
expected units (``None`` without a roster).  Every route needs a signed-in office user;
a unit's token never opens them.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from qmclient.core.rollup import ExpectedUnit
from qmclient.core.work import QmError
from qmintake.problems import Problem
from qmintake.settings import IntakeState

RosterFn = Callable[[IntakeState, str], list[ExpectedUnit] | None]
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def no_roster(st: IntakeState, campaign_id: str) -> list[ExpectedUnit] | None:
    return None


def attachment(filename: str) -> str:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) of a single ``Range: bytes=…`` request; None for the whole file.
    Raises ``ValueError`` for a range outside the file (answer 416)."""
    m = _RANGE.match((header or "").strip())
    if m is None or (not m.group(1) and not m.group(2)):
        return None
    if not m.group(1):  # the last N bytes
        n = int(m.group(2))
        if n == 0:
            raise ValueError("empty suffix range")
        return max(0, size - n), size - 1
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else size - 1
    if first >= size or last < first:
        raise ValueError("range outside the file")
    return first, min(last, size - 1)


def _cut(chunks: Iterator[bytes], length: int) -> Iterator[bytes]:
    for chunk in chunks:
        if length <= 0:
            return
        if len(chunk) > length:
            chunk = chunk[:length]
        length -= len(chunk)
        yield chunk


def _problem(exc: QmError) -> Problem:
    codes = {
        "campaign-unknown": "campaign-not-found",
        "submission-not-found": "submission-not-found",
        "revision-not-found": "revision-not-found",
    }
    return Problem(codes.get(exc.code, "not-found"), exc.message_en)


def _file_chunks(f: BinaryIO) -> Iterator[bytes]:
    try:
        while block := f.read(1 << 20):
            yield block
    finally:
        f.close()


def make_router(office_user: Callable[..., Any], roster: RosterFn = no_roster) -> APIRouter:
    router = APIRouter(prefix="/console", dependencies=[Depends(office_user)])

    @router.get("/campaigns/{campaign_id}/archive.zip", summary="The whole campaign, one zip")
    async def campaign_archive(campaign_id: str, request: Request) -> Response:
        from qmintake.office.archive import build_archive

        st: IntakeState = request.app.state.intake
        try:
            archive = await run_in_threadpool(
                build_archive, st, campaign_id, roster(st, campaign_id)
            )
        except QmError as exc:
            raise _problem(exc) from None
        headers = {
            "Accept-Ranges": "bytes",
            "ETag": archive.etag,
            "Content-Disposition": attachment(archive.filename),
        }
        wanted: tuple[int, int] | None = None
        if_range = request.headers.get("if-range")
        if if_range is None or if_range.strip() == archive.etag:
            try:
                wanted = byte_range(request.headers.get("range"), archive.size)
            except ValueError:
                headers["Content-Range"] = f"bytes */{archive.size}"
                return Response(status_code=416, headers=headers)
        if wanted is None:
            headers["Content-Length"] = str(archive.size)
            return StreamingResponse(
                archive.zip.stream(0), media_type="application/zip", headers=headers
            )
        first, last = wanted
        headers["Content-Range"] = f"bytes {first}-{last}/{archive.size}"
        headers["Content-Length"] = str(last - first + 1)
        return StreamingResponse(
            _cut(archive.zip.stream(first), last - first + 1),
            status_code=206,
            media_type="application/zip",
            headers=headers,
        )

    @router.get("/campaigns/{campaign_id}/rollup.xlsx", summary="The roll-up workbook")
    async def campaign_rollup(campaign_id: str, request: Request) -> Response:
        from qmintake.rollup import export_bytes

        st: IntakeState = request.app.state.intake
        if st.campaigns.get(campaign_id) is None:
            raise Problem("campaign-not-found", f"this server has no campaign {campaign_id!r}")
        data = await run_in_threadpool(export_bytes, st, campaign_id, roster(st, campaign_id))
        return Response(
            data,
            media_type=XLSX,
            headers={"Content-Disposition": attachment(f"{campaign_id}-汇总表.xlsx")},
        )

    @router.get("/submissions/{uuid}/report.zip", summary="One report: Word, Excel, media")
    async def report_zip(uuid: str, request: Request, revision: int | None = None) -> Response:
        from qmintake.office.reportzip import write_report_zip

        st: IntakeState = request.app.state.intake
        f = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
        try:
            name = await run_in_threadpool(write_report_zip, st, uuid.lower(), f, revision)
        except QmError as exc:
            f.close()
            raise _problem(exc) from None
        size = f.tell()
        f.seek(0)
        return StreamingResponse(
            _file_chunks(f),
            media_type="application/zip",
            headers={"Content-Disposition": attachment(name), "Content-Length": str(size)},
        )

    return router
