"""The first look at the store with plain sqlite3 (what the window paints before the
database layer loads) agrees with the store itself, and gives up when it cannot be sure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from mediafactory import make_jpeg, make_png

from qmclient.core import lifecycle
from qmclient.core.campaign import bundled_campaign_paths
from qmclient.services import drafts
from qmclient.services.context import AppContext, open_context
from qmclient.store.database import DB_NAME
from qmclient.store.glance import glance


def next_year_text() -> str:
    text = bundled_campaign_paths()[0].read_text(encoding="utf-8")
    return text.replace(
        'id = "jinan-2022-quality-month"', 'id = "jinan-2023-quality-month"'
    ).replace("due = 2022-09-30T23:59:59", "due = 2023-09-28")


def fill(ctx: AppContext, tmp_path: Path) -> None:
    """Reports of two campaigns, in several states, with activities and media."""
    ctx.campaigns.import_text(next_year_text(), "2023.toml")
    first = drafts.create_draft(ctx, title="济南某企业2022年“质量月”活动情况总结")
    drafts.add_activity(ctx, first, {"name": "质量开放日", "focus_area": "publicity"})
    drafts.add_activity(ctx, first, {"name": "QC成果发布", "focus_area": "publicity"})
    photos = [make_jpeg(tmp_path / "a.jpg"), make_png(tmp_path / "b.png")]
    assert len(drafts.attach_files(ctx, first, photos).added) == 2
    ctx.campaigns.set_default("jinan-2023-quality-month")
    second = drafts.create_draft(ctx, title="")  # untitled, in the 2023 campaign
    third = drafts.create_draft(ctx, title="第三份")
    drafts.update_fields(ctx, third, {"summary": "已完成"})
    drafts.set_status(ctx, third, lifecycle.QUEUED)
    assert second != third


def test_glance_lists_what_the_store_lists(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    try:
        fill(ctx, tmp_path)
        # while the store is open (its WAL file in use) and after it is closed
        early = glance(data / DB_NAME)
        assert early is not None
        expected = drafts.list_submissions(ctx)
        assert early.rows == expected
        assert [r.media_count for r in early.rows] == [0, 0, 2]
        assert [r.activity_count for r in early.rows] == [0, 0, 2]
        assert early.default_campaign_id == "jinan-2023-quality-month"
        assert early.default_campaign() == ctx.campaigns.default()
        for row in expected:
            assert early.campaign(row.campaign_id) == ctx.campaigns.get(row.campaign_id)
    finally:
        ctx.close()
    closed = glance(data / DB_NAME)
    assert closed is not None and closed.rows == expected


def test_glance_gives_up_when_it_cannot_be_sure(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert glance(data / DB_NAME) is None  # first start: no database yet
    ctx = open_context(data)
    drafts.create_draft(ctx, title="一份")
    ctx.close()
    assert glance(data / DB_NAME) is not None

    conn = sqlite3.connect(data / DB_NAME)
    conn.execute("UPDATE alembic_version SET version_num = '0002'")  # would be migrated
    conn.commit()
    conn.close()
    assert glance(data / DB_NAME) is None

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 200)
    assert glance(garbage) is None
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    assert glance(empty) is None


def test_an_unknown_campaign_is_left_to_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    drafts.create_draft(ctx, title="一份")
    ctx.close()
    conn = sqlite3.connect(data / DB_NAME)
    conn.execute("UPDATE submission SET campaign_id = 'gone-campaign'")
    conn.commit()
    conn.close()
    early = glance(data / DB_NAME)
    assert early is not None
    assert early.rows[0].campaign_id == "gone-campaign"
    with pytest.raises(LookupError):
        early.campaign("gone-campaign")
