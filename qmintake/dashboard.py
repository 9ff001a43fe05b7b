"""Who has reported: the roster of a campaign against its submissions, per district and
overall, with the deadline countdown; and the search over both.

A submission counts for a roster unit when its token's unit is that unit, or — for a
report a district handed in on an enterprise's behalf — when the report names the unit's
credit code, or its kind, district and name.  Submissions matching no roster unit are
listed apart ("not on the roster").  Lateness is that of the first receipt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, and_, func, select, type_coerce

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
    roster_version: tuple[object, ...] = ()
    last_event: int = 0  # the newest event the picture includes
    index: _Index | None = None


def _status(sub_status: str, first_on_time: bool | None) -> str:
    if sub_status == "returned":
        return RETURNED
    if sub_status == "accepted":
        return ACCEPTED
    if first_on_time is None:
        return OPEN
    return ON_TIME if first_on_time else LATE


def _utc(value: object) -> dt.datetime | None:
    """A stored UTC time as read without conversion (SQLite gives text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


ROSTER_ACTIONS = ("roster-import", "roster-edit", "roster-remove", "campaign-import")


def roster_version(db: Database) -> tuple[object, ...]:
    """Changes whenever the roster may have changed (every change, in the console or on
    the command line, writes an audit line)."""
    from qmintake.models import AuditRow

    with db.session() as s:
        return (
            s.scalar(select(func.max(AuditRow.id)).where(AuditRow.action.in_(ROSTER_ACTIONS))),
            s.scalar(select(func.count(RosterRow.id))),
        )


def last_event(db: Database) -> int:
    """Every change of a submission writes an event; the newest one's id."""
    from qmintake.models import EventRow

    with db.session() as s:
        return int(s.scalar(select(func.max(EventRow.id))) or 0)


def _subs_query(campaign_id: str) -> Any:
    return (
        select(
            SubmissionRow.id,
            SubmissionRow.uuid,
            SubmissionRow.owner_unit_id,
            SubmissionRow.unit_name,
            SubmissionRow.unit_kind,
            SubmissionRow.unit_district,
            SubmissionRow.unit_credit_code,
            SubmissionRow.status,
            type_coerce(RevisionRow.finalised_at, String),  # parsed only where shown
            RevisionRow.on_time,
            RevisionRow.late_by_s,
            RevisionRow.receipt_number,
        )
        .outerjoin(
            RevisionRow,
            and_(
                RevisionRow.submission_id == SubmissionRow.id,
                RevisionRow.finalised_at.is_not(None),
            ),
        )
        .where(SubmissionRow.campaign_id == campaign_id)
        .order_by(SubmissionRow.id, RevisionRow.revision)
    )


@dataclass
class _Index:
    """What a rebuild needs: the roster's lookups, each submission's line, and each roster
    unit's submissions with the one it shows (kept up to date as submissions change)."""

    roster: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    by_name: dict[tuple[str, str, str], int] = field(default_factory=dict)
    subs: dict[int, tuple[int | None, int, UnitLine]] = field(default_factory=dict)
    owners: dict[int, int | None] = field(default_factory=dict)  # submission -> token's unit
    members: dict[int | None, set[int]] = field(default_factory=dict)  # unit -> submissions
    best: dict[int, tuple[int, int, UnitLine]] = field(default_factory=dict)
    # what the picture shows: each roster unit's line, in the campaign's order; rebuilt
    # only for the units touched since (new objects: a page being drawn keeps its own)
    lines: dict[int, UnitLine] = field(default_factory=dict)
    order: list[int] | None = None  # None: to be sorted again (units came, went, moved)
    touched: set[int] = field(default_factory=set)

    def add_rows(self, rows: Sequence[Any]) -> None:
        """Submissions as read by _subs_query (several rows each, one per receipt)."""
        dirty: set[int | None] = set()
        n = len(rows)
        i = 0
        while i < n:
            head = rows[i]
            sid = head[0]
            numbers: list[str] = []
            first = None
            while i < n and rows[i][0] == sid:
                row = rows[i]
                if row[8] is not None:
                    first = first or row
                    numbers.append(row[11] or "")
                i += 1
            _sid, uuid, owner, name, kind, district, code, status = head[:8]
            state = _status(status, bool(first[9]) if first else None)
            line = UnitLine(
                None,
                name,
                kind,
                district,
                code,
                uuid=uuid,
                status=state,
                late=bool(first and not first[9]),
                late_by_s=int(first[10]) if first else 0,
                receipt_number=numbers[-1] if numbers else "",
                received_at=_utc(first[8]) if first else None,
                receipts=tuple(numbers),
            )
            self.owners[sid] = owner
            self._put(sid, self.match(owner, line), _RANK[state], line, dirty)
        self._settle(dirty)

    def _put(
        self, sid: int, match: int | None, rank: int, line: UnitLine, dirty: set[int | None]
    ) -> None:
        old = self.subs.get(sid)
        if old is not None and old[0] != match:
            self.members[old[0]].discard(sid)
            dirty.add(old[0])
        self.subs[sid] = (match, rank, line)
        self.members.setdefault(match, set()).add(sid)
        dirty.add(match)

    def _settle(self, dirty: set[int | None]) -> None:
        """Each changed unit shows its furthest, then newest submission."""
        for uid in dirty:
            if uid is None:
                continue
            self.touched.add(uid)
            sids = self.members.get(uid)
            if not sids:
                self.best.pop(uid, None)
                continue
            rank, sid = max((self.subs[s][1], s) for s in sids)
            self.best[uid] = (rank, sid, self.subs[sid][2])

    def match(self, owner: int | None, line: UnitLine) -> int | None:
        """The roster unit a submission counts for (see the module's rules), if any."""
        known = self.roster.get(owner) if owner is not None else None
        if known is not None and known[1] == line.kind:
            return owner
        return (self.by_code.get(line.credit_code) if line.credit_code else None) or (
            self.by_name.get((line.kind, line.district, line.name))
        )

    def set_roster(self, roster: Sequence[Any]) -> None:
        """The roster as read by _roster_query.  When a unit's name, kind, district or
        credit code changed (or units came or went), the submissions already read are
        matched to it again; a contact's edit changes no match."""
        new = {r[0]: tuple(r[1:]) for r in roster}
        old = self.roster
        self.touched.update(k for k, v in new.items() if old.get(k) != v)
        same = {k: v[:4] for k, v in new.items()} == {k: v[:4] for k, v in old.items()}
        self.roster = new
        if same:
            return
        self.order = None  # names, kinds or districts changed, or units came or went
        self.by_code, self.by_name = {}, {}
        for rid, name, kind, district, code, *_rest in roster:
            if code:
                self.by_code[code] = rid
            self.by_name[(kind, district, name)] = rid
        owners, match = self.owners, self.match
        moved = [
            (sid, now, rank, line)
            for sid, (before, rank, line) in self.subs.items()
            if (now := match(owners.get(sid), line)) != before
        ]
        dirty: set[int | None] = set()
        for sid, now, rank, line in moved:
            self._put(sid, now, rank, line, dirty)
        self._settle(dirty | (self.best.keys() - self.roster.keys()))


def _roster_query(campaign_id: str) -> Any:
    return (
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
        .where(RosterRow.campaign_id == campaign_id)
    )


def build(db: Database, campaign: Campaign) -> Dashboard:
    """The whole picture of one campaign (two queries, one pass)."""
    version = roster_version(db)
    watermark = last_event(db)
    with db.session() as s:
        conn = s.connection()
        roster = conn.execute(_roster_query(campaign.id)).all()
        rows = conn.execute(_subs_query(campaign.id)).all()
    index = _Index()
    index.set_roster(roster)
    index.add_rows(rows)
    return _assemble(campaign, index, version, watermark)


def refresh(db: Database, board: Dashboard) -> Dashboard:
    """The picture brought up to date: only the submissions with events since the last
    look are read again, and the roster when it changed (the submissions already read
    are then matched to it again, without reading them)."""
    version = roster_version(db)
    if board.index is None:
        return build(db, board.campaign)
    from qmintake.models import EventRow

    with db.session() as s:
        watermark = int(s.scalar(select(func.max(EventRow.id))) or 0)
        if version != board.roster_version:
            board.index.set_roster(s.connection().execute(_roster_query(board.campaign.id)).all())
        elif watermark == board.last_event:
            return board
        changed = set(
            s.scalars(
                select(EventRow.submission_id).where(
                    EventRow.id > board.last_event, EventRow.id <= watermark
                )
            ).all()
        )
        rows = (
            s.connection()
            .execute(_subs_query(board.campaign.id).where(SubmissionRow.id.in_(changed)))
            .all()
        )
    board.index.add_rows(rows)
    return _assemble(board.campaign, board.index, version, watermark)


def _assemble(
    campaign: Campaign, index: _Index, version: tuple[object, ...], watermark: int
) -> Dashboard:
    place = {d.id: i for i, d in enumerate(campaign.districts)}  # the campaign's order

    def order(line: UnitLine) -> tuple[int, str, str]:
        return (place.get(line.district, -1), line.kind, line.name)

    roster = index.roster
    if index.order is None:
        index.order = sorted(roster, key=lambda r: (place.get(roster[r][2], -1), *roster[r][1::-1]))
        index.lines = {}
        touched: set[int] = set(roster)
    else:
        touched = index.touched & roster.keys()
    index.touched = set()
    for rid in touched:
        known = UnitLine(rid, *roster[rid])
        shown = index.best.get(rid)
        if shown is not None:
            line = shown[2]
            known.uuid, known.status, known.late = line.uuid, line.status, line.late
            known.late_by_s, known.receipt_number = line.late_by_s, line.receipt_number
            known.received_at, known.receipts = line.received_at, line.receipts
        index.lines[rid] = known
    off = [index.subs[sid][2] for sid in index.members.get(None, ())]
    board = Dashboard(
        campaign,
        [index.lines[rid] for rid in index.order],
        sorted(off, key=order),
        roster_version=version,
        last_event=watermark,
        index=index,
    )
    for line in board.lines:
        board.overall.add(line)
        board.by_district.setdefault(line.district, Counts()).add(line)
    return board


_RANK = {MISSING: 0, OPEN: 1, RETURNED: 2, ON_TIME: 3, LATE: 3, ACCEPTED: 4}


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
