"""Connecting this installation to the lead office's intake server, one service for the
window, the set-up wizard and the command line.

- :func:`read_connection_file` reads the ``.qmconnect`` file the office hands out (format
  in ``docs/protocol.md``, "Connection files"), bounded and checked: another format, an
  unknown version, another scheme, a token of the wrong shape are refused by name.
- :func:`check_connection` checks an address and a connection code at once: discovery (is
  it the intake API at all, or a web page / captive portal?), the server's time and this
  computer's clock skew, ``GET /api/v1/whoami`` (the unit's name and district as the office
  knows them) and whether the server runs the campaign a file was made for.
- :func:`connect` does the check, then keeps the token in the system keyring and the
  address in the settings.  Where no keyring works it raises :class:`KeyringUnavailable`
  with the documented fallback; the token is never written to SQLite, settings or logs.
- :func:`disconnect` forgets the token and the address (to switch office, connect again).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qmclient.core.boundedjson import JsonBounds, JsonRefused, loads_bounded
from qmclient.core.report import Unit
from qmclient.core.work import QmError, Work, work_or_new
from qmclient.services import clock, drafts, settings
from qmclient.services.context import AppContext
from qmclient.services.endpoint import http_settings, set_endpoint
from qmclient.services.receipts import remember_receipt_key
from qmclient.sync.api import IntakeClient, normalize_endpoint
from qmclient.sync.errors import SyncError
from qmclient.sync.http import HttpClient
from qmclient.sync.tokens import ENV_TOKEN, NoKeyringError, forget_token, load_token, save_token

FILE_FORMAT = "qmconnect"
FILE_VERSION = 1
MAX_FILE_BYTES = 64 * 1024
FILE_BOUNDS = JsonBounds(max_bytes=MAX_FILE_BYTES, max_depth=8, max_items=200, max_string=4096)
TOKEN_RE = re.compile(r"^qmt_[A-Za-z0-9_-]{43}$")
SKEW_WARN_S = 5 * 60  # a local clock this far off is pointed out


class ConnectionRefused(QmError):
    """The connection cannot be made; the message says why and what to do."""

    code = "connection-refused"


class KeyringUnavailable(QmError):
    """No keyring on this computer: the token cannot be kept safely."""

    code = "no-keyring"

    def __init__(self) -> None:
        super().__init__(zh=NoKeyringError.message_zh, en=NoKeyringError.message_en)


@dataclass(frozen=True)
class ConnectionFile:
    endpoint: str
    token: str
    campaign_id: str = ""
    office: str = ""
    unit: dict[str, str] = field(default_factory=dict)
    issued_at: str = ""


@dataclass(frozen=True)
class ConnectionCheck:
    """What the check found: the office's view of the unit, the clock, and what differs."""

    endpoint: str
    office_unit: dict[str, Any]
    server_time: dt.datetime
    clock_offset_s: float
    campaigns: list[str]
    mismatches: list[tuple[str, str, str]]  # (field, local value, the office's value)

    @property
    def clock_warning(self) -> tuple[str, str] | None:
        off = self.clock_offset_s
        if abs(off) < SKEW_WARN_S:
            return None
        hours = abs(off) / 3600
        zh_dir, en_dir = ("慢", "behind") if off > 0 else ("快", "ahead")
        return (
            f"本机时钟比报送服务器{zh_dir}约 {hours:.1f} 小时。是否逾期以服务器收到报告的时间为准；"
            "请校准本机时间，以免倒计时误导。",
            f"This computer's clock is about {hours:.1f} hours {en_dir} of the intake "
            "server. The server's time decides lateness; set this computer's clock so the "
            "countdown is right.",
        )


def _refuse(what: str, zh: str, en: str) -> ConnectionRefused:
    return ConnectionRefused(zh=f"{what}：{zh}", en=f"{what}: {en}")


