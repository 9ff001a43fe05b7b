"""The campaigns a server receives reports for, and their receipt-number prefixes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qmclient.core.campaign import Campaign, bundled_campaign_paths, load_campaign

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
        paths = list(files) or bundled_campaign_paths()
        served = []
        for path in paths:
            c = load_campaign(path)
            body = json.dumps(c.raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            etag = '"' + hashlib.sha256(body.encode()).hexdigest() + '"'
            served.append(ServedCampaign(c, prefixes.get(c.id) or default_prefix(c), etag))
        return cls(served)

    def get(self, campaign_id: str) -> ServedCampaign | None:
        return self._by_id.get(campaign_id)

    def all(self) -> list[ServedCampaign]:
        return sorted(self._by_id.values(), key=lambda s: s.campaign.due, reverse=True)

    def accepted_types(self) -> set[str]:
        return {t for s in self._by_id.values() for t in s.campaign.media.accepted_types}

    def max_file_bytes(self) -> int:
        return max((s.campaign.media.max_file_bytes for s in self._by_id.values()), default=0)
