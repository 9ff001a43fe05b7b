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
    import re

    versions = Path(__file__).resolve().parents[2] / "qmintake" / "migrations" / "versions"
    ids, downs = set(), set()
    for p in versions.glob("*.py"):
        text = p.read_text(encoding="utf-8")
        ids.add(re.search(r'^revision = "([^"]+)"', text, re.M).group(1))  # type: ignore[union-attr]
        down = re.search(r'^down_revision = "([^"]+)"', text, re.M)
        if down:
            downs.add(down.group(1))
    assert ids - downs == {SCHEMA_HEAD}, "one chain of migrations, ending at SCHEMA_HEAD"
