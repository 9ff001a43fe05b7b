"""The files of one report sent a few at a time: :func:`run_lanes`.

A small file costs more in steps than in bytes — its creation request (which carries
the whole file), and on the server its upload row, the check of its SHA-256 and type,
the ``fsync`` and the record of the blob.  Sent one after another, each side waits for
the other's steps; a few in flight keep both sides (and the two cores of an office PC)
busy (docs/performance.md).  Large files stay one at a time: their bytes already fill
the line.

Exactly once and crash safety are the single file's: each file is one tus upload whose
progress is kept as before; a file in flight when the program is killed is sent again
from what the server has (a small file, sent whole in its creation request, from its
start — it is never larger than one chunk).  The first failure halts the other lanes at
their next read (``halt``), and after all have stopped it is raised: a cancel by the user
only if nothing else went wrong.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from qmclient.core.work import Cancelled

T = TypeVar("T")

# files of one report in flight at once (each its own connection) when they are small;
# two: with three the server spent more CPU for no shorter send (200 phone photos,
# docs/performance.md)
FILE_LANES = 2

SendFn = Callable[[T, int, threading.Event], None]


def run_lanes(serial: Sequence[T], parallel: Sequence[T], lanes: int, send: SendFn[T]) -> None:
    """``send(item, lane, halt)`` for every item: lane 0 (this thread) sends ``serial``
    one by one, then helps with ``parallel``, which lanes 1… (threads) send meanwhile.

    Raises the first error after every lane has stopped (a :class:`Cancelled` only when
    no other error happened)."""
    lanes = max(1, min(lanes, len(parallel) + (1 if serial else 0)))
    todo: queue.SimpleQueue[T] = queue.SimpleQueue()
    for item in parallel:
        todo.put(item)
    halt = threading.Event()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def lane(number: int, first: Sequence[T]) -> None:
        try:
            for item in first:
                if halt.is_set():
                    return
                send(item, number, halt)
            while not halt.is_set():
                try:
                    item = todo.get_nowait()
                except queue.Empty:
                    return
                send(item, number, halt)
        except BaseException as exc:  # handed to the caller below
            with lock:
                errors.append(exc)
            halt.set()

    threads = [
        threading.Thread(target=lane, args=(n, ()), name=f"send-lane-{n}", daemon=True)
        for n in range(1, lanes)
    ]
    for t in threads:
        t.start()
    try:
        lane(0, serial)
    finally:
        try:
            for t in threads:
                t.join()
        except BaseException:  # interrupted while waiting: the lanes stop too
            halt.set()
            raise
    if errors:
        real = [e for e in errors if not isinstance(e, Cancelled)]
        raise (real or errors)[0]
