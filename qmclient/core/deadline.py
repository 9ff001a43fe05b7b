"""How long is left before a campaign's deadline, judged in the campaign's time zone."""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from qmclient.core.campaign import Campaign

# A program built on this day cannot be running at an earlier time: a clock showing an
# earlier date is wrong.  Raised with each release.
RELEASE_DATE = dt.date(2026, 11, 1)
SKEW_TOLERANCE = dt.timedelta(minutes=5)

State = Literal["open", "due_today", "overdue"]


class DeadlineStatus(NamedTuple):  # not a dataclass: defining one costs a millisecond a start
    state: State
    days: int  # days left when open, 0 when due today, days overdue when overdue
    due: dt.datetime  # in the campaign's time zone

    def text_zh(self) -> str:
        # Not through strftime: on Windows it encodes its format in the ANSI code page,
        # which may not hold 年/月/日.
        due = f"{self.due.year}年{self.due.month}月{self.due.day}日"
        if self.state == "open":
            return f"距截止还有 {self.days} 天（{due}）"
        if self.state == "due_today":
            return f"今天截止（{due} {self.due:%H:%M}）"
        return f"已逾期 {self.days} 天（截止 {due}）"

    def text_en(self) -> str:
        due = f"{self.due:%Y-%m-%d}"
        if self.state == "open":
            return f"{self.days} day{'s' if self.days != 1 else ''} left (due {due})"
        if self.state == "due_today":
            return f"Due today ({due} {self.due:%H:%M})"
        return f"Overdue by {self.days} day{'s' if self.days != 1 else ''} (due {due})"


def deadline_status(campaign: Campaign, now: dt.datetime) -> DeadlineStatus:
    """Where ``now`` (an aware time) stands against the campaign's deadline."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(campaign.tz)
    due = campaign.due
    today, due_day = local.date(), due.date()
    if local > due:
        return DeadlineStatus("overdue", max(1, (today - due_day).days), due)
    if today == due_day:
        return DeadlineStatus("due_today", 0, due)
    return DeadlineStatus("open", (due_day - today).days, due)


def clock_problem(local_now: dt.datetime, server_now: dt.datetime | None = None) -> str | None:
    """Why the computer's clock looks wrong, or ``None``.

    With the server's time known, a difference of more than five minutes is reported;
    without it, a date before this release of the program is.
    """
    if server_now is not None:
        skew = local_now - server_now
        if abs(skew) > SKEW_TOLERANCE:
            minutes = int(skew.total_seconds() // 60)
            ahead = "fast" if minutes > 0 else "slow"
            return f"{ahead}:{abs(minutes)}"
        return None
    if local_now.date() < RELEASE_DATE:
        return "before-release"
    return None
