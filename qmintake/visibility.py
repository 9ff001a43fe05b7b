"""Which submissions a unit's token may read, and a cheap validator (ETag) of that list.

A token reads the submissions it made; an enterprise's token also reads those its district
made on its behalf, with the office's verdicts on them, so a returned report reaches the
enterprise whoever uploaded it.  Only the maker may add revisions or finalise.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import ColumnElement, and_, func, or_, select

from qmintake.auth import UnitInfo
from qmintake.models import EventRow, SubmissionRow, UnitRow
from qmintake.settings import IntakeState


def visible_to(unit: UnitInfo) -> ColumnElement[bool]:
    """The submissions a token may read: its own, and for an enterprise also those its
    district's token made on its behalf (same credit code; without one, the name the district
    gave the unit in the report)."""
    own = SubmissionRow.owner_unit_id == unit.id
    if unit.kind != "enterprise":
        return own
    same_unit = (
        SubmissionRow.unit_credit_code == unit.credit_code
        if unit.credit_code
        else SubmissionRow.unit_name == unit.name
    )
    district_units = select(UnitRow.id).where(
        UnitRow.kind == "district", UnitRow.district == unit.district
    )
    return or_(
        own,
        and_(
            SubmissionRow.owner_unit_id.in_(district_units),  # made by its district
            SubmissionRow.unit_kind == "enterprise",
            SubmissionRow.unit_district == unit.district,
            same_unit,
        ),
    )


def submissions_etag(state: IntakeState, unit: UnitInfo, campaign_id: str | None = None) -> str:
    """A cheap validator of :func:`list_submissions`: one aggregate query over what the
    token sees (every change adds an event or moves ``updated_at``)."""
    with state.db.session() as s:
        q = (
            select(
                func.count(func.distinct(SubmissionRow.id)),
                func.max(SubmissionRow.updated_at),
                func.max(EventRow.id),
            )
            .select_from(SubmissionRow)
            .outerjoin(EventRow, EventRow.submission_id == SubmissionRow.id)
            .where(visible_to(unit))
        )
        if campaign_id:
            q = q.where(SubmissionRow.campaign_id == campaign_id)
        count, updated, event = s.execute(q).one()
    text = f"{unit.id}|{campaign_id or ''}|{count}|{updated}|{event}"
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'
