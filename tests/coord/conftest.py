"""Fixtures for the coordinator's tests: a keyring in memory, a real qmintake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest

from qmclient.core.report import Unit
from qmclient.services import drafts
from qmclient.services.context import AppContext


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def intake(tmp_path: Path) -> Iterator[Any]:
    from intake_server import IntakeServer

    server = IntakeServer(tmp_path / "intake")
    server.start()
    yield server
    server.stop()


def make_coordinator(ctx: AppContext, district: str = "lixia") -> None:
    drafts.save_profile(
        ctx,
        Unit(
            name="历下区市场监督管理局",
            kind="district",
            district=district,
            contact_person="李四",
            phone="0531-82568852",
        ),
    )


@pytest.fixture
def coord(ctx: AppContext) -> AppContext:
    """The data folder of 历下区's coordinator."""
    make_coordinator(ctx)
    return ctx
