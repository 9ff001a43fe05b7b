"""The JSON routes of ``/api/v1``: discovery, campaigns, who-am-I and submissions."""

from __future__ import annotations

import uuid as uuidlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from qmintake import PROTOCOL_VERSION, __version__
from qmintake.auth import UnitInfo, authenticate
from qmintake.problems import Problem
from qmintake.receipts import iso_utc
from qmintake.responses import PROBLEM_RESPONSES
from qmintake.settings import IntakeState
from qmintake.submissions import (
    ManifestItem,
    finalise,
    get_submission,
    list_submissions,
    put_submission,
)
from qmintake.tus import CHECKSUM_ALGORITHMS, EXTENSIONS, TUS_VERSION
from qmintake.visibility import submissions_etag

SHA256 = r"^[0-9a-f]{64}$"
router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Auth = Annotated[UnitInfo, Depends(authenticate)]


def state_of(request: Request) -> IntakeState:
    st: IntakeState = request.app.state.intake
    return st


def _uuid(value: str) -> str:
    try:
        return str(uuidlib.UUID(value))
    except ValueError:
        raise Problem("invalid-request", f"{value!r} is not a UUID") from None


class MediaEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sha256: Annotated[StrictStr, Field(pattern=SHA256)]
    size: Annotated[StrictInt, Field(ge=0)]
    media_type: Annotated[StrictStr, Field(max_length=100)]


class SubmissionPut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    revision: Annotated[StrictInt, Field(ge=1)]
    campaign_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    report: dict[str, Any]
    report_sha256: Annotated[StrictStr | None, Field(pattern=SHA256)] = None
    media: list[MediaEntry]


class FinaliseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    revision: Annotated[StrictInt, Field(ge=1)]
    report_sha256: Annotated[StrictStr, Field(pattern=SHA256)]


@router.get("", summary="Discovery: server time, protocol version, tus endpoint, campaigns")
def discovery(request: Request) -> dict[str, Any]:
    st = state_of(request)
    base = str(request.base_url)
    max_size = min(st.settings.max_upload_bytes, st.campaigns.max_file_bytes())
    return {
        "service": "qmintake",
        "server_version": __version__,
        "protocol_version": PROTOCOL_VERSION,
        "server_time": iso_utc(st.now()),
        "tus": {
            "endpoint": st.settings.tus_endpoint or f"{base}api/v1/uploads/",
            "version": TUS_VERSION,
            "extensions": EXTENSIONS.split(","),
            "checksum_algorithms": list(CHECKSUM_ALGORITHMS),
            "max_size": max_size,
            "expires_after_s": int(st.settings.upload_expiry.total_seconds()),
        },
        "limits": {
            "max_json_bytes": st.settings.max_json_bytes,
            "max_file_bytes": max_size,
            "max_media_per_submission": st.settings.max_media_per_submission,
        },
        "receipt_key": st.signer.public(),
        "campaigns": [
            {
                "id": s.campaign.id,
                "title": s.campaign.title,
                "due": s.campaign.due.isoformat(),
                "timezone": s.campaign.timezone,
                "late_policy": s.campaign.late_policy,
                "url": f"{base}api/v1/campaigns/{s.campaign.id}",
            }
            for s in st.campaigns.all()
        ],
    }


@router.get("/campaigns/{campaign_id}", summary="The campaign definition (Campaign.raw)")
def campaign(campaign_id: str, request: Request) -> Response:
    served = state_of(request).campaigns.get(campaign_id)
    if served is None:
        raise Problem("campaign-not-found", f"this server does not serve campaign {campaign_id!r}")
    headers = {"ETag": served.etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == served.etag:
        return Response(status_code=304, headers=headers)
    return JSONResponse(served.campaign.raw, headers=headers)


@router.get("/whoami", summary="The unit of the bearer token")
def whoami(unit: Auth) -> dict[str, Any]:
    return unit.to_dict()


@router.put("/submissions/{uuid}", summary="Put a submission revision (idempotent)")
def put(uuid: str, body: SubmissionPut, request: Request, unit: Auth) -> JSONResponse:
    status, answer = put_submission(
        state_of(request),
        unit,
        _uuid(uuid),
        body.revision,
        body.campaign_id,
        body.report,
        body.report_sha256,
        [ManifestItem(m.sha256, m.size, m.media_type) for m in body.media],
    )
    st = state_of(request)
    answer["upload_url"] = st.settings.tus_endpoint or f"{request.base_url}api/v1/uploads/"
    return JSONResponse(answer, status_code=status)


@router.post("/submissions/{uuid}/finalise", summary="Finalise a revision; get the receipt")
def post_finalise(uuid: str, body: FinaliseRequest, request: Request, unit: Auth) -> dict[str, Any]:
    return finalise(state_of(request), unit, _uuid(uuid), body.revision, body.report_sha256)


@router.get("/submissions/{uuid}", summary="Status of one submission")
def get_one(uuid: str, request: Request, unit: Auth) -> dict[str, Any]:
    return get_submission(state_of(request), unit, _uuid(uuid))


@router.get(
    "/submissions",
    summary="The token's submissions (and those its district made for it), newest first",
)
def get_all(request: Request, unit: Auth, campaign_id: str | None = None) -> Response:
    st = state_of(request)
    etag = submissions_etag(st, unit, campaign_id)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return JSONResponse({"submissions": list_submissions(st, unit, campaign_id)}, headers=headers)
