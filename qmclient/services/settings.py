"""Every setting kept with the data (the store's ``setting`` table), declared in one place
with its type and default.  The window's own settings (language, window layout) live in
QSettings (:mod:`qmclient.ui.settings`); these travel with the data folder and its backups.

Read and write them with :func:`read` and :func:`write` (their own transaction), or
:func:`read_in` and :func:`write_in` inside a transaction the caller holds.  A family of
keys (one per endpoint, say) is a :class:`KeyFamily`: its names never exceed the column's
100 characters — a long one ends in a hash of the whole, so two never collide.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from qmclient.core.campaign import DEFAULT_CAMPAIGN_SETTING
from qmclient.store.database import Store
from qmclient.store.models import Setting


class HasStore(Protocol):
    """What :func:`read` and :func:`write` need: an ``AppContext`` (or anything with the
    open store)."""

    @property
    def store(self) -> Store: ...


KEY_LENGTH = 100  # the column's width
T = TypeVar("T")


@dataclass(frozen=True)
class Key(Generic[T]):
    """One setting: its ``name`` in the table, its ``default`` and what it is for."""

    name: str
    default: T
    doc: str = ""

    def __post_init__(self) -> None:
        if not 0 < len(self.name) <= KEY_LENGTH:
            raise ValueError(f"setting name {self.name!r} is not 1..{KEY_LENGTH} characters")

    def parse(self, text: str) -> T:
        if isinstance(self.default, bool):
            return (text.lower() in ("true", "1", "yes")) if text else self.default  # type: ignore[return-value]
        return text if text else self.default  # type: ignore[return-value]

    def format(self, value: T) -> str:
        if isinstance(self.default, bool):
            return "true" if value else "false"
        return str(value)


@dataclass(frozen=True)
class JsonKey(Key[dict[str, Any] | None]):
    """A setting holding a JSON object (``None`` when not set or not readable)."""

    def parse(self, text: str) -> dict[str, Any] | None:
        try:
            value = json.loads(text) if text else None
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def format(self, value: dict[str, Any] | None) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


@dataclass(frozen=True)
class KeyFamily:
    """Settings named ``prefix:part:part…``, one per endpoint or campaign."""

    prefix: str
    doc: str = ""

    def key(self, *parts: str) -> Key[str]:
        name = ":".join((self.prefix, *parts))
        if len(name) > KEY_LENGTH:
            digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]
            name = f"{name[: KEY_LENGTH - len(digest) - 1]}#{digest}"
        return Key(name, "", self.doc)


# ----------------------------------------------------------------------------- the settings

DEFAULT_CAMPAIGN = Key(DEFAULT_CAMPAIGN_SETTING, "", "the campaign chosen as the default")
FIRST_RUN = Key("first_run", "", '"done" or "skipped": the first-run wizard was seen')
ENDPOINT = Key("sync.endpoint", "", "the intake endpoint chosen over the campaign's")
CAMPAIGN_ETAG = KeyFamily("sync.campaign_etag", "the ETag of a campaign fetched from a server")
PROXY_MODE = Key("proxy_mode", "system", '"system" or "manual"')
PROXY_URL = Key("proxy_url", "", "scheme://host:port of the manual proxy, no credentials")
PROXY_USER = Key("proxy_user", "", "the manual proxy's user name (the password is in the keyring)")
SMTP = JsonKey("smtp", None, "the mail account: server, port, security, user (no password)")
CONNECTED_UNIT = Key(
    "sync.connected_unit", "", '"name|kind|district" as the office knows the unit (no secret)'
)
RECEIPT_KEYS = JsonKey(
    "sync.receipt_keys", None, "the offices' public receipt keys by key_id, to check receipts"
)
VERDICTS_ETAG = KeyFamily("sync.verdicts_etag", "the ETag of the submissions list per server")


# ----------------------------------------------------------------------------- access


def read_in(s: Session, key: Key[T]) -> T:
    row = s.get(Setting, key.name)
    return key.parse(row.value if row is not None else "")


def write_in(s: Session, key: Key[T], value: T) -> None:
    s.merge(Setting(key=key.name, value=key.format(value)))


def read(ctx: HasStore, key: Key[T]) -> T:
    with ctx.store.read() as s:
        return read_in(s, key)


def write(ctx: HasStore, key: Key[T], value: T) -> None:
    with ctx.store.write() as s:
        write_in(s, key, value)
