"""The roster pages: import with a preview, edit, issue tokens, handouts, revoke."""

from __future__ import annotations

import base64
import contextlib
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from qmclient.core.campaign import Campaign
from qmintake import roster
from qmintake.auth import revoke_tokens
from qmintake.console.accounts import audit
from qmintake.console.auth import Admin, ConsoleRefused, Viewer, client_address
from qmintake.console.pages import render
from qmintake.console.routes_campaigns import campaign_or_404
from qmintake.handout import compact, qmconnect, qmconnect_bytes, qr_svg
from qmintake.settings import IntakeState

router = APIRouter(prefix="/console/campaigns/{campaign_id}/roster", include_in_schema=False)
PREVIEW_ROWS = 200


PENDING_FOR_S = 24 * 3600  # a preview not imported within a day is forgotten


def _pending_dir(st: IntakeState) -> Path:
    """Uploaded rosters between their preview and their import."""
    d = st.settings.data_dir / "console-pending"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _forget_old_previews(folder: Path) -> None:
    import time

    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > PENDING_FOR_S:
                path.unlink()


def _roster_page(
    request: Request, st: IntakeState, campaign: Campaign, status: int = 200, **ctx: object
) -> Response:
    place = {d.id: i for i, d in enumerate(campaign.districts)}
    entries = sorted(
        roster.roster_entries(st.db, campaign.id),
        key=lambda e: (place.get(e.unit.district, -1), e.unit.kind, e.unit.name),
    )
    return render(
        request,
        "roster.html",
        http_status=status,
        campaign=campaign,
        entries=entries,
        districts={d.id: d for d in campaign.districts},
        kinds={k.id: k for k in campaign.submitter_kinds},
        endpoint=str(request.base_url).rstrip("/"),
        **ctx,
    )


@router.get("")
def roster_page(request: Request, user: Viewer, campaign_id: str) -> Response:
    st: IntakeState = request.app.state.intake
    return _roster_page(
        request, st, campaign_or_404(st, campaign_id), done=request.query_params.get("done", "")
    )


