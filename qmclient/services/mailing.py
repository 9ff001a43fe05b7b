"""Sending exported e-mail drafts over SMTP: settings, the password in the OS keyring.

The account settings (server, port, security, user) are kept in the store's Setting
table; the password only in the OS keyring (service ``qmclient-smtp``), never in SQLite,
settings or logs.  A machine without a usable keyring gets a clear error and can still
pass the password for one send.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from qmclient.core.work import Work
from qmclient.export.smtp import SendError, SmtpSettings, send_messages
from qmclient.services import settings
from qmclient.services.context import AppContext
from qmclient.store.models import AuditEvent, Submission

KEYRING_SERVICE = "qmclient-smtp"


def _account(settings: SmtpSettings) -> str:
    return f"{settings.username}@{settings.host}:{settings.port}"


def load_settings(ctx: AppContext) -> SmtpSettings | None:
    stored = settings.read(ctx, settings.SMTP)
    if stored is None:
        return None
    try:
        return SmtpSettings(**stored)
    except (TypeError, ValueError):
        return None


def save_settings(ctx: AppContext, account: SmtpSettings) -> None:
    settings.write(ctx, settings.SMTP, asdict(account))


def _no_keyring(exc: Exception) -> SendError:
    return SendError(
        "no-keyring",
        zh=f"本机没有可用的系统密码库（{exc}），无法保存邮箱密码；可在发送时临时输入",
        en=f"no usable system keyring here ({exc}); the password cannot be kept — give it "
        "when sending",
    )


def remember_password(settings: SmtpSettings, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _account(settings), password)
    except KeyringError as exc:
        raise _no_keyring(exc) from None


def stored_password(settings: SmtpSettings) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, _account(settings))
    except KeyringError as exc:
        raise _no_keyring(exc) from None


def send(
    ctx: AppContext,
    paths: Sequence[Path],
    settings: SmtpSettings,
    *,
    password: str | None = None,
    submission_id: int | None = None,
    work: Work | None = None,
) -> int:
    """Send the .eml files; the password comes from the keyring unless given.

    Raises :class:`SendError`.  With ``submission_id`` the sending is recorded in the
    submission's audit log (how many parts went, never the password).
    """
    if password is None and settings.username:
        password = stored_password(settings)
        if password is None:
            raise SendError(
                "no-password",
                zh="系统密码库中没有该邮箱账号的密码，请先输入并保存",
                en="no password for this mail account in the keyring; enter and keep it first",
            )
    try:
        sent = send_messages(settings, password, paths, work=work)
    except SendError as err:
        _audit(ctx, submission_id, "mail-failed", {"sent": err.sent, "code": err.code})
        raise
    _audit(ctx, submission_id, "mailed", {"sent": sent, "server": settings.host})
    return sent


def _audit(
    ctx: AppContext, submission_id: int | None, action: str, detail: dict[str, object]
) -> None:
    if submission_id is None:
        return
    with ctx.store.write() as s:
        sub = s.get(Submission, submission_id)
        if sub is not None:
            s.add(
                AuditEvent(
                    submission_uuid=sub.uuid,
                    revision=sub.revision,
                    action=action,
                    detail=json.dumps(detail, ensure_ascii=False),
                )
            )
