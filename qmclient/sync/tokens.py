"""Tokens for intake endpoints, kept in the operating system's keyring.

The service name is ``qmclient`` and the key is the endpoint URL, so each endpoint has its
own token.  A token is never written to SQLite, the settings, a log or an exception.

Where the machine has no usable keyring (a headless Linux server has only the ``fail``
backend), :class:`NoKeyringError` says so; scripts may then give the token in the
environment variable ``QMCLIENT_TOKEN`` instead, which is read but never stored.
"""

from __future__ import annotations

import contextlib
import os

import keyring
import keyring.errors

from qmclient.core.work import QmError

SERVICE = "qmclient"
ENV_TOKEN = "QMCLIENT_TOKEN"


class NoKeyringError(QmError):
    """This machine has no keyring to keep a token in."""

    message_zh = (
        "本机没有可用的系统钥匙串（密钥环），无法安全保存令牌。桌面系统请启用系统钥匙串"
        "（Windows 凭据管理器、macOS 钥匙串、GNOME/KDE 密钥环）；脚本或服务器上可改用环境"
        f"变量 {ENV_TOKEN} 提供令牌（不会被保存）。"
    )
    message_en = (
        "This computer has no usable keyring, so the token cannot be kept safely. On a "
        "desktop, enable the system keyring (Windows Credential Manager, macOS Keychain, "
        f"GNOME/KDE keyring); in scripts or on servers, give the token in the {ENV_TOKEN} "
        "environment variable instead (it is not stored)."
    )

    code = "no-keyring"

    def __init__(self) -> None:
        super().__init__(zh=type(self).message_zh, en=type(self).message_en)


def _key(endpoint_url: str) -> str:
    return endpoint_url.rstrip("/")


def keyring_available() -> bool:
    backend = keyring.get_keyring()
    priority = getattr(backend, "priority", 0)
    name = type(backend).__module__ + "." + type(backend).__name__
    return not name.startswith("keyring.backends.fail") and float(priority) > 0


def save_token(endpoint_url: str, token: str) -> None:
    """Keep ``token`` for ``endpoint_url``; raises :class:`NoKeyringError`."""
    if not keyring_available():
        raise NoKeyringError()
    try:
        keyring.set_password(SERVICE, _key(endpoint_url), token)
    except keyring.errors.KeyringError:
        raise NoKeyringError() from None


def load_token(endpoint_url: str) -> str | None:
    """The token for ``endpoint_url``: ``QMCLIENT_TOKEN`` first, then the keyring."""
    from_env = os.environ.get(ENV_TOKEN, "").strip()
    if from_env:
        return from_env
    if not keyring_available():
        return None
    try:
        return keyring.get_password(SERVICE, _key(endpoint_url))
    except keyring.errors.KeyringError:
        return None


def forget_token(endpoint_url: str) -> None:
    if not keyring_available():
        return
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(SERVICE, _key(endpoint_url))


def mask(token: str) -> str:
    """What may be shown of a token: its kind and last four characters."""
    if len(token) <= 8:
        return "****"
    return f"{token[:4]}…{token[-4:]}"