def check_token_shape(token: str) -> str:
    token = token.strip()
    if not TOKEN_RE.match(token):
        raise ConnectionRefused(
            zh="连接码格式不对：应以 qmt_ 开头，共 47 个字符。请从报送办公室发放的连接文件或"
            "回执单上完整复制。",
            en="The connection code has the wrong form: it starts with qmt_ and has 47 "
            "characters. Copy it in full from the office's connection file or handout.",
        )
    return token


def parse_connection(data: bytes | str, what: str) -> ConnectionFile:
    """A ``.qmconnect`` document (file contents or a QR code's text); ``what`` names it."""
    try:
        doc = loads_bounded(data, what, FILE_BOUNDS)
    except JsonRefused as exc:
        raise ConnectionRefused(zh=exc.message_zh, en=exc.message_en) from None
    if not isinstance(doc, dict) or doc.get("format") != FILE_FORMAT:
        raise _refuse(
            what,
            "这不是报送服务器连接文件（.qmconnect）。请使用报送办公室发放的连接文件。",
            "this is not an intake connection file (.qmconnect). Use the file the office "
            "handed out.",
        )
    if doc.get("version") != FILE_VERSION:
        raise _refuse(
            what,
            f"连接文件的版本（{doc.get('version')!r}）本程序不认识，请更新 qmclient。",
            f"its version ({doc.get('version')!r}) is not known to this program; update qmclient.",
        )
    endpoint, token = doc.get("endpoint"), doc.get("token")
    if not isinstance(endpoint, str) or not isinstance(token, str):
        raise _refuse(
            what,
            "缺少服务器地址或连接码。",
            "the server address or the connection code is missing.",
        )
    try:
        endpoint = normalize_endpoint(endpoint)
    except SyncError as exc:
        raise _refuse(what, exc.message_zh, exc.message_en) from None
    try:
        token = check_token_shape(token)
    except ConnectionRefused as exc:
        raise _refuse(what, exc.message_zh, exc.message_en) from None
    raw_unit = doc.get("unit") if isinstance(doc.get("unit"), dict) else {}
    unit = {k: str(v) for k, v in (raw_unit or {}).items() if isinstance(v, str | int)}
    return ConnectionFile(
        endpoint,
        token,
        str(doc.get("campaign_id") or ""),
        str(doc.get("office") or ""),
        unit,
        str(doc.get("issued_at") or ""),
    )


def read_connection_file(path: Path) -> ConnectionFile:
    """Read and check a ``.qmconnect`` file; raises :class:`ConnectionRefused`."""
    what = f"连接文件 {path.name}" if path.name else str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ConnectionRefused(
            zh=f"无法读取连接文件 {path}（{exc.strerror or exc}）。",
            en=f"The connection file {path} cannot be read ({exc.strerror or exc}).",
        ) from None
    return parse_connection(data, what)


def _mismatches(ctx: AppContext, office: dict[str, Any]) -> list[tuple[str, str, str]]:
    local = drafts.get_profile(ctx)
    if local is None:
        return []
    out = []
    for name in ("name", "kind", "district", "credit_code"):
        theirs = str(office.get(name) or "")
        mine = str(getattr(local, name, "") or "")
        if theirs and mine != theirs:
            out.append((name, mine, theirs))
    return out


