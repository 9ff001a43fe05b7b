"""Fixtures for the coordinator's tests: a keyring in memory, a real qmintake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from coordsetup import MemoryKeyring, make_coordinator

from qmclient.services.context import AppContext


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


@pytest.fixture
def coord(ctx: AppContext) -> AppContext:
    """The data folder of 历下区's coordinator."""
    make_coordinator(ctx)
    return ctx
