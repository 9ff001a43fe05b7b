"""Network settings kept with the data: which proxy the sync session uses.

By default the system's proxy is used (``requests`` reads ``HTTPS_PROXY``/``NO_PROXY``
and, on Windows, the Internet Options).  An office whose proxy is not configured system-
wide sets one explicitly: ``http://proxy.example.cn:8080``.  A proxy password is never
stored here; it goes to the OS keyring, like the endpoint tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from qmclient.core.work import QmError
from qmclient.services import settings
from qmclient.services.context import AppContext

KEYRING_SERVICE = "qmclient-proxy"
SCHEMES = ("http", "https", "socks5", "socks5h")


class ProxySettingError(QmError, ValueError):
    """A proxy setting that cannot be used; the message says which and why."""

    code = "proxy-setting"


@dataclass(frozen=True)
class ProxySetting:
    mode: str = "system"
    url: str = ""
    user: str = ""


def normalise_proxy_url(text: str) -> str:
    """``host:port`` or ``scheme://host:port``; credentials are refused (keyring only)."""
    raw = text.strip()
    if not raw:
        raise ProxySettingError(en="The proxy address is empty.", zh="代理服务器地址为空。")
    if "://" not in raw:
        raw = "http://" + raw
    parts = urlsplit(raw)
    try:
        port = parts.port
    except ValueError:
        port = None
        bad_port = True
    else:
        bad_port = False
    if parts.scheme not in SCHEMES or not parts.hostname or bad_port:
        raise ProxySettingError(
            en=f"{text!r} is not a proxy address; write it as http://host:port.",
            zh=f"“{text}”不是有效的代理服务器地址，请写成 http://主机:端口 的形式。",
        )
    if parts.username or parts.password:
        raise ProxySettingError(
            en="Do not put a user name or password in the proxy address; enter them "
            "separately (the password is kept in the system keyring).",
            zh="请不要把用户名或密码写在代理地址中，请单独填写（密码保存在系统钥匙串中）。",
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ProxySettingError(
            en=f"{text!r} has a path; a proxy address is only scheme://host:port.",
            zh=f"“{text}”包含路径，代理地址只应包含 协议://主机:端口。",
        )
    host = parts.hostname
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, "", "", ""))


def load_proxy(ctx: AppContext) -> ProxySetting:
    with ctx.store.read() as s:
        mode, url, user = (
            settings.read_in(s, k)
            for k in (settings.PROXY_MODE, settings.PROXY_URL, settings.PROXY_USER)
        )
    if mode != "manual" or not url:
        return ProxySetting("system", url, user)
    return ProxySetting("manual", url, user)


def save_proxy(
    ctx: AppContext, mode: str, url: str = "", user: str = "", password: str | None = None
) -> ProxySetting:
    """Store the proxy choice; ``password`` (if given) goes to the keyring."""
    if mode not in ("system", "manual"):
        raise ProxySettingError(en=f"unknown proxy mode {mode!r}", zh=f"未知的代理模式 {mode}")
    if mode == "manual":
        clean = normalise_proxy_url(url)
    else:  # the address is remembered for the next time a proxy is needed
        clean = normalise_proxy_url(url) if url.strip() else load_proxy(ctx).url
    if password is not None and mode == "manual" and user:
        _set_password(clean, user, password)
    with ctx.store.write() as s:
        settings.write_in(s, settings.PROXY_MODE, mode)
        settings.write_in(s, settings.PROXY_URL, clean)
        settings.write_in(s, settings.PROXY_USER, user.strip())
    return load_proxy(ctx)


def _set_password(url: str, user: str, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, f"{user}@{url}", password)
    except (KeyringError, RuntimeError) as exc:
        raise ProxySettingError(
            en=f"The proxy password cannot be kept: no system keyring is available ({exc}).",
            zh=f"无法保存代理密码：系统钥匙串不可用（{exc}）。",
        ) from None


def _get_password(url: str, user: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, f"{user}@{url}")
    except (KeyringError, RuntimeError):
        return None


def http_proxy(ctx: AppContext) -> str | None:
    """What the sync session's ``HttpSettings.proxy`` should be: ``None`` means the
    system's proxy; otherwise a URL, with the keyring's credentials put in."""
    setting = load_proxy(ctx)
    if setting.mode != "manual":
        return None
    if not setting.user:
        return setting.url
    password = _get_password(setting.url, setting.user) or ""
    parts = urlsplit(setting.url)
    cred = quote(setting.user, safe="")
    if password:
        cred += ":" + quote(password, safe="")
    return urlunsplit((parts.scheme, f"{cred}@{parts.netloc}", "", "", ""))


def proxy_for_display(ctx: AppContext) -> str:
    setting = load_proxy(ctx)
    if setting.mode != "manual":
        return "system"
    return f"{setting.url} (user {setting.user})" if setting.user else setting.url
