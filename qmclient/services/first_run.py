"""The first start: has this installation been set up, and applying what the user chose.

The desktop app shows its first-run wizard while :func:`needs_first_run` is true; the
user may skip it (it is then offered again from the menu, not at every start).  The
endpoint's address is stored so the sync can fetch the office's campaign from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from qmclient.core.campaign import Campaign, CampaignError
from qmclient.core.report import Unit
from qmclient.core.work import QmError
from qmclient.services import settings
from qmclient.services.context import AppContext
from qmclient.services.drafts import get_profile, save_profile


class FirstRunError(QmError, ValueError):
    """A first-run choice that cannot be used; the message says which and why."""

    code = "first-run"


@dataclass(frozen=True)
class CampaignChoice:
    """``kind`` is "bundled" (``value`` = campaign id), "file" (a path) or "endpoint" (a URL)."""

    kind: str
    value: str


def needs_first_run(ctx: AppContext) -> bool:
    """True until the wizard was finished or skipped once (or a profile exists already,
    e.g. set from the command line)."""
    return not settings.read(ctx, settings.FIRST_RUN) and get_profile(ctx) is None


def mark_skipped(ctx: AppContext) -> None:
    if not settings.read(ctx, settings.FIRST_RUN):
        settings.write(ctx, settings.FIRST_RUN, "skipped")


def endpoint_url(ctx: AppContext) -> str:
    """The endpoint set by the user (the same setting ``qmclient login --endpoint`` writes)."""

    return settings.read(ctx, settings.ENDPOINT)


def check_endpoint_url(text: str) -> str:
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise FirstRunError(
            en=f"{text!r} is not a web address; it starts with https://",
            zh=f"“{text}”不是有效的网址，应以 https:// 开头",
        )
    return url


def apply_campaign_choice(ctx: AppContext, choice: CampaignChoice) -> Campaign | None:
    """Make the chosen campaign the default; returns it (``None`` for an endpoint, whose
    campaign arrives with the first sync)."""
    if choice.kind == "bundled":
        ctx.campaigns.set_default(choice.value)
        return ctx.campaigns.get(choice.value)
    if choice.kind == "file":
        try:
            campaign = ctx.campaigns.import_file(Path(choice.value))
        except CampaignError as exc:
            # the campaign's own message names the file and what is wrong in it
            raise FirstRunError(en=exc.message_en, zh=exc.message_zh) from None
        except OSError as exc:
            raise FirstRunError(
                en=f"The campaign file {choice.value} cannot be read ({exc.strerror or exc}).",
                zh=f"无法读取活动定义文件 {choice.value}（{exc.strerror or exc}）。",
            ) from None
        ctx.campaigns.set_default(campaign.id)
        return campaign
    if choice.kind == "endpoint":
        from qmclient.services.outbox import set_endpoint
        from qmclient.sync.errors import SyncError

        try:
            set_endpoint(ctx, check_endpoint_url(choice.value))
        except SyncError as exc:
            raise FirstRunError(en=exc.message_en, zh=exc.message_zh) from None
        return None
    raise FirstRunError(
        en=f"unknown campaign source {choice.kind!r}", zh=f"未知的活动来源 {choice.kind}"
    )


def finish(ctx: AppContext, unit: Unit, choice: CampaignChoice) -> Campaign | None:
    """Apply the wizard: the campaign first (it may fail), then the profile."""
    campaign = apply_campaign_choice(ctx, choice)
    save_profile(ctx, unit)
    settings.write(ctx, settings.FIRST_RUN, "done")
    return campaign
