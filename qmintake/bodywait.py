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
    # A timeout on the awaiting task itself, not a task per message: a PATCH body comes in
    # thousands of messages, and a task plus asyncio.wait() for each cost about 100 µs
    # of the event loop's time, a second or more per GiB.  A receive cancelled at a tick
    # loses nothing (the server keeps the bytes until a receive returns them).
    deadline = time.monotonic() + idle_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise BodyTimeout
        step = left if tick_s is None else min(left, tick_s)
        try:
            async with asyncio.timeout(step):
                return await receive()
        except TimeoutError:
            if on_wait is not None:
                await on_wait()
