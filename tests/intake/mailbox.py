"""A real SMTP server for the reminders' tests (aiosmtpd on 127.0.0.1): it keeps what it
is given, refuses the addresses it is told to, and stalls on others (a server that takes
the mail and answers after the client gave up).

    with smtp_server() as (inbox, port): ...
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import socket
import time
from collections.abc import Iterator
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """An SMTP server's mailbox; it refuses, or stalls on, the addresses it is told to."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, bytes, float]] = []
        self.refuse: set[str] = set()
        self.stall: dict[str, float] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        for rcpt in envelope.rcpt_tos:
            if rcpt in self.stall:
                await asyncio.sleep(self.stall.pop(rcpt))
        for rcpt in envelope.rcpt_tos:
            self.messages.append((rcpt, envelope.original_content, time.monotonic()))
        return "250 OK"

    def to(self, address: str) -> int:
        return sum(1 for r, _m, _t in self.messages if r == address)

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [
            email.message_from_bytes(m, policy=email.policy.default)  # type: ignore[misc]
            for r, m, _t in self.messages
            if r == address
        ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
