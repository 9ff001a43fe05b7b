"""The intake server's Alembic migrations build exactly the schema its models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from qmintake.db import SCHEMA_HEAD, Database, migrate, schema_revision
from qmintake.models import Base


def test_migrations_match_models(backend: str, tmp_path: Path) -> None:
    db = Database(backend or f"sqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        migrate(db.engine)
        migrate(db.engine)  # a second run changes nothing
        assert schema_revision(db.engine) == SCHEMA_HEAD
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        db.close()


def test_migration_files_end_at_the_head() -> None:
    """The revisions form one chain, and its end is SCHEMA_HEAD."""
    import re

    versions = Path(__file__).resolve().parents[2] / "qmintake" / "migrations" / "versions"
    revises: dict[str, str | None] = {}
    for path in versions.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev = re.search(r'^revision = "([^"]+)"', text, re.M)
        down = re.search(r'^down_revision = (?:"([^"]+)"|None)', text, re.M)
        assert rev and down, path.name
        revises[rev.group(1)] = down.group(1)
    ends = set(revises) - {d for d in revises.values() if d}
    assert ends == {SCHEMA_HEAD}
