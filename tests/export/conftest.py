"""Fixtures for the export tests: a realistic draft, noisy photos, a small-mail campaign."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from exportfiles import SMALL_MAIL_LIMIT, make_noisy_jpeg
from sample import build_sample

from qmclient.services.context import AppContext


@pytest.fixture
def sample_sid(ctx: AppContext, tmp_path: Path) -> int:
    return build_sample(ctx, tmp_path / "src")


@pytest.fixture
def small_mail_campaign(ctx: AppContext) -> str:
    """The bundled campaign with a 1 MiB mail limit (the schema's minimum), as an import."""
    from qmclient.core.campaign import bundled_campaign_paths

    text = bundled_campaign_paths()[0].read_text("utf-8")
    text = text.replace('id = "jinan-2022-quality-month"', 'id = "small-mail"', 1)
    text = text.replace("size_limit_bytes = 20_971_520", f"size_limit_bytes = {SMALL_MAIL_LIMIT}")
    campaign = ctx.campaigns.import_text(text, "small-mail.toml")
    assert campaign.mail_size_limit == SMALL_MAIL_LIMIT
    return campaign.id


@pytest.fixture
def mail_sid(ctx: AppContext, tmp_path: Path, small_mail_campaign: str) -> int:
    """A draft under the 1 MiB-mail campaign: eight incompressible photos, no video yet."""
    from qmclient.core.report import Unit
    from qmclient.services import drafts

    sid = drafts.create_draft(
        ctx,
        campaign_id=small_mail_campaign,
        unit=Unit(
            name="济南某某有限公司",
            kind="enterprise",
            district="tianqiao",
            credit_code="91350100M000100Y43",
            contact_person="李四",
            phone="13800000000",
        ),
    )
    drafts.update_fields(
        ctx, sid, {"title": "质量月活动总结", "summary": "开展了质量月活动。" * 12}
    )
    act = drafts.add_activity(
        ctx,
        sid,
        {
            "focus_area": "publicity",
            "name": "启动仪式",
            "start_date": "2022-09-01",
            "description": "召开启动大会。",
        },
    )
    photos = [
        make_noisy_jpeg(tmp_path / "p" / f"照片{i}.jpg", (400, 300), seed=i) for i in range(8)
    ]
    drafts.attach_files(ctx, sid, photos, activity_id=act, caption="现场")
    return sid
