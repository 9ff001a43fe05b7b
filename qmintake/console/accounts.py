"""Office accounts: argon2 passwords, lock-out after repeated failures, server-side
sessions (the cookie is a random secret; only its SHA-256 is stored) and the audit log.

No web code here: the console's routes and the ``qmintake user`` commands both call it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from qmclient.core.work import QmError
from qmintake.db import Database
from qmintake.models import AuditRow, OfficeSessionRow, OfficeUserRow, utcnow

ROLES = ("viewer", "reviewer", "admin")  # each may do what the ones before it may
MAX_FAILURES = 5
LOCK_FOR = dt.timedelta(minutes=15)
SESSION_FOR = dt.timedelta(hours=12)
MIN_PASSWORD = 10
_HASHER = PasswordHasher()  # argon2id, the library's current defaults


class AccountError(QmError):
    """A sign-in or account change that cannot be done; the message says why."""


@dataclass(frozen=True)
class OfficeUser:
    id: int
    name: str
    role: str
    csrf: str = ""

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            zh=f"密码太短：至少 {MIN_PASSWORD} 个字符，请换一个更长的密码。",
            en=f"The password is too short: use at least {MIN_PASSWORD} characters.",
            code="password-short",
        )


def audit(
    db: Database, who: str, action: str, target: str = "", detail: str = "", address: str = ""
) -> None:
    """Write one line of the audit log (who, what, when) in its own transaction."""
    with db.session() as s:
        s.add(
            AuditRow(
                user_name=who,
                action=action,
                target=target[:200],
                detail=detail,
                address=address[:64],
                at=utcnow(),
            )
        )


def audit_lines(db: Database, action: str = "", limit: int = 500) -> list[AuditRow]:
    """The newest lines of the audit log (of one action, when given)."""
    q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if action:
        q = q.where(AuditRow.action == action)
    with db.session() as s:
        return list(s.scalars(q).all())


def add_user(db: Database, name: str, role: str, password: str, by: str = "") -> OfficeUser:
    name = name.strip()
    if role not in ROLES:
        raise AccountError(
            zh=f"角色只能是 {'、'.join(ROLES)}。",
            en=f"The role must be one of {', '.join(ROLES)}.",
            code="role",
        )
    if not name or len(name) > 100:
        raise AccountError(
            zh="请填写账号名（最多 100 个字符）。",
            en="Give the account a name (at most 100 characters).",
            code="name",
        )
    _check_password(password)
    with db.session() as s:
        if s.scalars(select(OfficeUserRow).where(OfficeUserRow.name == name)).first():
            raise AccountError(
                zh=f"账号“{name}”已存在；请换一个名字。",
                en=f"The account {name!r} exists already; choose another name.",
                code="name-taken",
            )
        row = OfficeUserRow(
            name=name,
            role=role,
            password_hash=_HASHER.hash(password),
            failed_logins=0,
            disabled=False,
            created_at=utcnow(),
        )
        s.add(row)
        s.flush()
        user = OfficeUser(row.id, row.name, row.role)
    audit(db, by or name, "user-add", name, f"role={role}")
    return user


def list_users(db: Database) -> list[OfficeUserRow]:
    with db.session() as s:
        return list(s.scalars(select(OfficeUserRow).order_by(OfficeUserRow.name)).all())


def sign_in(
    db: Database, name: str, password: str, address: str = "", now: dt.datetime | None = None
) -> tuple[str, OfficeUser]:
    """A new session (cookie value, user), or AccountError.  After MAX_FAILURES wrong
    passwords the account is locked for LOCK_FOR, even for the right password."""
    now = now or utcnow()
    wrong = AccountError(
        zh="账号或密码不对。", en="Wrong account name or password.", code="bad-credentials"
    )
    just_locked = False
    with db.session() as s:
        row = s.scalars(
            select(OfficeUserRow).where(OfficeUserRow.name == name.strip()).with_for_update()
        ).first()
        if row is None or row.disabled:
            _HASHER.hash(password)  # the same time as a real check: names are not probed
            failed = True
        elif row.locked_until is not None and row.locked_until > now:
            minutes = int((row.locked_until - now).total_seconds() // 60) + 1
            locked = AccountError(
                zh=f"密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试，或请管理员解锁。",
                en=f"Too many wrong passwords: the account is locked; try again in {minutes} "
                "minute(s) or ask an administrator to unlock it.",
                code="locked",
            )
            raise_locked = True
            failed = False
        else:
            raise_locked = False
            try:
                _HASHER.verify(row.password_hash, password)
                failed = False
            except (VerificationError, InvalidHashError):
                failed = True
            if failed:
                row.failed_logins += 1
                if row.failed_logins >= MAX_FAILURES:
                    row.locked_until = now + LOCK_FOR
                    row.failed_logins = 0
                    just_locked = True
            else:
                row.failed_logins = 0
                row.locked_until = None
                if _HASHER.check_needs_rehash(row.password_hash):
                    row.password_hash = _HASHER.hash(password)
        if row is not None and not row.disabled and not failed and not raise_locked:
            token = secrets.token_urlsafe(32)
            s.add(
                OfficeSessionRow(
                    id_sha256=_sha(token),
                    user_id=row.id,
                    csrf=secrets.token_urlsafe(32),
                    created_at=now,
                    expires_at=now + SESSION_FOR,
                )
            )
            s.execute(delete(OfficeSessionRow).where(OfficeSessionRow.expires_at < now))
            user = OfficeUser(row.id, row.name, row.role)
    if row is not None and not row.disabled and raise_locked:
        raise locked  # refused without a check or a write: guessing costs the server nothing
    if failed:
        audit(db, name[:100], "sign-in-failed", name[:100], address=address)
        if just_locked:
            audit(
                db,
                name[:100],
                "account-locked",
                name[:100],
                f"{MAX_FAILURES} wrong passwords; locked for {LOCK_FOR}",
                address,
            )
        raise wrong
    audit(db, user.name, "sign-in", user.name, address=address)
    return token, user


def session_user(db: Database, cookie: str, now: dt.datetime | None = None) -> OfficeUser | None:
    """The signed-in user of a session cookie, or None (unknown, expired, disabled)."""
    if not cookie or len(cookie) > 200:
        return None
    now = now or utcnow()
    with db.session() as s:
        row = s.get(OfficeSessionRow, _sha(cookie))
        if row is None or row.expires_at <= now or row.user.disabled:
            return None
        return OfficeUser(row.user.id, row.user.name, row.user.role, row.csrf)


def sign_out(db: Database, cookie: str) -> None:
    with db.session() as s:
        row = s.get(OfficeSessionRow, _sha(cookie))
        if row is not None:
            name = row.user.name
            s.delete(row)
        else:
            return
    audit(db, name, "sign-out", name)


def change_password(
    db: Database, user: OfficeUser, old: str, new: str, keep_cookie: str = ""
) -> None:
    """Change one's own password; every other session of the account is signed out."""
    _check_password(new)
    with db.session() as s:
        row = s.get(OfficeUserRow, user.id, with_for_update=True)
        assert row is not None
        try:
            _HASHER.verify(row.password_hash, old)
        except (VerificationError, InvalidHashError):
            raise AccountError(
                zh="当前密码不对，密码没有修改。",
                en="The current password is wrong; nothing was changed.",
                code="bad-credentials",
            ) from None
        row.password_hash = _HASHER.hash(new)
        s.execute(
            delete(OfficeSessionRow).where(
                OfficeSessionRow.user_id == user.id, OfficeSessionRow.id_sha256 != _sha(keep_cookie)
            )
        )
    audit(db, user.name, "password-change", user.name)


def set_password(db: Database, name: str, new: str, by: str) -> None:
    """An administrator (or the command line) sets a password and unlocks the account."""
    _check_password(new)
    with db.session() as s:
        row = s.scalars(select(OfficeUserRow).where(OfficeUserRow.name == name)).first()
        if row is None:
            raise AccountError(
                zh=f"没有账号“{name}”。", en=f"There is no account {name!r}.", code="no-user"
            )
        row.password_hash = _HASHER.hash(new)
        row.failed_logins, row.locked_until = 0, None
        s.execute(delete(OfficeSessionRow).where(OfficeSessionRow.user_id == row.id))
    audit(db, by, "password-set", name)
