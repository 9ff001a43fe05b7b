"""Fixtures every test folder may use: a fresh data folder and its opened context."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QMCLIENT_LANG", "zh_CN")
sys.path.insert(0, str(Path(__file__).parent))

from qmclient.services.context import AppContext, open_context


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
