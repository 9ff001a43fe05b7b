"""The campaigns page (list, upload a campaign file) and each campaign's dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from qmclient.core.campaign import Campaign, CampaignError
from qmintake import dashboard
from qmintake.campaigns import read_campaign_text, store_campaign
from qmintake.console.accounts import audit
from qmintake.console.auth import Admin, ConsoleRefused, Viewer, client_address
from qmintake.console.pages import render
from qmintake.office.reminders import reminder_log
from qmintake.settings import IntakeState

router = APIRouter(prefix="/console", include_in_schema=False)
PAGE_ROWS = 500


def campaign_or_404(st: IntakeState, campaign_id: str) -> Campaign:
    served = st.campaigns.get(campaign_id)
    if served is None:
        raise ConsoleRefused(
            404,
            f"没有活动“{campaign_id}”。请从活动列表中选择。",
            f"There is no campaign {campaign_id!r}; choose one from the list.",
        )
    return served.campaign


def board_for(request: Request, campaign: Campaign) -> dashboard.Dashboard:
    """The campaign's dashboard: kept between requests and brought up to date (only the
    submissions changed since are read again; all of it when the roster changed)."""
    st: IntakeState = request.app.state.intake
    cache: dict[str, dashboard.Dashboard] = request.app.state.console_boards
    with request.app.state.console_boards_lock:  # one request brings it up to date at a time
        cached = cache.get(campaign.id)
        if cached is None or cached.campaign is not campaign:
            board = dashboard.build(st.db, campaign)
        else:
            board = dashboard.refresh(st.db, cached)
        cache[campaign.id] = board
    return board


@router.get("/campaigns")
async def campaigns_page(request: Request, user: Viewer) -> Response:
    st: IntakeState = request.app.state.intake
    return render(request, "campaigns.html", campaigns=st.campaigns.all(), now=st.now())


@router.post("/campaigns")
async def upload_campaign(
    request: Request,
    user: Admin,
    file: Annotated[UploadFile, File()],
    prefix: Annotated[str, Form()] = "",
) -> Response:
    st: IntakeState = request.app.state.intake
    data = await file.read(1_000_001)
    name = (file.filename or "campaign")[-200:]
    try:
        campaign, text = read_campaign_text(data, name)
    except CampaignError as exc:
        return render(
            request,
            "campaigns.html",
            http_status=422,
            campaigns=st.campaigns.all(),
            now=st.now(),
            error=exc,
        )
    prefix = prefix.strip().upper()[:20]
    await run_in_threadpool(store_campaign, st.db, campaign, text, name, prefix, user.name)
    st.reload_campaigns()
    await run_in_threadpool(
        audit, st.db, user.name, "campaign-import", campaign.id, name, client_address(request)
    )
    return RedirectResponse(f"/console/campaigns/{campaign.id}", status_code=303)


@router.get("/campaigns/{campaign_id}")
async def dashboard_page(
    request: Request,
    user: Viewer,
    campaign_id: str,
    q: str = "",
    district: str = "",
    kind: str = "",
    status: str = "",
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    board = await run_in_threadpool(board_for, request, campaign)
    lines = dashboard.search(board, q[:200], district, kind, status)
    reminded = await run_in_threadpool(reminder_log, st, campaign.id)
    return render(
        request,
        "dashboard.html",
        campaign=campaign,
        board=board,
        lines=lines[:PAGE_ROWS],
        reminded=reminded,
        total=len(lines),
        page_rows=PAGE_ROWS,
        q=q,
        district=district,
        kind=kind,
        status=status,
        statuses=dashboard.STATUSES,
        countdown=dashboard.countdown(campaign, st.now()),
        districts={d.id: d for d in campaign.districts},
        kinds={k.id: k for k in campaign.submitter_kinds},
    )
