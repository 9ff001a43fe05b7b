"""The roster (应报单位名单): the units expected to report in a campaign.

A roster is read from an .xlsx or .csv file (name, kind, district, credit code, contact
person, phone, e-mail), checked row by row against the campaign, shown as a preview and
then stored: each line becomes (or finds) a row of ``units`` — so tokens, submissions and
reminders all key on ``units.id`` — and a ``roster`` row with the contact details.
Everything read is bounded: file size, the workbook's unpacked size, 100,000 rows.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from qmclient.core.campaign import Campaign
from qmclient.core.identifiers import (
    credit_code_problem,
    is_valid_email,
    is_valid_phone,
    normalise_credit_code,
)
from qmclient.core.rollup import ExpectedUnit
from qmclient.core.work import Work, work_or_new
from qmintake.auth import TOKEN_PREFIX, UnitInfo, hash_token
from qmintake.db import Database
from qmintake.models import RosterRow, TokenRow, UnitRow, utcnow
from qmintake.roster_sheet import FIELD_ZH as FIELD_ZH  # the console names the columns
from qmintake.roster_sheet import MAX_UNPACKED_BYTES as MAX_UNPACKED_BYTES
from qmintake.roster_sheet import (
    REQUIRED,
    csv_rows,
    header_map,
    no_header,
    xlsx_rows,
)
from qmintake.roster_sheet import RosterFileError as RosterFileError

if TYPE_CHECKING:
    from qmintake.settings import IntakeState

MAX_ROWS = 100_000
MAX_FILE_BYTES = 32 * 1024 * 1024


@dataclass
class RosterLine:
    row: int
    name: str = ""
    kind: str = ""
    district: str = ""
    credit_code: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    zh: str
    en: str


@dataclass
class RosterPreview:
    sheet: str
    lines: list[RosterLine] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    @property
    def good_lines(self) -> list[RosterLine]:
        bad = self.bad_rows
        return [line for line in self.lines if line.row not in bad]


def _kind_of(text: str, campaign: Campaign) -> str | None:
    t = text.strip().lower()
    for k in campaign.submitter_kinds:
        if t in (k.id, k.name_zh.lower(), k.name_en.lower()):
            return k.id
    aliases = {
        "企业": "enterprise",
        "区县": "district",
        "部门": "department",
        "市直部门": "department",
        "市直有关部门": "department",
    }
    return aliases.get(text.strip())


def read_roster(
    data: bytes, filename: str, campaign: Campaign, work: Work | None = None
) -> RosterPreview:
    """Read and check a roster file; raises RosterFileError when nothing can be read."""
    work = work_or_new(work)
    if len(data) > MAX_FILE_BYTES:
        raise RosterFileError(
            zh=f"名单文件过大（{len(data) // 1024 // 1024} MiB）；最多 {MAX_FILE_BYTES // 1024 // 1024} MiB。",
            en=f"The roster file is too large ({len(data)} bytes); at most {MAX_FILE_BYTES}.",
            code="roster-too-large",
        )
    lower = filename.lower()
    if lower.endswith(".xlsx") or data[:2] == b"PK":
        sheet, rows = xlsx_rows(data)
    elif lower.endswith((".csv", ".txt")):
        sheet, rows = csv_rows(data)
    else:
        raise RosterFileError(
            zh="名单只能是 .xlsx 或 .csv 文件（旧的 .xls 请先另存为 .xlsx）。",
            en="A roster is an .xlsx or .csv file (save an old .xls as .xlsx first).",
            code="roster-type",
        )
    head = next(rows, None)
    columns = header_map(head or [])
    if not all(f in columns for f in REQUIRED):
        raise no_header(sheet, sheet)
    preview = RosterPreview(sheet=sheet)
    valid_districts = "、".join(f"{d.name_zh}（{d.id}）" for d in campaign.districts)
    valid_en = ", ".join(d.id for d in campaign.districts)
    seen_code: dict[str, int] = {}
    seen_name: dict[tuple[str, str, str], int] = {}
    for n, cells in enumerate(rows, start=2):
        if n % 2000 == 0:
            work.check()
            work.progress(n, 0, "roster")
        if not any(cells):
            continue
        if preview.rows_read >= MAX_ROWS:
            preview.problems.append(
                RowProblem(
                    n,
                    "",
                    f"名单最多 {MAX_ROWS:,} 行；第 {n} 行及以后没有读取，请分成几个文件导入。",
                    f"A roster has at most {MAX_ROWS:,} rows; row {n} and after were not read.",
                )
            )
            break
        preview.rows_read += 1
        line = RosterLine(row=n)
        for fname, col in columns.items():
            setattr(line, fname, cells[col] if col < len(cells) else "")
        _check_line(line, campaign, preview, valid_districts, valid_en)
        if line.credit_code:
            line.credit_code = normalise_credit_code(line.credit_code)
            first = seen_code.setdefault(line.credit_code, n)
            if first != n:
                preview.problems.append(
                    RowProblem(
                        n,
                        "credit_code",
                        f"统一社会信用代码与第 {first} 行重复。",
                        f"The credit code repeats row {first}.",
                    )
                )
        key = (line.kind, line.district, line.name)
        first = seen_name.setdefault(key, n)
        if first != n:
            preview.problems.append(
                RowProblem(
                    n,
                    "name",
                    f"与第 {first} 行是同一单位（名称、类型、区县都相同）。",
                    f"The same unit as row {first} (name, kind and district).",
                )
            )
        preview.lines.append(line)
    return preview


def check_line(line: RosterLine, campaign: Campaign) -> list[RowProblem]:
    """The problems of one line (normalising its kind, district and credit code)."""
    preview = RosterPreview(sheet="")
    valid_districts = "、".join(f"{d.name_zh}（{d.id}）" for d in campaign.districts)
    valid_en = ", ".join(d.id for d in campaign.districts)
    _check_line(line, campaign, preview, valid_districts, valid_en)
    if line.credit_code:
        line.credit_code = normalise_credit_code(line.credit_code)
    return preview.problems


def _check_line(
    line: RosterLine,
    campaign: Campaign,
    preview: RosterPreview,
    valid_districts: str,
    valid_en: str,
) -> None:
    def bad(column: str, zh: str, en: str) -> None:
        preview.problems.append(RowProblem(line.row, column, zh, en))

    if not line.name:
        bad("name", "缺少单位名称。", "The unit's name is missing.")
    kind = _kind_of(line.kind, campaign)
    if kind is None:
        names = "、".join(k.name_zh for k in campaign.submitter_kinds)
        bad(
            "kind",
            f"类型“{line.kind}”不认识；应是：{names}。",
            f"Unknown kind {line.kind!r}; use one of "
            f"{', '.join(k.id for k in campaign.submitter_kinds)}.",
        )
    else:
        line.kind = kind
    if line.district:
        d = campaign.district_by_name(line.district)
        if d is None:
            bad(
                "district",
                f"区县“{line.district}”不在本活动中；可用的区县：{valid_districts}。",
                f"District {line.district!r} is not in this campaign; valid: {valid_en}.",
            )
        else:
            line.district = d.id
    elif kind in ("district", "enterprise"):
        bad(
            "district",
            f"缺少区县；可用的区县：{valid_districts}。",
            f"The district is missing; valid: {valid_en}.",
        )
    if kind == "enterprise" or line.credit_code:
        problem = credit_code_problem(line.credit_code) if line.credit_code else "missing"
        if problem == "missing":
            bad(
                "credit_code",
                "缺少统一社会信用代码（企业必填）。",
                "The credit code is missing (required for an enterprise).",
            )
        elif problem:
            why = {
                "missing": "缺少",
                "length": "长度不是 18 位",
                "chars": "含有不允许的字符",
                "check": "校验位不对",
            }.get(problem, "不正确")
            bad(
                "credit_code",
                f"统一社会信用代码“{line.credit_code}”{why}。",
                f"Credit code {line.credit_code!r}: {problem}.",
            )
    if line.phone and not is_valid_phone(line.phone):
        bad(
            "phone",
            f"联系电话“{line.phone}”不像手机号或座机号。",
            f"Phone {line.phone!r} is not a mobile or landline number.",
        )
    if line.email and not is_valid_email(line.email):
        bad("email", f"电子邮箱“{line.email}”格式不对。", f"E-mail {line.email!r} is not valid.")


@dataclass(frozen=True)
class RosterEntry:
    unit: UnitInfo
    contact_person: str
    phone: str
    email: str
    active_tokens: int


def apply_roster(
    db: Database, campaign_id: str, lines: list[RosterLine], work: Work | None = None
) -> tuple[int, int]:
    """Store good lines: (units added to the roster, roster lines updated)."""
    work = work_or_new(work)
    added = updated = 0
    with db.session() as s:
        by_code: dict[str, UnitRow] = {}
        by_name: dict[tuple[str, str, str], UnitRow] = {}
        for u in s.scalars(select(UnitRow)).all():
            if u.credit_code:
                by_code.setdefault(u.credit_code, u)
            by_name.setdefault((u.kind, u.district, u.name), u)
        existing = {
            r.unit_id: r
            for r in s.scalars(select(RosterRow).where(RosterRow.campaign_id == campaign_id)).all()
        }
        for i, line in enumerate(lines):
            if i % 2000 == 0:
                work.check()
                work.progress(i, len(lines), "roster")
            unit = (by_code.get(line.credit_code) if line.credit_code else None) or by_name.get(
                (line.kind, line.district, line.name)
            )
            if unit is None:
                unit = UnitRow(
                    name=line.name,
                    kind=line.kind,
                    district=line.district,
                    credit_code=line.credit_code,
                    created_at=utcnow(),
                )
                s.add(unit)
                s.flush()
                by_name[(line.kind, line.district, line.name)] = unit
                if line.credit_code:
                    by_code[line.credit_code] = unit
            else:
                unit.name, unit.district = line.name, line.district
            row = existing.get(unit.id)
            if row is None:
                row = RosterRow(campaign_id=campaign_id, unit_id=unit.id, added_at=utcnow())
                s.add(row)
                existing[unit.id] = row
                added += 1
            else:
                updated += 1
            row.contact_person = line.contact_person
            row.phone = line.phone
            row.email = line.email
    return added, updated


def roster_entries(db: Database, campaign_id: str) -> list[RosterEntry]:
    with db.session() as s:
        active = dict(
            s.execute(
                select(TokenRow.unit_id, func.count())
                .where(TokenRow.revoked_at.is_(None))
                .group_by(TokenRow.unit_id)
            ).all()
        )
        rows = s.scalars(select(RosterRow).where(RosterRow.campaign_id == campaign_id)).all()
        out = [
            RosterEntry(
                UnitInfo(r.unit.id, r.unit.name, r.unit.kind, r.unit.district, r.unit.credit_code),
                r.contact_person,
                r.phone,
                r.email,
                int(active.get(r.unit_id, 0)),
            )
            for r in rows
        ]
    out.sort(key=lambda e: (e.unit.district, e.unit.kind, e.unit.name))
    return out


def edit_entry(db: Database, campaign_id: str, unit_id: int, line: RosterLine) -> None:
    with db.session() as s:
        row = s.scalars(
            select(RosterRow).where(
                RosterRow.campaign_id == campaign_id, RosterRow.unit_id == unit_id
            )
        ).first()
        if row is None:
            raise KeyError(unit_id)
        row.unit.name = line.name
        row.unit.district = line.district
        row.unit.credit_code = line.credit_code
        row.contact_person, row.phone, row.email = line.contact_person, line.phone, line.email


def remove_entry(db: Database, campaign_id: str, unit_id: int) -> bool:
    with db.session() as s:
        done = s.execute(
            delete(RosterRow).where(
                RosterRow.campaign_id == campaign_id, RosterRow.unit_id == unit_id
            )
        )
        return bool(getattr(done, "rowcount", 0))


def issue_roster_tokens(
    db: Database, campaign_id: str, unit_ids: list[int] | None = None, reissue: bool = False
) -> list[tuple[RosterEntry, str]]:
    """New tokens for the roster's units that have none (or, with ``reissue``, for the
    given units after revoking theirs).  Tokens are shown once: only hashes are kept."""
    entries = [
        e for e in roster_entries(db, campaign_id) if unit_ids is None or e.unit.id in unit_ids
    ]
    if not reissue:
        entries = [e for e in entries if e.active_tokens == 0]
    issued: list[tuple[RosterEntry, str]] = []
    now = utcnow()
    with db.session() as s:
        if reissue and entries:
            for t in s.scalars(
                select(TokenRow).where(
                    TokenRow.unit_id.in_([e.unit.id for e in entries]),
                    TokenRow.revoked_at.is_(None),
                )
            ).all():
                t.revoked_at = now
        for e in entries:
            token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            s.add(
                TokenRow(
                    unit_id=e.unit.id,
                    token_sha256=hash_token(token),
                    label=f"roster {campaign_id}",
                    created_at=now,
                )
            )
            issued.append((e, token))
    return issued


def expected_units(state: IntakeState, campaign_id: str) -> list[ExpectedUnit] | None:
    """The roster as the office's outputs take it (roll-up, archive, reminders); None
    when the campaign has no roster."""
    entries = roster_entries(state.db, campaign_id)
    if not entries:
        return None
    return [
        ExpectedUnit(
            name=e.unit.name,
            credit_code=e.unit.credit_code,
            district=e.unit.district,
            contact=e.contact_person,
            email=e.email,
        )
        for e in entries
    ]
