"""The deadline, judged in the campaign's time zone; the clock check."""

from __future__ import annotations

import datetime as dt

import pytest

from qmclient.core.campaign import bundled_campaign_paths, load_campaign
from qmclient.core.deadline import RELEASE_DATE, clock_problem, deadline_status

CAMPAIGN = load_campaign(next(p for p in bundled_campaign_paths() if "jinan-2022" in p.name))
SH = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize(
    ("now", "state", "days"),
    [
        (dt.datetime(2022, 9, 1, 9, 0, tzinfo=SH), "open", 29),
        (dt.datetime(2022, 9, 29, 23, 59, tzinfo=SH), "open", 1),
        (dt.datetime(2022, 9, 30, 0, 0, tzinfo=SH), "due_today", 0),
        (dt.datetime(2022, 9, 30, 23, 59, 59, tzinfo=SH), "due_today", 0),
        (dt.datetime(2022, 10, 1, 0, 0, tzinfo=SH), "overdue", 1),
        (dt.datetime(2022, 10, 11, 8, 0, tzinfo=SH), "overdue", 11),
        # 16:30 UTC on the 30th is already 1 October in Jinan
        (dt.datetime(2022, 9, 30, 16, 30, tzinfo=dt.UTC), "overdue", 1),
        # 15:00 UTC on the 29th is 23:00 in Jinan: one more day left, not zero
        (dt.datetime(2022, 9, 29, 15, 0, tzinfo=dt.UTC), "open", 1),
    ],
)
def test_states_in_the_campaign_time_zone(now: dt.datetime, state: str, days: int) -> None:
    status = deadline_status(CAMPAIGN, now)
    assert (status.state, status.days) == (state, days)
    assert status.text_zh() and status.text_en()


def test_texts_are_in_the_offices_words() -> None:
    assert deadline_status(CAMPAIGN, dt.datetime(2022, 9, 20, tzinfo=SH)).text_zh() == (
        "距截止还有 10 天（2022年9月30日）"
    )
    assert (
        deadline_status(CAMPAIGN, dt.datetime(2022, 10, 3, tzinfo=SH))
        .text_zh()
        .startswith("已逾期 3 天")
    )
    assert (
        deadline_status(CAMPAIGN, dt.datetime(2022, 9, 30, 8, tzinfo=SH))
        .text_zh()
        .startswith("今天截止")
    )


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError):
        deadline_status(CAMPAIGN, dt.datetime(2022, 9, 1))


def test_clock_problems() -> None:
    server = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
    assert clock_problem(server + dt.timedelta(minutes=2), server) is None
    assert clock_problem(server + dt.timedelta(minutes=30), server) == "fast:30"
    assert clock_problem(server - dt.timedelta(hours=2), server) == "slow:120"
    before = dt.datetime.combine(RELEASE_DATE, dt.time(), dt.UTC) - dt.timedelta(days=400)
    assert clock_problem(before) == "before-release"
    assert clock_problem(dt.datetime.now(dt.UTC)) is None
