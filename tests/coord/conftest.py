"""Fixtures for the coordinator's tests: a keyring in memory, a real qmintake."""

from __future__ import annotations

import pytest
from coordsetup import make_coordinator

from qmclient.services.context import AppContext


@pytest.fixture
def coord(ctx: AppContext) -> AppContext:
    """The data folder of 历下区's coordinator."""
    make_coordinator(ctx)
    return ctx
