"""The intake database: SQLite by default, PostgreSQL for real deployments.

The schema is created and upgraded with the server's own Alembic migrations
(``qmintake/migrations``).  On SQLite every transaction starts with ``BEGIN IMMEDIATE``
(WAL, busy timeout), so concurrent requests queue for the write lock instead of failing
with "database is locked"; on PostgreSQL row locks and unique constraints do that work.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

SCHEMA_HEAD = "0002_s3"  # after 0002_console, 0002_faults, 0002_officeout
BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "qmintake_read_only"  # the execution option of Database.read


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'qmintake.sqlite3'}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # a read on its own (Database.read) takes no write lock: WAL lets it run
            # beside the writer, on the snapshot it starts with
            read = conn.get_execution_options().get(READ_ONLY, False)
            conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def migrate_apart(url: str) -> None:
    """:func:`migrate` in a process of its own: for a server, which would otherwise keep
    Alembic (with Mako and Pygments, about 12 MiB) in memory for as long as it runs, for a
    step done once at its start.  The URL goes through a pipe (it may hold a password,
    which a command line would show to every user of the machine).  The migration's own
    messages go to this process's stderr; a failure raises :class:`RuntimeError`."""
    code = (
        "import sys; from qmintake.db import make_engine, migrate; "
        "migrate(make_engine(sys.stdin.read()))"
    )
    done = subprocess.run([sys.executable, "-c", code], input=url, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the database migration failed (exit status {done.returncode})")


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return str(row[0]) if row else None


class Database:
    """The engine and a session factory; ``with db.session() as s:`` commits on success."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time (every transaction is BEGIN IMMEDIATE): the
        # threads of this process queue here for it, not in SQLite's busy handler, which
        # sleeps 1, 2, 5, 10 … ms between tries
        self._one_at_a_time = threading.RLock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        with self._one_at_a_time or contextlib.nullcontext(), self._sessions() as s, s.begin():
            yield s

    @contextlib.contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction on a plain connection, committed on success: for the upload
        path's statements, built once (no ORM session, no objects to build per row)."""
        with self._one_at_a_time or contextlib.nullcontext(), self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction: on SQLite it neither waits for nor blocks the writer."""
        with self.engine.connect() as conn:
            conn.execution_options(**{READ_ONLY: True})
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()
