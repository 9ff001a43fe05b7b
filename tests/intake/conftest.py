"""Fixtures for the intake server's tests: real servers on SQLite and PostgreSQL.

``backend`` runs a test module once on SQLite and once on a fresh PostgreSQL database
made from ``$QMTEST_PG_URL`` (skipped, saying so, when it is unset).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_server import IntakeServer

from intake.browser import chromium, console  # noqa: F401  fixtures of the console's tests
from qmclient.resources import campaigns_dir

PG_ENV = "QMTEST_PG_URL"
JINAN = campaigns_dir() / "jinan-2022-quality-month.toml"


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database URL ('' means SQLite in the server's data folder)."""
    if request.param == "sqlite":
        yield ""
        return
    admin = _pg_admin_url()
    if admin is None:
        pytest.skip(f"PostgreSQL variant skipped: ${PG_ENV} is not set (./qm test sets it)")
    import sqlalchemy as sa

    name = f"qmintake_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


def campaign_variant(tmp: Path, campaign_id: str, due: str, late_policy: str = "warn") -> Path:
    """The Jinan campaign file with another id, deadline and late policy."""
    text = JINAN.read_text(encoding="utf-8")
    text = text.replace('id = "jinan-2022-quality-month"', f'id = "{campaign_id}"')
    text = text.replace("due = 2022-09-30T23:59:59", f"due = {due}")
    text = text.replace('late_policy = "warn"', f'late_policy = "{late_policy}"')
    path = tmp / f"{campaign_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


ONTIME = "jinan-2099-quality-month"
REFUSE = "jinan-2021-refuse-late"


@pytest.fixture(scope="module")
def campaign_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("campaigns")
    return [
        JINAN,
        campaign_variant(tmp, ONTIME, "2099-09-30T23:59:59"),
        campaign_variant(tmp, REFUSE, "2021-09-30T23:59:59", "refuse"),
    ]


@pytest.fixture(scope="module")
def server(
    backend: str, campaign_files: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IntakeServer]:
    """One running server per module and backend (tests make their own tokens/UUIDs)."""
    srv = IntakeServer(
        tmp_path_factory.mktemp("intake"), db_url=backend, campaign_files=campaign_files
    )
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")
