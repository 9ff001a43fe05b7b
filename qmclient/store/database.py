"""Opening the SQLite store: pragmas, the single writer, migrations and backups.

- WAL journal, ``synchronous=FULL`` (a committed change survives a power cut),
  foreign keys on, a busy timeout.
- One writer: every change goes through :meth:`Store.write`, which holds a process-wide
  lock and starts the transaction with ``BEGIN IMMEDIATE``; readers never block it.  A
  write started inside another on the same thread is refused at once (it could only
  wait on itself).
- After each committed write the store tells its listeners which tables changed
  (:meth:`Store.subscribe`); the window's views refresh from that.
- The schema is migrated with Alembic on open; the file is copied to ``backups/`` first.
  A database written by a newer program is refused, never touched.
- A file that is not a healthy database raises :class:`StoreCorruptError`; the file is
  left where it is and the newest backup is offered.  A full disk (:class:`StoreFullError`)
  or a folder that cannot be written (:class:`StoreReadOnlyError`) is told apart from a
  damaged file (:func:`disk_trouble`) and never offers a backup.
- ``open_store(..., read_only=True)`` opens without writing anything (no migration, no
  backup, no journal files when the folder refuses them): reading commands work on a
  full or read-only disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.pool import NullPool

# re-exported: the store's errors and schema names are imported from here too
from qmclient.store.errors import DB_NAME as DB_NAME
from qmclient.store.errors import SCHEMA_HEAD as SCHEMA_HEAD
from qmclient.store.errors import SCHEMA_HISTORY as SCHEMA_HISTORY
from qmclient.store.errors import StoreCorruptError as StoreCorruptError
from qmclient.store.errors import StoreError as StoreError
from qmclient.store.errors import StoreFullError as StoreFullError
from qmclient.store.errors import StoreReadOnlyError as StoreReadOnlyError
from qmclient.store.errors import StoreTooNewError as StoreTooNewError
from qmclient.store.errors import disk_trouble as disk_trouble

BUSY_TIMEOUT_MS = 10_000
KEEP_BACKUPS = 5

# The one-writer rule, for the whole process: one write transaction at a time, and none
# started inside another on the same thread.
_WRITER = threading.Lock()
_this_thread = threading.local()

ChangeListener = Callable[[frozenset[str]], None]


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _on_connect_ro(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA query_only = ON")
    cur.close()


def _ro_url(path: Path, immutable: bool) -> str:
    return f"file:{path}?mode=ro" + ("&immutable=1" if immutable else "")


def _make_ro_engine(path: Path, immutable: bool) -> Engine:
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: sqlite3.connect(
            _ro_url(path, immutable),
            uri=True,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        ),
    )
    event.listen(engine, "connect", _on_connect_ro)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _make_engine(path: Path, immediate: bool) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        poolclass=NullPool if immediate else None,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def newest_backup(db_path: Path) -> Path | None:
    found = sorted(backups_dir(db_path).glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def sqlite_copy(source: Path, dest: Path) -> None:
    """A consistent copy of a live database (SQLite online backup), written atomically."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)


