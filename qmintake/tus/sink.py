"""A request body handed to the upload's writer off the event loop (``engine.write``)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from qmintake.tus.protocol import BATCH


class Sink:
    """Hands a request body to the writer off the event loop, in order, in batches.

    While the worker thread is busy with one batch (file writes, network sends and
    hashing release the GIL, so this runs beside the event loop), the next chunks are
    gathered, up to :data:`BATCH` bytes; when it is idle, whatever arrived is handed over
    at once, so a slow trickle still reaches the store as it comes.
    """

    def __init__(self, writer: Any, checksum: Any) -> None:
        self.writer = writer
        self.checksum = checksum
        self.pos: int = writer.start  # bytes handed to the worker end here
        # the chunks gathered, handed over as they came: a bytearray grown chunk by chunk
        # is copied as it grows, and glibc keeps the heap it grew into
        self.chunks: list[bytes] = []
        self.gathered = 0
        self.pending: asyncio.Future[None] | None = None

    @property
    def accepted(self) -> int:
        return self.pos + self.gathered

    async def add(self, chunk: bytes) -> None:
        self.chunks.append(chunk)
        self.gathered += len(chunk)
        if self.pending is None or self.pending.done() or self.gathered >= BATCH:
            await self._submit()

    async def _submit(self) -> None:
        if self.pending is not None:
            await self.pending
            self.pending = None
        if not self.chunks:
            return
        chunks, self.chunks = self.chunks, []
        self.pos += self.gathered
        self.gathered = 0
        loop = asyncio.get_running_loop()
        self.pending = loop.run_in_executor(None, self._job, chunks)

    def _job(self, chunks: list[bytes]) -> None:
        # one write per batch where the writer takes many (the data folder: one system
        # call, the lease looked at once), never copied into one buffer (memory)
        write_many = getattr(self.writer, "write_many", None)
        if write_many is not None:
            write_many(chunks)
        else:
            for data in chunks:
                self.writer.write(data)
        if self.checksum is not None:
            for data in chunks:
                self.checksum.update(data)

    async def close(self) -> None:
        await self._submit()
        await self._submit()

    async def settle(self) -> None:
        """Wait for the batch in flight, ignoring its errors (before undoing a request)."""
        if self.pending is not None:
            with contextlib.suppress(Exception):
                await self.pending
            self.pending = None
