"""Fixtures every test folder may use: a fresh data folder and its opened context, a
keyring in memory, a running intake server."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QMCLIENT_LANG", "zh_CN")
sys.path.insert(0, str(Path(__file__).parent))

from memkeyring import MemoryKeyring

from qmclient.services.context import AppContext, open_context

# The fast lane (./qm test --fast): unit tests that start no server, browser, subprocess
# or window and run in seconds.  A folder ends in "/", a file is named whole.
FAST = (
    "core/",
    "store/test_media_store.py",
    "store/test_glance.py",
    "services/test_orphans.py",
    "export/test_expected_units.py",
    "ui/test_operations.py",
    "intake/test_zipstream.py",
    "intake/test_byte_range.py",
)
_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        rel = item.path.relative_to(_TESTS).as_posix() if item.path.is_relative_to(_TESTS) else ""
        if any(rel == f or (f.endswith("/") and rel.startswith(f)) for f in FAST):
            item.add_marker(pytest.mark.fast)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[AppContext]:
    context = open_context(data_dir)
    yield context
    context.close()


@pytest.fixture
def campaign(ctx: AppContext):  # type: ignore[no-untyped-def]
    return ctx.campaigns.default()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The keyring for this test: in memory, put back afterwards."""
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def intake(tmp_path: Path) -> Iterator[object]:
    """A real qmintake on 127.0.0.1 (see ``intake_server.py``)."""
    from intake_server import IntakeServer

    server = IntakeServer(tmp_path / "intake")
    server.start()
    yield server
    server.stop()
