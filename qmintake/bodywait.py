"""A bounded wait for the next bytes of a request body.

Without it a client that goes silent mid-body (a laptop lid closed, Wi-Fi gone without a
FIN, a frozen process, a proxy that stalls) keeps its request — and the upload's lease —
open for as long as the TCP connection lives.  :func:`receive_within` waits at most
``idle_s`` seconds for each message; the caller keeps the bytes it has and ends the
request with ``408 body-timeout``.  ``on_wait`` runs every ``tick_s`` seconds while waiting
(the upload engine renews its lease there).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any


class BodyTimeout(Exception):
    """No bytes of the request body arrived for too long."""


async def receive_within(
    receive: Callable[[], Awaitable[Any]],
    idle_s: float,
    tick_s: float | None = None,
    on_wait: Callable[[], Awaitable[None]] | None = None,
) -> Any:
    deadline = time.monotonic() + idle_s
    pending = asyncio.ensure_future(receive())
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BodyTimeout
            step = left if tick_s is None else min(left, tick_s)
            done, _ = await asyncio.wait({pending}, timeout=step)
            if done:
                return pending.result()
            if on_wait is not None:
                await on_wait()
    finally:
        if not pending.done():
            pending.cancel()
