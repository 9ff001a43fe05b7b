"""The campaigns this installation knows: bundled files plus imported or fetched ones."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from qmclient.core.campaign import (
    DEFAULT_CAMPAIGN_ID,
    Campaign,
    bundled_campaigns,
    load_campaign,
    parse_campaign,
    stored_campaigns,
)
from qmclient.core.work import QmError
from qmclient.services import settings
from qmclient.store.database import Store
from qmclient.store.models import CampaignFile, utcnow


class UnknownCampaignError(QmError, LookupError):
    """A campaign this program does not know (neither bundled nor imported)."""

    code = "unknown-campaign"

    def __init__(self, campaign_id: str) -> None:
        super().__init__(
            zh=f"本机没有活动“{campaign_id}”，请先导入该活动的文件。",
            en=f"unknown campaign {campaign_id!r}; import its file first",
        )
        self.campaign_id = campaign_id


class CampaignRegistry:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._imported: dict[str, Campaign] | None = None

    def _load_imported(self) -> dict[str, Campaign]:
        if self._imported is None:
            with self.store.read() as s:
                rows = s.execute(select(CampaignFile.id, CampaignFile.text, CampaignFile.source))
                self._imported = stored_campaigns(rows)
        return self._imported

    def all(self) -> list[Campaign]:
        merged = {**bundled_campaigns(), **self._load_imported()}
        return sorted(merged.values(), key=lambda c: c.due, reverse=True)

    def get(self, campaign_id: str) -> Campaign:
        imported = self._load_imported()
        if campaign_id in imported:
            return imported[campaign_id]
        bundled = bundled_campaigns()
        if campaign_id in bundled:
            return bundled[campaign_id]
        raise UnknownCampaignError(campaign_id)

    def default(self) -> Campaign:
        with self.store.read() as s:
            chosen = settings.read_in(s, settings.DEFAULT_CAMPAIGN)
        if chosen:
            try:
                return self.get(chosen)
            except UnknownCampaignError:
                pass
        return self.get(DEFAULT_CAMPAIGN_ID)

    def set_default(self, campaign_id: str) -> None:
        self.get(campaign_id)
        with self.store.write() as s:
            settings.write_in(s, settings.DEFAULT_CAMPAIGN, campaign_id)

    def import_text(self, text: str, source: str) -> Campaign:
        """Check and keep a campaign definition; raises :class:`CampaignError`."""
        campaign = parse_campaign(text, source)
        with self.store.write() as s:
            s.merge(CampaignFile(id=campaign.id, source=source, text=text, imported_at=utcnow()))
        self._imported = None
        return campaign

    def is_stored(self, text: str) -> bool:
        """True if exactly this definition is already kept (a fetch that changed nothing:
        no need to check it again)."""
        import json

        try:
            campaign_id = json.loads(text).get("id")
        except (ValueError, AttributeError):
            return False
        if not isinstance(campaign_id, str):
            return False
        with self.store.read() as s:
            row = s.get(CampaignFile, campaign_id)
            return row is not None and row.text == text

    def import_file(self, path: Path) -> Campaign:
        load_campaign(path)  # the clear error messages for unreadable files
        return self.import_text(path.read_text(encoding="utf-8-sig"), str(path))
