"""The campaigns a server receives reports for, and their receipt-number prefixes.

Campaigns live in the database (table ``campaigns``): ``qmintake campaign import FILE``,
the console's upload, or a ``--campaign-file`` given to any command stores them, and from
then on ``serve`` and every office command read them from there — no flag has to be
repeated.  A database without campaigns serves the campaigns bundled with qmclient.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qmclient.core.campaign import (
    Campaign,
    CampaignError,
    bundled_campaign_paths,
    load_campaign,
    parse_campaign,
)

if TYPE_CHECKING:
    from qmintake.db import Database

VOWELS = set("aeiou")


def default_prefix(campaign: Campaign) -> str:
    """Two letters of the campaign's place name and the deadline year: ``JN2022``.

    The first letter of the id's first word and its first following consonant, which
    gives the usual abbreviation of pinyin place names (jinan → JN, beijing → BJ).
    """
    word = "".join(c for c in campaign.id.split("-")[0] if c.isascii() and c.isalpha())
    if not word:
        return f"QM{campaign.year}"
    second = next((c for c in word[1:] if c not in VOWELS), word[1:2] or "X")
    return f"{word[0]}{second}".upper() + str(campaign.year)


def _etag(c: Campaign) -> str:
    body = json.dumps(c.raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest() + '"'


@dataclass(frozen=True)
class ServedCampaign:
    campaign: Campaign
    prefix: str
    etag: str


class CampaignRegistry:
    def __init__(self, served: Iterable[ServedCampaign]) -> None:
        self._by_id = {s.campaign.id: s for s in served}

    @classmethod
    def load(cls, files: Iterable[Path], prefixes: dict[str, str]) -> CampaignRegistry:
        # the files shipped with the program are checked against the schema by the tests
        # (tests/core/test_campaign.py), not at each start: that loads jsonschema
        given = list(files)
        served = []
        for path in given or bundled_campaign_paths():
            c = load_campaign(path, check_schema=bool(given))
            served.append(ServedCampaign(c, prefixes.get(c.id) or default_prefix(c), _etag(c)))
        return cls(served)

    @classmethod
    def from_database(
        cls, db: Database, files: Iterable[Path] = (), prefixes: dict[str, str] | None = None
    ) -> CampaignRegistry:
        """The campaigns stored in the database, after storing ``files`` and ``prefixes``
        given on the command line; the bundled campaigns when none is stored."""
        prefixes = prefixes or {}
        if not _has_campaigns_table(db):  # before the first migration: the files only
            return cls.load(files, prefixes)
        for path in files:
            c = load_campaign(path)
            store_campaign(db, c, _text_of(path), str(path.name), prefixes.get(c.id, ""), "")
        rows = stored_campaign_rows(db)
        for cid, prefix in prefixes.items():
            if cid in rows and rows[cid][1] != prefix:
                set_receipt_prefix(db, cid, prefix)
        rows = stored_campaign_rows(db)
        if not rows:
            return cls.load((), prefixes)
        served = []
        for cid, (text, prefix, source) in rows.items():
            try:
                c = parse_campaign(text, source or cid, check_schema=False)
            except CampaignError:  # checked at import; a newer program may read it
                continue
            served.append(ServedCampaign(c, prefix or default_prefix(c), _etag(c)))
        return cls(served)

    def get(self, campaign_id: str) -> ServedCampaign | None:
        return self._by_id.get(campaign_id)

    def all(self) -> list[ServedCampaign]:
        return sorted(self._by_id.values(), key=lambda s: s.campaign.due, reverse=True)

    def accepted_types(self) -> set[str]:
        return {t for s in self._by_id.values() for t in s.campaign.media.accepted_types}

    def max_file_bytes(self) -> int:
        return max((s.campaign.media.max_file_bytes for s in self._by_id.values()), default=0)


def _text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


def read_campaign_text(data: bytes, source: str) -> tuple[Campaign, str]:
    """Check an uploaded campaign file (TOML or its JSON form); raises CampaignError."""
    from qmclient.core.campaign import MAX_CAMPAIGN_FILE_BYTES

    if len(data) > MAX_CAMPAIGN_FILE_BYTES:
        raise CampaignError(
            source, "", "a campaign file is at most 1 MB", "活动文件最大 1 MB，这个文件太大"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CampaignError(
            source,
            f"byte {exc.start}",
            "not UTF-8 text; save it as UTF-8",
            "不是 UTF-8 文本，请另存为 UTF-8 编码",
        ) from None
    return parse_campaign(text, source), text


def _has_campaigns_table(db: Database) -> bool:
    from sqlalchemy import inspect

    with db.engine.connect() as conn:
        return inspect(conn).has_table("campaigns")


def stored_campaign_rows(db: Database) -> dict[str, tuple[str, str, str]]:
    """``{id: (text, receipt_prefix, source)}`` of the stored campaigns (none before the
    console's migration)."""
    from sqlalchemy import inspect, select

    from qmintake.models import CampaignRow

    with db.session() as s:
        if not inspect(s.connection()).has_table("campaigns"):
            return {}
        return {
            r.id: (r.text, r.receipt_prefix, r.source) for r in s.scalars(select(CampaignRow)).all()
        }


def store_campaign(
    db: Database, campaign: Campaign, text: str, source: str, prefix: str, who: str
) -> bool:
    """Store (or replace) a campaign's text; True when something changed.  A stored
    receipt prefix stays unless another is given: receipt numbers never change scheme."""
    from qmintake.models import CampaignRow, utcnow

    with db.session() as s:
        row = s.get(CampaignRow, campaign.id, with_for_update=True)
        if row is None:
            s.add(
                CampaignRow(
                    id=campaign.id,
                    text=text,
                    source=source,
                    receipt_prefix=prefix or default_prefix(campaign),
                    imported_at=utcnow(),
                    imported_by=who,
                )
            )
            return True
        changed = row.text != text or bool(prefix and prefix != row.receipt_prefix)
        if changed:
            row.text, row.source, row.imported_at, row.imported_by = text, source, utcnow(), who
            if prefix:
                row.receipt_prefix = prefix
        return changed


def set_receipt_prefix(db: Database, campaign_id: str, prefix: str) -> None:
    from qmintake.models import CampaignRow

    with db.session() as s:
        row = s.get(CampaignRow, campaign_id, with_for_update=True)
        if row is not None:
            row.receipt_prefix = prefix
