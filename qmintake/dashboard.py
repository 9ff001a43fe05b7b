"""Who has reported: the roster of a campaign against its submissions, per district and
overall, with the deadline countdown; and the search over both.

A submission counts for a roster unit when its token's unit is that unit, or — for a
report a district handed in on an enterprise's behalf — when the report names the unit's
credit code, or its kind, district and name.  Submissions matching no roster unit are
listed apart ("not on the roster").  Lateness is that of the first receipt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from qmclient.core.campaign import Campaign
from qmintake.db import Database
from qmintake.models import RevisionRow, RosterRow, SubmissionRow, UnitRow

# a unit's state on the dashboard
MISSING, OPEN, ON_TIME, LATE, RETURNED, ACCEPTED = (
    "missing",
    "open",
    "on_time",
    "late",
    "returned",
    "accepted",
)
STATUSES = (MISSING, OPEN, ON_TIME, LATE, RETURNED, ACCEPTED)


@dataclass
class UnitLine:
    unit_id: int | None  # None: a submission from a unit not on the roster
    name: str
    kind: str
    district: str
    credit_code: str
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    uuid: str = ""
    status: str = MISSING  # one of STATUSES
    late: bool = False
    late_by_s: int = 0
    receipt_number: str = ""
    received_at: dt.datetime | None = None
    receipts: tuple[str, ...] = ()


@dataclass
class Counts:
    expected: int = 0
    on_time: int = 0
    late: int = 0
    returned: int = 0
    accepted: int = 0
    missing: int = 0

    def add(self, line: UnitLine) -> None:
        self.expected += 1
        if line.status in (MISSING, OPEN):
            self.missing += 1
            return
        if line.late:
            self.late += 1
        else:
            self.on_time += 1
        if line.status == RETURNED:
            self.returned += 1
        elif line.status == ACCEPTED:
            self.accepted += 1


@dataclass
class Dashboard:
    campaign: Campaign
    lines: list[UnitLine]
    off_roster: list[UnitLine]
    overall: Counts = field(default_factory=Counts)
    by_district: dict[str, Counts] = field(default_factory=dict)


def _status(sub_status: str, first_on_time: bool | None) -> str:
    if sub_status == "returned":
        return RETURNED
    if sub_status == "accepted":
        return ACCEPTED
    if first_on_time is None:
        return OPEN
    return ON_TIME if first_on_time else LATE


def build(db: Database, campaign: Campaign) -> Dashboard:
    """The whole picture of one campaign (two queries)."""
    with db.session() as s:
        roster = s.execute(
            select(
                RosterRow.unit_id,
                UnitRow.name,
                UnitRow.kind,
                UnitRow.district,
                UnitRow.credit_code,
                RosterRow.contact_person,
                RosterRow.phone,
                RosterRow.email,
            )
            .join(UnitRow, UnitRow.id == RosterRow.unit_id)
            .where(RosterRow.campaign_id == campaign.id)
        ).all()
        subs = s.execute(
            select(
                SubmissionRow.id,
                SubmissionRow.uuid,
                SubmissionRow.owner_unit_id,
                SubmissionRow.unit_name,
                SubmissionRow.unit_kind,
                SubmissionRow.unit_district,
                SubmissionRow.unit_credit_code,
                SubmissionRow.status,
                SubmissionRow.updated_at,
            ).where(SubmissionRow.campaign_id == campaign.id)
        ).all()
        revs = s.execute(
            select(
                RevisionRow.submission_id,
                RevisionRow.finalised_at,
                RevisionRow.on_time,
                RevisionRow.late_by_s,
                RevisionRow.receipt_number,
            )
            .join(SubmissionRow, SubmissionRow.id == RevisionRow.submission_id)
            .where(SubmissionRow.campaign_id == campaign.id, RevisionRow.finalised_at.is_not(None))
            .order_by(RevisionRow.submission_id, RevisionRow.revision)
        ).all()
    receipts: dict[int, list[tuple[dt.datetime, bool, int, str]]] = {}
    for sid, at, on_time, late_by, number in revs:
        if at is not None:
            receipts.setdefault(sid, []).append((at, bool(on_time), late_by, number or ""))
    lines: dict[int, UnitLine] = {}
    by_code: dict[str, int] = {}
    by_name: dict[tuple[str, str, str], int] = {}
    for rid, name, kind, district, code, person, phone, email in roster:
        lines[rid] = UnitLine(rid, name, kind, district, code, person, phone, email)
        if code:
            by_code[code] = rid
        by_name[(kind, district, name)] = rid
    off: list[UnitLine] = []
    for sid, uuid, owner, name, kind, district, code, status, _updated in sorted(
        subs, key=lambda r: r[8]
    ):
        rec = receipts.get(sid, [])
        first = rec[0] if rec else None
        line = UnitLine(
            None,
            name,
            kind,
            district,
            code,
            uuid=uuid,
            status=_status(status, first[1] if first else None),
            late=bool(first and not first[1]),
            late_by_s=first[2] if first else 0,
            receipt_number=rec[-1][3] if rec else "",
            received_at=first[0] if first else None,
            receipts=tuple(r[3] for r in rec),
        )
        match: int | None = (
            owner
            if owner in lines and lines[owner].kind == kind
            else (by_code.get(code) if code else None) or by_name.get((kind, district, name))
        )
        if match is None:
            off.append(line)
            continue
        known = lines[match]
        if known.uuid and _rank(known.status) > _rank(line.status):
            continue  # a unit with several submissions shows its furthest one
        known.uuid, known.status, known.late = line.uuid, line.status, line.late
        known.late_by_s, known.receipt_number = line.late_by_s, line.receipt_number
        known.received_at, known.receipts = line.received_at, line.receipts
    place = {d.id: i for i, d in enumerate(campaign.districts)}  # the campaign's order

    def order(line: UnitLine) -> tuple[int, str, str]:
        return (place.get(line.district, -1), line.kind, line.name)

    board = Dashboard(campaign, sorted(lines.values(), key=order), sorted(off, key=order))
    for line in board.lines:
        board.overall.add(line)
        board.by_district.setdefault(line.district, Counts()).add(line)
    return board


def _rank(status: str) -> int:
    return {MISSING: 0, OPEN: 1, RETURNED: 2, ON_TIME: 3, LATE: 3, ACCEPTED: 4}[status]


def search(
    board: Dashboard,
    text: str = "",
    district: str = "",
    kind: str = "",
    status: str = "",
    include_off_roster: bool = False,
) -> list[UnitLine]:
    """Lines matching a unit name (part of it), a credit code or a receipt number, and
    the filters; ``status`` "late" also finds late reports returned or accepted since."""
    text = text.strip()
    needle = text.lower()
    code = text.upper()
    found = []
    pool = board.lines + (board.off_roster if include_off_roster else [])
    for line in pool:
        if district and line.district != district:
            continue
        if kind and line.kind != kind:
            continue
        if status:
            if status == LATE:
                if not line.late:
                    continue
            elif status == MISSING:
                if line.status not in (MISSING, OPEN):
                    continue
            elif line.status != status:
                continue
        if needle and not (
            needle in line.name.lower()
            or (line.credit_code and line.credit_code == code)
            or code in line.receipts
        ):
            continue
        found.append(line)
    return found


@dataclass(frozen=True)
class Countdown:
    due_local: dt.datetime
    seconds_left: int  # negative: past the deadline

    @property
    def zh(self) -> str:
        return _span(self.seconds_left, "距截止还有 {}", "已截止 {}", "天", "小时", "分钟")

    @property
    def en(self) -> str:
        return _span(self.seconds_left, "{} left", "closed {} ago", " d", " h", " min")


def _span(seconds: int, ahead: str, past: str, d: str, h: str, m: str) -> str:
    left = abs(seconds)
    days, rest = divmod(left, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = f"{days}{d} {hours}{h}" if days else f"{hours}{h} {minutes}{m}"
    return (ahead if seconds >= 0 else past).format(parts.strip())


def countdown(campaign: Campaign, now: dt.datetime) -> Countdown:
    return Countdown(
        campaign.due.astimezone(campaign.tz), int((campaign.due - now).total_seconds())
    )
