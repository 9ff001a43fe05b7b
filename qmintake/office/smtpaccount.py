"""The office's mail account on the server, for reminders: set once, password never shown.

The settings (server, port, security, user, sender, how many mails a minute) are a JSON
row of ``office_settings``; the password is stored encrypted (Fernet) with a key kept in
``<data-dir>/smtp-secret.key`` (mode 0600, made on first use; replicas share the data
folder), so a copy of the database alone does not give it away.  Nothing ever reads the
password back out except the sender: the console and ``qmintake smtp show`` only say
whether one is set.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from qmclient.core.work import QmError
from qmclient.export.smtp import SmtpSettings
from qmintake.models import OfficeSettingRow
from qmintake.settings import IntakeState

KEY = "smtp"
DEFAULT_PER_MINUTE = 20


class SmtpAccountError(QmError):
    pass


@dataclass(frozen=True)
class SmtpAccount:
    settings: SmtpSettings
    per_minute: int = DEFAULT_PER_MINUTE
    password_set: bool = False

    def public(self) -> dict[str, object]:
        """What the console shows: everything but the password."""
        return {
            **asdict(self.settings),
            "per_minute": self.per_minute,
            "password_set": self.password_set,
        }


def _fernet(st: IntakeState) -> Fernet:
    path: Path = st.settings.data_dir / "smtp-secret.key"
    if not path.exists():
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(Fernet.generate_key())
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # never overwrite a key another replica just made
        tmp.unlink(missing_ok=True)
    return Fernet(path.read_bytes().strip())


def save_account(
    st: IntakeState,
    settings: SmtpSettings,
    password: str | None,
    per_minute: int = DEFAULT_PER_MINUTE,
) -> SmtpAccount:
    """Store the account; ``password`` None keeps the one stored before."""
    if not 1 <= per_minute <= 600:
        raise SmtpAccountError(
            zh="每分钟发送数量应在 1 到 600 之间",
            en="mails per minute must be between 1 and 600",
            code="bad-rate",
        )
    with st.db.session() as s:
        row = s.get(OfficeSettingRow, KEY)
        old = json.loads(row.value) if row is not None and row.value else {}
        secret = old.get("password_enc", "")
        if password is not None:
            secret = _fernet(st).encrypt(password.encode()).decode() if password else ""
        value = {"settings": asdict(settings), "per_minute": per_minute, "password_enc": secret}
        s.merge(OfficeSettingRow(key=KEY, value=json.dumps(value), updated_at=st.now()))
    return SmtpAccount(settings, per_minute, bool(secret))


def load_account(st: IntakeState) -> tuple[SmtpAccount, str | None] | None:
    """The account and its password (None when none is set), or None when not set up."""
    with st.db.session() as s:
        row = s.get(OfficeSettingRow, KEY)
        if row is None or not row.value:
            return None
        value = json.loads(row.value)
    settings = SmtpSettings(**value["settings"])
    password = None
    if value.get("password_enc"):
        try:
            password = _fernet(st).decrypt(value["password_enc"].encode()).decode()
        except InvalidToken:
            raise SmtpAccountError(
                zh="无法解密保存的邮箱密码（smtp-secret.key 与数据库不匹配）；请重新设置邮箱密码",
                en="the stored mail password cannot be decrypted (smtp-secret.key does not "
                "match the database); set the password again",
                code="smtp-secret",
            ) from None
    account = SmtpAccount(
        settings, int(value.get("per_minute", DEFAULT_PER_MINUTE)), bool(password)
    )
    return account, password
