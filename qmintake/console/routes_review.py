"""A report's page and the review actions (accept, return with a comment, note), and
the received files: originals with HTTP range requests, photo thumbnails."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response, StreamingResponse

from qmintake import review
from qmintake.console.accounts import OfficeUser, audit
from qmintake.console.auth import ConsoleRefused, Reviewer, Viewer, client_address
from qmintake.console.downloads import byte_range
from qmintake.console.errors import refused_from
from qmintake.console.media import media_file, stored_size, stream, thumbnail
from qmintake.console.pages import render
from qmintake.console.routes_campaigns import campaign_or_404
from qmintake.problems import Problem
from qmintake.settings import IntakeState

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/campaigns/{campaign_id}/submissions/{uuid}")
def report_page(
    request: Request,
    user: Viewer,
    campaign_id: str,
    uuid: str,
    revision: int | None = None,
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    try:
        view = review.review_view(st, uuid[:64], campaign.id, revision)
    except Problem as exc:
        raise refused_from(exc) from None
    report = view.report
    media = report.get("media", [])
    by_activity: dict[str, list[dict[str, object]]] = {}
    for m in media:
        by_activity.setdefault(str(m.get("activity_id") or ""), []).append(m)
    areas = []
    for area in campaign.focus_areas:
        acts = [a for a in report.get("activities", []) if a.get("focus_area") == area.id]
        if acts:
            areas.append((area, acts))
    known = {a.id for a in campaign.focus_areas}
    other = [a for a in report.get("activities", []) if a.get("focus_area") not in known]
    return render(
        request,
        "report.html",
        campaign=campaign,
        view=view,
        report=report,
        sub=view.submission,
        areas=areas,
        other=other,
        by_activity=by_activity,
        media=media,
        have={
            m["sha256"]: stored_size(st, m["sha256"]) is not None
            for m in media
            if isinstance(m.get("sha256"), str)
        },
        districts={d.id: d for d in campaign.districts},
        kinds={k.id: k for k in campaign.submitter_kinds},
        done=request.query_params.get("done", ""),
    )


def _act(
    request: Request, campaign_id: str, uuid: str, user: OfficeUser, action: str, text: str
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    try:
        if action == "note":
            review.add_note(st, uuid, campaign.id, user.name, text)
        else:
            review.decide(st, uuid, campaign.id, action, text[:4000])
    except Problem as exc:
        raise refused_from(exc) from None
    audit(
        st.db, user.name, f"submission-{action}", uuid.lower(), text[:500], client_address(request)
    )
    return RedirectResponse(
        f"/console/campaigns/{campaign.id}/submissions/{uuid.lower()}?done={action}",
        status_code=303,
    )


@router.post("/campaigns/{campaign_id}/submissions/{uuid}/accept")
def accept(
    request: Request,
    user: Reviewer,
    campaign_id: str,
    uuid: str,
) -> Response:
    return _act(request, campaign_id, uuid, user, "accepted", "")


@router.post("/campaigns/{campaign_id}/submissions/{uuid}/return")
def send_back(
    request: Request,
    user: Reviewer,
    campaign_id: str,
    uuid: str,
    comment: Annotated[str, Form()] = "",
) -> Response:
    return _act(request, campaign_id, uuid, user, "returned", comment)


@router.post("/campaigns/{campaign_id}/submissions/{uuid}/note")
def note(
    request: Request,
    user: Reviewer,
    campaign_id: str,
    uuid: str,
    text: Annotated[str, Form()] = "",
) -> Response:
    return _act(request, campaign_id, uuid, user, "note", text)


def _not_found() -> ConsoleRefused:
    return ConsoleRefused(
        404,
        "服务器上没有这个文件（可能尚未上传完成）。",
        "The server does not have this file (perhaps not uploaded yet).",
    )


@router.get("/media/{sha256}")
def original(request: Request, user: Viewer, sha256: str, type: str = "") -> Response:
    st = request.app.state.intake
    media_type = (
        type
        if type
        in ("image/jpeg", "image/png", "video/mp4", "video/quicktime", "image/webp", "image/heic")
        else "application/octet-stream"
    )
    cache = {"Cache-Control": "private, max-age=86400"}
    path = media_file(st, sha256)
    if path is not None:  # the data folder: the operating system sends the file
        return FileResponse(path, media_type=media_type, headers=cache)
    size = stored_size(st, sha256)
    if size is None:
        raise _not_found()
    # a bucket: streamed from the store, with the range a video player asks for
    headers = {**cache, "Accept-Ranges": "bytes"}
    try:
        wanted = byte_range(request.headers.get("range"), size)
    except ValueError:
        return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
    if wanted is None:
        first, last, status = 0, size - 1, 200
    else:
        (first, last), status = wanted, 206
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    headers["Content-Length"] = str(last - first + 1)
    return StreamingResponse(
        stream(st, sha256, first, last) if size else iter(()),
        status_code=status,
        media_type=media_type,
        headers=headers,
    )


@router.get("/media/{sha256}/thumb")
def thumb(request: Request, user: Viewer, sha256: str) -> Response:
    path = thumbnail(request.app.state.intake, sha256)
    if path is None:
        raise _not_found()
    return FileResponse(
        path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"}
    )