class Store:
    """The open database.  Create with :func:`open_store`.

    A read-only store (``read_only=True``) reads through ``mode=ro`` connections
    (``immutable`` when the folder refuses even SQLite's shared-memory file) and refuses
    :meth:`write` with :class:`StoreReadOnlyError`.
    """

    def __init__(self, path: Path, *, read_only: bool = False, immutable: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        if read_only:
            self._write_engine = self._read_engine = _make_ro_engine(path, immutable)
        else:
            self._write_engine = _make_engine(path, immediate=True)
            self._read_engine = _make_engine(path, immediate=False)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self._read_engine, expire_on_commit=False)
        self._listeners: list[ChangeListener] = []
        event.listen(self._write_sessions, "after_flush", _note_flushed)
        event.listen(self._write_sessions, "do_orm_execute", _note_statement)

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose changes are committed together when the block ends.

        Raises :class:`StoreError` (code ``nested-write``) at once when this thread is
        already inside a write; waits for another thread's write to end.  A full disk or
        a folder that refuses writing raises :class:`StoreFullError` /
        :class:`StoreReadOnlyError` (the change is not made; nothing is damaged)."""
        if self.read_only:
            raise StoreReadOnlyError(self.path.parent, "opened for reading only")
        if getattr(_this_thread, "writing", False):
            raise StoreError(
                zh="程序内部错误：一次保存尚未结束时又开始了另一次保存，本次未作改动。请重试；"
                "若反复出现，请把日志文件发给技术支持。",
                en="A save was started while another was still under way (a program error); "
                "nothing was changed. Try again; if it keeps happening, send the log file to "
                "support.",
                code="nested-write",
            )
        with _WRITER:
            _this_thread.writing = True
            try:
                with self._write_sessions() as session:
                    with session.begin():
                        yield session
                    changed = frozenset(session.info.pop(_CHANGED, ()))
            except (OperationalError, OSError) as exc:
                trouble = disk_trouble(self.path, exc)
                if trouble is not None:
                    raise trouble from exc
                raise
            finally:
                _this_thread.writing = False
        if changed:
            for listener in list(self._listeners):
                listener(changed)

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener(tables)`` after each committed write that changed ``tables``
        (on the thread that wrote); returns the function that ends it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session:
            yield session

    def integrity_check(self) -> str:
        with self._read_engine.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())

    def backup_to(self, dest: Path) -> None:
        sqlite_copy(self.path, dest)

    def close(self) -> None:
        self._write_engine.dispose()
        self._read_engine.dispose()


_CHANGED = "qmclient.changed_tables"


def _note_flushed(session: Session, _context: Any) -> None:
    changed = session.info.setdefault(_CHANGED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table:
            changed.add(table)


def _note_statement(state: ORMExecuteState) -> None:
    """Bulk ``update()``/``delete()``/``insert()`` statements name their table too."""
    if state.is_update or state.is_delete or state.is_insert:
        mapper = state.bind_mapper
        table = getattr(getattr(mapper, "class_", None), "__tablename__", None)
        if table:
            state.session.info.setdefault(_CHANGED, set()).add(table)


def _current_revision(path: Path, immutable: bool = False) -> str | None:
    """The schema revision stamped in the file, ``None`` for an empty database."""
    conn = sqlite3.connect(_ro_url(path, immutable), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        head = conn.execute("PRAGMA quick_check").fetchone()
        if head is None or head[0] != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {head[0] if head else 'no answer'}")
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise sqlite3.DatabaseError("tables without a schema version")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


def _migrate(store: Store) -> None:
    from alembic import command
    from alembic.config import Config

    here = Path(__file__).resolve().parent
    cfg = Config()
    cfg.set_main_option("script_location", str(here / "migrations"))
    with store._write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, SCHEMA_HEAD)


def _revision_or_error(path: Path, immutable: bool = False) -> str | None:
    """:func:`_current_revision`, with a disk problem told apart from a damaged file."""
    try:
        return _current_revision(path, immutable)
    except sqlite3.Error as exc:
        trouble = disk_trouble(path, exc)
        if trouble is not None:
            raise trouble from None
        if isinstance(exc, sqlite3.OperationalError) and "quick_check" not in str(exc):
            raise StoreError(
                en=f"The database {path} cannot be opened: {exc}",
                zh=f"无法打开数据库 {path}：{exc}",
            ) from None
        raise StoreCorruptError(path, str(exc), newest_backup(path)) from None


def open_store_read_only(path: Path) -> Store:
    """Open the database at ``path`` for reading only, writing nothing at all (for the
    reading commands on a full or read-only disk)."""
    if not path.is_file():
        raise StoreError(
            en=f"There is no database {path} to read.", zh=f"没有可读取的数据库 {path}。"
        )
    immutable = False
    try:
        current = _revision_or_error(path)
    except StoreError as exc:
        if isinstance(exc, StoreCorruptError):
            raise
        # the folder refuses SQLite's shared-memory file: nobody can be writing
        immutable = True
        current = _revision_or_error(path, immutable=True)
    if current != SCHEMA_HEAD:
        raise StoreError(
            en=f"The database {path} must be upgraded (schema {current}) before it can be "
            "read, and the disk cannot be written now. Free space or make the folder "
            "writable, then start qmclient once.",
            zh=f"数据库 {path} 需先升级（结构版本 {current}）才能读取，而磁盘现在无法写入。"
            "请释放空间或让文件夹可写，然后启动一次 qmclient。",
        )
    return Store(path, read_only=True, immutable=immutable)


def open_store(path: Path, *, daily_backup: bool = True) -> Store:
    """Open (creating or migrating as needed) the database at ``path``."""
    fresh = not path.exists() or path.stat().st_size == 0
    current: str | None = None
    if not fresh:
        current = _revision_or_error(path)
        if current is not None and current not in SCHEMA_HISTORY:
            raise StoreTooNewError(
                en=f"The database {path} was written by a newer version of qmclient "
                f"(schema {current}). Install the newer version; the file was not changed.",
                zh=f"数据库 {path} 由更新版本的 qmclient 创建（结构版本 {current}），"
                "请安装新版本后再打开；文件未作任何改动。",
            )
    store = Store(path)
    try:
        if current != SCHEMA_HEAD:
            if not fresh:
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                sqlite_copy(path, backups_dir(path) / f"before-{SCHEMA_HEAD}-{stamp}.sqlite3")
            _migrate(store)
        elif daily_backup:
            _rolling_backup(path)
    except (OperationalError, DatabaseError, OSError) as exc:
        store.close()
        trouble = disk_trouble(path, exc)
        if trouble is not None:
            raise trouble from exc
        raise StoreError(
            en=f"The database {path} cannot be prepared: {exc}", zh=f"无法准备数据库 {path}：{exc}"
        ) from exc
    return store


def _rolling_backup(path: Path) -> None:
    """Keep a copy from each day the store was opened, the newest few."""
    folder = backups_dir(path)
    name = f"daily-{dt.date.today():%Y%m%d}.sqlite3"
    if (folder / name).exists():
        return
    sqlite_copy(path, folder / name)
    dailies = sorted(folder.glob("daily-*.sqlite3"))
    for old in dailies[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)


def restore_backup(db_path: Path, backup: Path) -> Path:
    """Put ``backup`` in place of a damaged store; the damaged file is kept beside it."""
    if _current_revision(backup) not in SCHEMA_HISTORY:
        raise StoreError(
            en=f"{backup} is not a usable qmclient backup", zh=f"{backup} 不是可用的 qmclient 备份"
        )
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    if db_path.exists():
        os.replace(db_path, kept)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))
    shutil.copyfile(backup, db_path)
    return kept
