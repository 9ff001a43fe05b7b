"""The time that counts: the intake server's clock once it is known, else this computer's.

Each time an endpoint is asked, the difference between its clock and ours is kept
(``server_clock``).  :func:`now` adds the newest difference to the local clock, so the
countdown and the late/on-time hint agree with what the server will decide at receipt,
even on a computer whose clock is wrong.  :func:`clock_warning` says when it is wrong.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from qmclient.core.deadline import clock_problem
from qmclient.services.context import AppContext
from qmclient.store.models import ServerClock


def record_server_time(
    ctx: AppContext, endpoint_url: str, server_time: dt.datetime, offset_s: float
) -> None:
    with ctx.store.write() as s:
        s.merge(
            ServerClock(
                endpoint_url=endpoint_url,
                offset_s=offset_s,
                server_time=server_time,
                measured_at=dt.datetime.now(dt.UTC),
            )
        )


def server_offset(ctx: AppContext, endpoint_url: str | None = None) -> float | None:
    """Seconds to add to the local clock (the newest measurement), or ``None``."""
    q = select(ServerClock).order_by(ServerClock.measured_at.desc()).limit(1)
    if endpoint_url:
        q = select(ServerClock).where(ServerClock.endpoint_url == endpoint_url)
    with ctx.store.read() as s:
        row = s.scalars(q).first()
        return None if row is None else row.offset_s


def now(ctx: AppContext, endpoint_url: str | None = None) -> dt.datetime:
    """The current time by the server's clock when known, else by this computer's."""
    local = dt.datetime.now(dt.UTC)
    offset = server_offset(ctx, endpoint_url)
    return local if offset is None else local + dt.timedelta(seconds=offset)


def clock_warning(ctx: AppContext) -> tuple[str, str] | None:
    """(Chinese, English) when this computer's clock looks wrong, else ``None``."""
    local = dt.datetime.now(dt.UTC)
    offset = server_offset(ctx)
    server = None if offset is None else local + dt.timedelta(seconds=offset)
    problem = clock_problem(local, server)
    if problem is None:
        return None
    if problem == "before-release":
        return (
            "本机日期早于本程序的发布日期，时钟可能不对；截止时间以报送服务器的时间为准。",
            "This computer's date is earlier than this program's release; its clock is "
            "probably wrong. Lateness is judged by the intake server's clock.",
        )
    direction, minutes = problem.split(":")
    zh = "快" if direction == "fast" else "慢"
    return (
        f"本机时钟比报送服务器{zh}了约 {minutes} 分钟；倒计时已按服务器时间计算，"
        "是否逾期以服务器收到的时间为准。",
        f"This computer's clock is about {minutes} minutes {direction}er than the intake "
        "server's; the countdown uses the server's time, which also decides lateness.",
    )
