"""A district's roll-up: every activity of every unit, counts, and who has not reported.

Pure data in, pure data out: the coordinator's services feed it the reports in the store
and the list of units the district expects; the export layer turns the result into Excel
and Word.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from qmclient.core.campaign import Campaign
from qmclient.core.identifiers import normalise_credit_code
from qmclient.core.report import Activity, Report


@dataclass(frozen=True)
class ExpectedUnit:
    """A unit the coordinator expects a report from (imported from the office's sheet)."""

    name: str
    credit_code: str = ""
    district: str = ""
    contact: str = ""
    email: str = ""


@dataclass(frozen=True)
class ActivityRow:
    unit_name: str
    unit_district: str
    contact: str
    activity: Activity


@dataclass
class Rollup:
    campaign_id: str
    district: str  # "" for all districts
    reports: list[Report] = field(default_factory=list)
    rows: list[ActivityRow] = field(default_factory=list)
    by_focus_area: dict[str, int] = field(default_factory=dict)  # focus area id -> activities
    by_unit: dict[str, int] = field(default_factory=dict)  # unit name -> activities
    participants_total: int = 0
    photos_total: int = 0
    videos_total: int = 0
    not_reported: list[ExpectedUnit] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)  # reporting units not on the list


_PUNCT = re.compile(r"[\s·•()（）【】\[\]“”\"'‘’、,，.。-]+")


def normalise_unit_name(name: str) -> str:
    """For matching names typed by different people: no spaces, brackets or punctuation."""
    return _PUNCT.sub("", name).replace("有限责任公司", "有限公司").lower()


def matches_unit(expected: ExpectedUnit, name: str, credit_code: str) -> bool:
    """Whether a report by the unit ``name`` (``credit_code``) is the expected unit's:
    the same credit code, or the same name up to spaces and punctuation."""
    code = normalise_credit_code(expected.credit_code)
    if code and normalise_credit_code(credit_code) == code:
        return True
    return normalise_unit_name(expected.name) == normalise_unit_name(name)


def _matches(expected: ExpectedUnit, report: Report) -> bool:
    return matches_unit(expected, report.unit.name, report.unit.credit_code)


def latest_per_unit(reports: list[Report]) -> list[Report]:
    """One report per submission UUID: the highest revision."""
    best: dict[str, Report] = {}
    for r in reports:
        if r.uuid not in best or r.revision > best[r.uuid].revision:
            best[r.uuid] = r
    return list(best.values())


def build_rollup(
    campaign: Campaign,
    reports: list[Report],
    expected: list[ExpectedUnit] | None = None,
    district: str = "",
) -> Rollup:
    """Roll up the reports of one campaign (and one district, when given)."""
    chosen = [
        r
        for r in latest_per_unit(reports)
        if r.campaign_id == campaign.id and (not district or r.unit.district == district)
    ]
    chosen.sort(key=lambda r: (r.unit.kind != "district", r.unit.name, r.uuid))
    out = Rollup(campaign_id=campaign.id, district=district, reports=chosen)
    areas: Counter[str] = Counter({f.id: 0 for f in campaign.focus_areas})
    units: Counter[str] = Counter()
    order = {f.id: i for i, f in enumerate(campaign.focus_areas)}
    for r in chosen:
        contact = " ".join(x for x in (r.unit.contact_person, r.unit.phone) if x)
        units[r.unit.name] += 0
        for a in sorted(
            r.activities,
            key=lambda a: (order.get(a.focus_area, 99), a.start_date or campaign.period_end),
        ):
            out.rows.append(ActivityRow(r.unit.name, r.unit.district, contact, a))
            areas[a.focus_area] += 1
            units[r.unit.name] += 1
            out.participants_total += a.participants or 0
        out.photos_total += len(r.photos)
        out.videos_total += len(r.videos)
    out.by_focus_area = dict(areas)
    out.by_unit = dict(units)
    if expected is not None:
        wanted = [e for e in expected if not district or not e.district or e.district == district]
        out.not_reported = [e for e in wanted if not any(_matches(e, r) for r in chosen)]
        out.unexpected = sorted(
            {
                r.unit.name
                for r in chosen
                if r.unit.kind == "enterprise" and not any(_matches(e, r) for e in wanted)
            }
        )
    return out
