"""The district's roll-up: expected units (stored), the Excel table, the Word summary.

Reports are the latest revision of each submission in the store for the campaign (and
the coordinator's district, from the unit profile).  The Word summary reuses the single
report's writer: the district's own report (a local draft whose unit is the district)
gives the summary text and its own activities; an overview paragraph with the counts and
the units not yet reported comes first, and every unit's activities follow, each marked
with its unit.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import delete, select

from qmclient.core.campaign import Campaign
from qmclient.core.report import Report, Unit
from qmclient.core.rollup import ExpectedUnit, Rollup, build_rollup
from qmclient.export.atomic import Staging, check_writable
from qmclient.export.docx_report import write_report
from qmclient.export.expected_units import read_expected_units
from qmclient.export.rollup_table import write_rollup
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.store.models import ExpectedUnitRow, Submission


def _campaign(ctx: AppContext, campaign_id: str | None) -> Campaign:
    return ctx.campaigns.get(campaign_id) if campaign_id else ctx.campaigns.default()


def import_expected(
    ctx: AppContext, xlsx: Path, *, campaign_id: str | None = None
) -> list[ExpectedUnit]:
    """Read the office's sheet and keep it (replacing the list kept before).  Raises
    :class:`~qmclient.export.expected_units.ExpectedUnitsError`; nothing kept changes then."""
    campaign = _campaign(ctx, campaign_id)
    names = {d.name_zh: d.id for d in campaign.districts}
    units = read_expected_units(xlsx, names)
    with ctx.store.write() as s:
        s.execute(delete(ExpectedUnitRow).where(ExpectedUnitRow.campaign_id == campaign.id))
        for i, u in enumerate(units):
            s.add(
                ExpectedUnitRow(
                    campaign_id=campaign.id,
                    position=i,
                    name=u.name[:200],
                    credit_code=u.credit_code[:18],
                    district=u.district[:64],
                    contact=u.contact[:200],
                )
            )
    return units


def expected_units(ctx: AppContext, campaign_id: str | None = None) -> list[ExpectedUnit] | None:
    """The kept list, or ``None`` when none was imported."""
    campaign = _campaign(ctx, campaign_id)
    with ctx.store.read() as s:
        rows = list(
            s.scalars(
                select(ExpectedUnitRow)
                .where(ExpectedUnitRow.campaign_id == campaign.id)
                .order_by(ExpectedUnitRow.position)
            )
        )
    if not rows:
        return None
    return [ExpectedUnit(r.name, r.credit_code, r.district, r.contact) for r in rows]


def build(
    ctx: AppContext, *, campaign_id: str | None = None, district: str | None = None
) -> tuple[Rollup, Campaign]:
    campaign = _campaign(ctx, campaign_id)
    if district is None:
        profile = drafts.get_profile(ctx)
        district = profile.district if profile else ""
    reports = list(drafts.load_reports(ctx).values())
    return build_rollup(campaign, reports, expected_units(ctx, campaign.id), district), campaign


def _own_report(ctx: AppContext, campaign: Campaign, district: str) -> Report | None:
    with ctx.store.read() as s:
        sid = s.scalars(
            select(Submission.id)
            .where(
                Submission.campaign_id == campaign.id,
                Submission.origin == "local",
                Submission.unit_kind == "district",
                Submission.unit_district == district,
            )
            .order_by(Submission.updated_at.desc())
        ).first()
    return drafts.load_report(ctx, sid) if sid is not None else None


def overview_text(rollup: Rollup, campaign: Campaign, district_name: str) -> str:
    names = {f.id: f.name_zh for f in campaign.focus_areas}
    units = [r for r in rollup.reports if r.unit.kind != "district"]
    lines = []
    head = f"截至目前，{district_name or '本区县'}共有{len(units)}家单位报送了“质量月”活动情况"
    lines.append(
        head + f"，共开展活动{len(rollup.rows)}项，参与{rollup.participants_total}人次，"
        f"报送照片{rollup.photos_total}张、视频{rollup.videos_total}个。"
    )
    areas = "；".join(
        f"{names.get(a, a or '其他')}{n}项" for a, n in rollup.by_focus_area.items() if n
    )
    if areas:
        lines.append(f"按活动重点统计：{areas}。")
    if rollup.not_reported:
        missing = "、".join(e.name for e in rollup.not_reported)
        lines.append(f"尚未报送的单位（{len(rollup.not_reported)}家）：{missing}。")
    return "\n".join(lines)


def summary_report(
    ctx: AppContext, rollup: Rollup, campaign: Campaign, district_name: str
) -> Report:
    """The district's summary as a report the Word writer lays out."""
    profile = drafts.get_profile(ctx) or Unit(kind="district", district=rollup.district)
    own = _own_report(ctx, campaign, rollup.district)
    text = overview_text(rollup, campaign, district_name)
    summary = f"{own.summary.strip()}\n{text}" if own and own.summary.strip() else text
    activities = list(own.activities) if own else []
    for row in rollup.rows:
        if own is not None and row.unit_name == own.unit.name:
            continue
        a = row.activity
        activities.append(
            replace(
                a,
                name=f"{a.name.strip()}（{row.unit_name}）",
                organiser=a.organiser or row.unit_name,
            )
        )
    title = f"{district_name}{campaign.year}年“质量月”{campaign.report_title}"
    return Report(
        uuid=own.uuid if own else str(uuidlib.uuid4()),
        campaign_id=campaign.id,
        revision=own.revision if own else 1,
        title=title,
        summary=summary,
        unit=own.unit if own else profile,
        activities=activities,
        media=[],
    )


@dataclass(frozen=True)
class RollupFiles:
    xlsx: Path | None
    docx: Path | None
    rollup: Rollup


def export(
    ctx: AppContext,
    *,
    xlsx: Path | None = None,
    docx: Path | None = None,
    campaign_id: str | None = None,
    district: str | None = None,
    signed: dt.date | None = None,
) -> RollupFiles:
    """Write the roll-up workbook and/or the district's Word summary, atomically."""
    rollup, campaign = build(ctx, campaign_id=campaign_id, district=district)
    d = campaign.district(rollup.district)
    name = d.name_zh if d else ""
    for target in (xlsx, docx):
        if target is not None:
            check_writable(target.parent)
    staging = Staging()
    try:
        if xlsx is not None:
            with staging.open(xlsx) as fh:
                write_rollup(fh, rollup, campaign, name)
        if docx is not None:
            report = summary_report(ctx, rollup, campaign, name)
            when = signed or dt.datetime.now(campaign.tz).date()
            with staging.open(docx) as fh:
                write_report(fh, report, campaign, {}, signed=when)
        staging.commit()
    finally:
        staging.discard()
    return RollupFiles(xlsx, docx, rollup)