def check_connection(
    ctx: AppContext,
    endpoint: str,
    token: str,
    *,
    campaign_id: str = "",
    work: Work | None = None,
) -> ConnectionCheck:
    """Check the address and code now (see the module's text); raises :class:`SyncError`
    (network, TLS, web page, wrong code) or :class:`ConnectionRefused`."""
    work = work_or_new(work)
    base = normalize_endpoint(endpoint)
    token = check_token_shape(token)
    http = HttpClient(http_settings(ctx))
    try:
        client = IntakeClient(http, base, token)
        work.progress(0, 3, "discovery")
        found = client.discover()
        work.progress(1, 3, "whoami")
        office_unit = client.whoami()
        work.progress(2, 3, "campaign")
    finally:
        http.close()
    served = [str(c.get("id", "")) for c in found.campaigns]
    if campaign_id and campaign_id not in served:
        raise ConnectionRefused(
            zh=f"这份连接文件是为活动“{campaign_id}”发放的，但该服务器没有开展这项活动"
            f"（开展的是：{'、'.join(served) or '无'}）。请向报送办公室索取本次活动的连接文件。",
            en=f"This connection file was made for the campaign '{campaign_id}', which the "
            f"server does not run (it runs: {', '.join(served) or 'none'}). Ask the office "
            "for this campaign's connection file.",
        )
    clock.record_server_time(ctx, base, found.server_time, found.clock_offset_s)
    remember_receipt_key(ctx, found.raw.get("receipt_key"))
    work.progress(3, 3, "done")
    return ConnectionCheck(
        base,
        office_unit,
        found.server_time,
        found.clock_offset_s,
        served,
        _mismatches(ctx, office_unit),
    )


def connect(
    ctx: AppContext,
    endpoint: str,
    token: str,
    *,
    campaign_id: str = "",
    work: Work | None = None,
) -> ConnectionCheck:
    """Check, then keep the token in the keyring and use the address from now on."""
    result = check_connection(ctx, endpoint, token, campaign_id=campaign_id, work=work)
    try:
        save_token(result.endpoint, token.strip())
    except NoKeyringError:
        raise KeyringUnavailable() from None
    old = settings.read(ctx, settings.ENDPOINT)
    set_endpoint(ctx, result.endpoint)
    if old and normalize_endpoint(old) != result.endpoint:
        forget_token(normalize_endpoint(old))  # switched office: the old code goes
    unit = result.office_unit
    described = f"{unit.get('name', '')}|{unit.get('kind', '')}|{unit.get('district', '')}"
    settings.write(ctx, settings.CONNECTED_UNIT, described)
    return result


def connect_file(ctx: AppContext, path: Path, *, work: Work | None = None) -> ConnectionCheck:
    info = read_connection_file(path)
    return connect(ctx, info.endpoint, info.token, campaign_id=info.campaign_id, work=work)


def disconnect(ctx: AppContext) -> str:
    """Forget the token and the address; returns the address that was used ('' if none)."""
    old = settings.read(ctx, settings.ENDPOINT)
    if old:
        forget_token(normalize_endpoint(old))
    settings.write(ctx, settings.ENDPOINT, "")
    settings.write(ctx, settings.CONNECTED_UNIT, "")
    return old


@dataclass(frozen=True)
class ConnectionState:
    endpoint: str  # '' when not connected
    has_token: bool
    unit_name: str = ""
    district: str = ""

    @property
    def connected(self) -> bool:
        return bool(self.endpoint and self.has_token)


def state(ctx: AppContext) -> ConnectionState:
    """Is this installation connected (an address and a token for it)?"""
    url = settings.read(ctx, settings.ENDPOINT)
    if not url:
        return ConnectionState("", False)
    name, _kind, district = [*settings.read(ctx, settings.CONNECTED_UNIT).split("|"), "", "", ""][
        :3
    ]
    return ConnectionState(url, bool(load_token(url)), name, district)


def take_over_profile(ctx: AppContext, office_unit: dict[str, Any]) -> Unit:
    """Use the unit's name, kind, district and credit code as the office knows them."""
    local = drafts.get_profile(ctx) or Unit()
    taken = {
        name: str(office_unit[name])
        for name in ("name", "kind", "district", "credit_code")
        if office_unit.get(name)
    }
    unit = dataclasses.replace(local, **taken)
    drafts.save_profile(ctx, unit)
    return unit


FALLBACK_HINT = (
    f"没有系统钥匙串时，可在启动本程序前设置环境变量 {ENV_TOKEN}=连接码（不会被保存）。",
    f"Without a keyring, set the environment variable {ENV_TOKEN} to the connection code "
    "before starting the program (it is not stored).",
)
