"""The console's reminders: the office's mail account, then select → preview → send, and
each unit's reminder log.  Thin JSON routes over :mod:`qmintake.office.reminders`.

``make_router(office_user, roster)``: ``office_user`` is the console's "who is signed in"
dependency (for forms it also checks the CSRF token), ``roster`` gives a campaign's
expected units.  The password is write-only: no route ever returns it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from qmclient.core.rollup import ExpectedUnit
from qmclient.core.work import QmError
from qmclient.export.smtp import SmtpSettings
from qmintake.office import reminders as rem
from qmintake.office.smtpaccount import load_account, save_account
from qmintake.problems import Problem
from qmintake.settings import IntakeState

RosterFn = Callable[[IntakeState, str], list[ExpectedUnit]]


class SmtpForm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: Annotated[str, Field(min_length=1, max_length=253)]
    port: Annotated[int, Field(ge=1, le=65535)] = 465
    security: Literal["ssl", "starttls", "none"] = "ssl"
    username: Annotated[str, Field(max_length=320)] = ""
    sender: Annotated[str, Field(max_length=320)] = ""
    per_minute: Annotated[int, Field(ge=1, le=600)] = 20
    timeout: Annotated[float, Field(gt=0, le=300)] = 60.0
    password: Annotated[str | None, Field(max_length=1000)] = None  # None/"": keep the old one


class Selection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    district: Annotated[str, Field(max_length=64)] = ""  # "" = every district
    unit_keys: list[Annotated[str, Field(max_length=64)]] | None = None  # None = all selected
    only_not_reported: bool = True
    batch_id: Annotated[str, Field(max_length=64, pattern=r"^[0-9a-f]{32}$")] | None = None


def select_targets(
    st: IntakeState, campaign_id: str, roster: list[ExpectedUnit], sel: Selection
) -> list[rem.ReminderTarget]:
    """The units a selection names: e.g. all not yet reported in 历下区."""
    units = (
        rem.not_yet_reported(st, campaign_id, roster, sel.district)
        if sel.only_not_reported
        else [u for u in roster if not sel.district or u.district == sel.district]
    )
    targets = rem.targets_from_roster(units)
    if sel.unit_keys is not None:
        keys = set(sel.unit_keys)
        targets = [t for t in targets if t.unit_key in keys]
    return targets


def _not_sent(items: list[rem.NotSent]) -> list[dict[str, Any]]:
    return [{**asdict(n.target), "reason_zh": n.zh, "reason_en": n.en} for n in items]


def make_router(office_user: Callable[..., Any], roster: RosterFn) -> APIRouter:
    router = APIRouter(prefix="/console", dependencies=[Depends(office_user)])

    @router.get("/settings/smtp", summary="The office's mail account (never the password)")
    def smtp_show(request: Request) -> dict[str, Any]:
        loaded = load_account(request.app.state.intake)
        return {"account": loaded[0].public() if loaded else None}

    @router.post("/settings/smtp", summary="Set the office's mail account")
    def smtp_set(form: SmtpForm, request: Request) -> dict[str, Any]:
        settings = SmtpSettings(
            form.host, form.port, form.security, form.username, form.sender, form.timeout
        )
        try:
            account = save_account(
                request.app.state.intake, settings, form.password or None, form.per_minute
            )
        except QmError as exc:
            raise Problem("invalid-request", exc.message_en) from None
        return {"account": account.public()}

    @router.post("/campaigns/{campaign_id}/reminders/preview", summary="Preview reminders")
    def preview(campaign_id: str, sel: Selection, request: Request) -> dict[str, Any]:
        st: IntakeState = request.app.state.intake
        targets = select_targets(st, campaign_id, roster(st, campaign_id), sel)
        try:
            drafts = rem.preview(st, campaign_id, targets)
        except QmError as exc:
            raise Problem("campaign-unknown", exc.message_en) from None
        return {
            "batch_id": sel.batch_id or rem.new_batch_id(),
            "reminders": [
                {**asdict(d.target), "subject": d.subject, "body": d.body} for d in drafts
            ],
        }

    @router.post("/campaigns/{campaign_id}/reminders/send", summary="Send (or resume) a batch")
    async def send(campaign_id: str, sel: Selection, request: Request) -> dict[str, Any]:
        st: IntakeState = request.app.state.intake
        if sel.batch_id is None:
            raise Problem("invalid-request", "preview first: send the batch_id it gave")
        targets = select_targets(st, campaign_id, roster(st, campaign_id), sel)
        try:
            result = await run_in_threadpool(rem.send_batch, st, campaign_id, targets, sel.batch_id)
        except QmError as exc:
            raise Problem("invalid-request", exc.message_en) from None
        return {
            "batch_id": result.batch_id,
            "sent": [asdict(t) for t in result.sent],
            "already_sent": [asdict(t) for t in result.already_sent],
            "not_sent": _not_sent(result.not_sent),
            "uncertain": _not_sent(result.uncertain),
        }

    @router.get("/campaigns/{campaign_id}/reminders/log", summary="Each unit's reminders")
    def log(campaign_id: str, request: Request) -> dict[str, Any]:
        entries = rem.reminder_log(request.app.state.intake, campaign_id)
        return {
            "units": {
                key: [{**asdict(e), "at": e.at.isoformat()} for e in items]
                for key, items in entries.items()
            }
        }

    return router
