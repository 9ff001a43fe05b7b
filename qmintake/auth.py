"""Bearer tokens per unit: issued by the office, stored as SHA-256, checked per request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from qmclient.core.report import Unit
from qmintake.db import Database
from qmintake.models import TokenRow, UnitRow, utcnow
from qmintake.problems import Problem

TOKEN_PREFIX = "qmt_"
KINDS = ("department", "district", "enterprise")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    kind: str
    district: str
    credit_code: str

    def to_dict(self) -> dict[str, object]:
        return {
            "unit_id": self.id,
            "name": self.name,
            "kind": self.kind,
            "district": self.district,
            "credit_code": self.credit_code,
        }


def _info(u: UnitRow) -> UnitInfo:
    return UnitInfo(u.id, u.name, u.kind, u.district, u.credit_code)


def issue_token(
    db: Database,
    name: str,
    kind: str,
    district: str = "",
    credit_code: str = "",
    label: str = "",
) -> tuple[str, UnitInfo]:
    """A new token for a unit (created if no unit of that kind/district/name exists)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if kind in ("district", "enterprise") and not district:
        raise ValueError(f"a {kind} token needs its district")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.session() as s:
        unit = s.scalars(
            select(UnitRow).where(
                UnitRow.name == name,
                UnitRow.kind == kind,
                UnitRow.district == district,
                UnitRow.credit_code == credit_code,
            )
        ).first()
        if unit is None:
            unit = UnitRow(name=name, kind=kind, district=district, credit_code=credit_code)
            s.add(unit)
            s.flush()
        s.add(TokenRow(unit_id=unit.id, token_sha256=hash_token(token), label=label))
        info = _info(unit)
    return token, info


def revoke_tokens(db: Database, unit_id: int) -> int:
    with db.session() as s:
        rows = s.scalars(
            select(TokenRow).where(TokenRow.unit_id == unit_id, TokenRow.revoked_at.is_(None))
        ).all()
        for row in rows:
            row.revoked_at = utcnow()
        return len(rows)


_UNIT_OF_TOKEN = (
    select(UnitRow.id, UnitRow.name, UnitRow.kind, UnitRow.district, UnitRow.credit_code)
    .join(TokenRow, TokenRow.unit_id == UnitRow.id)
    .where(TokenRow.token_sha256 == bindparam("sha"), TokenRow.revoked_at.is_(None))
)


def unit_for_token(db: Database, token: str) -> UnitInfo | None:
    """The unit of a token not revoked, asked on every request: one statement built
    once, read without the write lock."""
    with db.read() as conn:
        row = conn.execute(_UNIT_OF_TOKEN, {"sha": hash_token(token)}).first()
    return None if row is None else UnitInfo(*row)


async def authenticate(request: Request) -> UnitInfo:
    """FastAPI dependency: the unit of the bearer token, or a 401 problem.  On SQLite the
    token's read (a fraction of a millisecond, waiting for no writer) runs right on the
    event loop, sparing every request a trip to a worker thread and back; a database
    across the network is asked from a worker thread."""
    db: Database = request.app.state.intake.db
    header = request.headers.get("authorization", "")
    if db.is_sqlite:
        return unit_from_header(db, header)
    return await run_in_threadpool(unit_from_header, db, header)


def unit_from_header(db: Database, header: str) -> UnitInfo:
    """The unit of an ``Authorization: Bearer …`` value, or a 401 problem."""
    scheme, _, token = header.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="qmintake"'}
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(
            "token-missing", "send Authorization: Bearer <token> issued by the office", challenge
        )
    unit = unit_for_token(db, token.strip())
    if unit is None:
        raise Problem(
            "token-invalid",
            "the token is unknown or was revoked; ask the office for a new one",
            {"WWW-Authenticate": 'Bearer realm="qmintake", error="invalid_token"'},
        )
    return unit


def may_submit_for(token_unit: UnitInfo, report_unit: Unit) -> bool:
    """Whether a token's unit may hand in a report about ``report_unit``."""
    kind = report_unit.kind
    if token_unit.kind == "department":
        return kind == "department"
    if token_unit.kind == "enterprise":
        return (
            kind == "enterprise"
            and report_unit.district == token_unit.district
            and (not token_unit.credit_code or report_unit.credit_code == token_unit.credit_code)
        )
    if token_unit.kind == "district":
        return kind in ("district", "enterprise") and report_unit.district == token_unit.district
    return False