@router.post("/preview")
def roster_preview(
    request: Request,
    user: Admin,
    campaign_id: str,
    file: Annotated[UploadFile, File()],
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    data = file.file.read(roster.MAX_FILE_BYTES + 1)
    name = (file.filename or "roster")[-200:]
    try:
        preview = roster.read_roster(data, name, campaign)
    except roster.RosterFileError as exc:
        return _roster_page(request, st, campaign, status=422, file_error=exc)
    _forget_old_previews(_pending_dir(st))
    pending = secrets.token_hex(16)
    (_pending_dir(st) / f"{pending}.{campaign.id}").write_bytes(data)
    (_pending_dir(st) / f"{pending}.name").write_text(name, encoding="utf-8")
    return render(
        request,
        "roster_preview.html",
        campaign=campaign,
        preview=preview,
        rows=preview.lines[:PREVIEW_ROWS],
        shown=PREVIEW_ROWS,
        pending=pending,
        filename=name,
        districts={d.id: d for d in campaign.districts},
        kinds={k.id: k for k in campaign.submitter_kinds},
        problems=preview.problems[:1000],
        field_names=roster.FIELD_ZH,
    )


@router.post("/apply")
def roster_apply(
    request: Request,
    user: Admin,
    campaign_id: str,
    pending: Annotated[str, Form()] = "",
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    if not pending.isalnum():
        raise ConsoleRefused(400, "导入请求不完整，请重新选择文件。", "Choose the file again.")
    path = _pending_dir(st) / f"{pending}.{campaign.id}"
    name_path = _pending_dir(st) / f"{pending}.name"
    if not path.is_file():
        raise ConsoleRefused(
            410,
            "这次预览已经导入或已过期，请重新选择名单文件。",
            "This preview was imported already or has expired; choose the roster file again.",
        )
    name = name_path.read_text(encoding="utf-8") if name_path.is_file() else "roster"
    preview = roster.read_roster(path.read_bytes(), name, campaign)
    path.unlink(missing_ok=True)
    name_path.unlink(missing_ok=True)
    good = preview.good_lines
    added, updated = roster.apply_roster(st.db, campaign.id, good)
    audit(
        st.db,
        user.name,
        "roster-import",
        campaign.id,
        f"{name}: {added} added, {updated} updated, {len(preview.bad_rows)} rows skipped",
        client_address(request),
    )
    return RedirectResponse(
        f"/console/campaigns/{campaign.id}/roster?done=import-{added}-{updated}-"
        f"{len(preview.bad_rows)}",
        status_code=303,
    )


def _handouts(
    request: Request,
    st: IntakeState,
    campaign: Campaign,
    endpoint: str,
    issued: list[tuple[roster.RosterEntry, str]],
) -> Response:
    pages = []
    for entry, token in issued:
        doc = qmconnect(endpoint, token, campaign, entry.unit)
        pages.append(
            {
                "entry": entry,
                "token": token,
                "qr": qr_svg(compact(doc)),
                "file": base64.b64encode(qmconnect_bytes(doc)).decode("ascii"),
                "filename": f"{entry.unit.name}.qmconnect",
            }
        )
    return render(
        request,
        "handout.html",
        campaign=campaign,
        pages=pages,
        endpoint=endpoint,
        districts={d.id: d for d in campaign.districts},
    )


def _endpoint(request: Request, given: str) -> str:
    given = given.strip().rstrip("/")
    if given.startswith(("https://", "http://")) and len(given) < 300:
        return given
    return str(request.base_url).rstrip("/")


@router.post("/tokens")
def issue_tokens(
    request: Request,
    user: Admin,
    campaign_id: str,
    endpoint: Annotated[str, Form()] = "",
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    issued = roster.issue_roster_tokens(st.db, campaign.id)
    audit(
        st.db,
        user.name,
        "tokens-issue",
        campaign.id,
        f"{len(issued)} unit(s)",
        client_address(request),
    )
    return _handouts(request, st, campaign, _endpoint(request, endpoint), issued)


@router.post("/{unit_id}/reissue")
def reissue(
    request: Request,
    user: Admin,
    campaign_id: str,
    unit_id: int,
    endpoint: Annotated[str, Form()] = "",
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    issued = roster.issue_roster_tokens(st.db, campaign.id, [unit_id], reissue=True)
    if not issued:
        raise ConsoleRefused(404, "名单中没有这个单位。", "That unit is not on the roster.")
    audit(
        st.db,
        user.name,
        "token-reissue",
        f"unit {unit_id}",
        issued[0][0].unit.name,
        client_address(request),
    )
    return _handouts(request, st, campaign, _endpoint(request, endpoint), issued)


@router.post("/{unit_id}/revoke")
def revoke(
    request: Request,
    user: Admin,
    campaign_id: str,
    unit_id: int,
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    n = revoke_tokens(st.db, unit_id)
    audit(
        st.db,
        user.name,
        "token-revoke",
        f"unit {unit_id}",
        f"{n} token(s)",
        client_address(request),
    )
    return RedirectResponse(
        f"/console/campaigns/{campaign.id}/roster?done=revoked", status_code=303
    )


def _entry(st: IntakeState, campaign: Campaign, unit_id: int) -> roster.RosterEntry:
    found = [e for e in roster.roster_entries(st.db, campaign.id) if e.unit.id == unit_id]
    if not found:
        raise ConsoleRefused(404, "名单中没有这个单位。", "That unit is not on the roster.")
    return found[0]


@router.get("/{unit_id}")
def edit_form(
    request: Request,
    user: Admin,
    campaign_id: str,
    unit_id: int,
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    entry = _entry(st, campaign, unit_id)
    return render(
        request,
        "roster_edit.html",
        campaign=campaign,
        entry=entry,
        problems=[],
        line=roster.RosterLine(
            0,
            entry.unit.name,
            entry.unit.kind,
            entry.unit.district,
            entry.unit.credit_code,
            entry.contact_person,
            entry.phone,
            entry.email,
        ),
    )


@router.post("/{unit_id}")
def edit_save(
    request: Request,
    user: Admin,
    campaign_id: str,
    unit_id: int,
    name: Annotated[str, Form()] = "",
    district: Annotated[str, Form()] = "",
    credit_code: Annotated[str, Form()] = "",
    contact_person: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    entry = _entry(st, campaign, unit_id)
    line = roster.RosterLine(
        1,
        name.strip()[:500],
        entry.unit.kind,
        district.strip(),
        credit_code.strip(),
        contact_person.strip()[:100],
        phone.strip()[:40],
        email.strip()[:200],
    )
    problems = roster.check_line(line, campaign)
    if problems:
        return render(
            request,
            "roster_edit.html",
            http_status=422,
            campaign=campaign,
            entry=entry,
            line=line,
            problems=problems,
        )
    roster.edit_entry(st.db, campaign.id, unit_id, line)
    audit(st.db, user.name, "roster-edit", f"unit {unit_id}", line.name, client_address(request))
    return RedirectResponse(f"/console/campaigns/{campaign.id}/roster?done=edited", status_code=303)


@router.post("/{unit_id}/remove")
def remove(
    request: Request,
    user: Admin,
    campaign_id: str,
    unit_id: int,
) -> Response:
    st: IntakeState = request.app.state.intake
    campaign = campaign_or_404(st, campaign_id)
    entry = _entry(st, campaign, unit_id)
    roster.remove_entry(st.db, campaign.id, unit_id)
    audit(
        st.db,
        user.name,
        "roster-remove",
        f"unit {unit_id}",
        entry.unit.name,
        client_address(request),
    )
    return RedirectResponse(
        f"/console/campaigns/{campaign.id}/roster?done=removed", status_code=303
    )
