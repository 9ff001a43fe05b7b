"""Opening the store: pragmas, migrations, backups, a newer or damaged file, the audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from qmclient.services.context import open_context
from qmclient.services.drafts import create_draft, list_submissions, load_report, update_fields
from qmclient.store.database import (
    DB_NAME,
    SCHEMA_HEAD,
    SCHEMA_HISTORY,
    StoreCorruptError,
    StoreError,
    StoreTooNewError,
    backups_dir,
    open_store,
    restore_backup,
)
from qmclient.store.models import AuditEvent, Base

MIGRATIONS = Path(__file__).resolve().parents[2] / "qmclient" / "store" / "migrations"


def test_pragmas_are_set(ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.store.read() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_schema_head_matches_the_migrations_folder() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_current_head() == SCHEMA_HEAD
    revisions = [r.revision for r in script.walk_revisions()]
    assert sorted(revisions) == sorted(SCHEMA_HISTORY)


def test_models_and_migrations_agree(ctx) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with ctx.store.read() as s:
        mc = MigrationContext.configure(s.connection())
        diff = compare_metadata(mc, Base.metadata)
    assert diff == []


def _first_schema_store(path: Path) -> None:
    """A store as the first released program left it, with data in it."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, SCHEMA_HISTORY[0])
        conn.execute(
            text(
                "INSERT INTO submission (uuid, campaign_id, revision, status, origin, title, summary,"
                " unit_name, unit_kind, unit_district, unit_credit_code, unit_contact_person,"
                " unit_phone, unit_email, created_at, updated_at) VALUES ('u-1',"
                " 'jinan-2022-quality-month', 3, 'draft', 'local', '旧标题', '正文', '单位',"
                " 'enterprise', 'lixia', '', '', '', '', '2022-09-01 00:00:00', '2022-09-01 00:00:00')"
            )
        )
    engine.dispose()


def test_upgrade_from_the_first_schema_keeps_the_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _first_schema_store(data / DB_NAME)
    ctx = open_context(data)
    try:
        rows = list_submissions(ctx)
        assert [(r.uuid, r.title, r.revision) for r in rows] == [("u-1", "旧标题", 3)]
        with ctx.store.read() as s:
            version = (
                s.connection().exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            )
        assert version == SCHEMA_HEAD
        assert ctx.store.integrity_check() == "ok"
    finally:
        ctx.close()
    backups = list(backups_dir(data / DB_NAME).glob("*.sqlite3"))
    if SCHEMA_HISTORY[0] != SCHEMA_HEAD:
        assert any(b.name.startswith("before-") for b in backups)
    assert backups, "a store opened with data gets a backup"


def test_a_database_from_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    ctx.close()
    db = data / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreTooNewError) as info:
        open_store(db)
    assert "newer version" in info.value.message_en
    assert "更新版本" in info.value.message_zh
    assert db.read_bytes() == before


def test_a_damaged_database_is_kept_and_the_backup_offered(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    sid = create_draft(ctx, title="保住我")
    ctx.close()
    ctx = open_context(data)  # a second open makes the daily backup
    ctx.close()
    db = data / DB_NAME
    with open(db, "r+b") as fh:
        fh.seek(0)
        fh.write(b"this is not sqlite" * 10)
    damaged = db.read_bytes()
    with pytest.raises(StoreCorruptError) as info:
        open_context(data)
    err = info.value
    assert err.backup is not None and err.backup.exists()
    assert "损坏" in err.message_zh and str(db) in err.message_en
    assert db.read_bytes() == damaged  # left as it was
    kept = restore_backup(db, err.backup)
    assert kept.read_bytes() == damaged
    ctx = open_context(data)
    try:
        assert [r.id for r in list_submissions(ctx)] == [sid]
    finally:
        ctx.close()


def test_an_unwritable_data_folder_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as info:
        open_context(blocker / "data")
    assert "--data-dir" in info.value.message_en
    assert "无法写入" in info.value.message_zh


def test_audit_log_is_append_only(ctx) -> None:  # type: ignore[no-untyped-def]
    sid = create_draft(ctx)
    update_fields(ctx, sid, {"title": "新标题"})
    with pytest.raises(DBAPIError, match="append-only"), ctx.store.write() as s:
        s.execute(text("UPDATE audit_event SET action='forged'"))
    with pytest.raises(DBAPIError, match="append-only"), ctx.store.write() as s:
        s.execute(text("DELETE FROM audit_event"))
    with ctx.store.read() as s:
        actions = [e.action for e in s.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions == ["created", "edit"]


def test_foreign_keys_are_enforced(ctx) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DBAPIError), ctx.store.write() as s:
        s.execute(
            text(
                "INSERT INTO activity (id, submission_id, position, focus_area, name, place,"
                " organiser, description, results) VALUES ('x', 999, 0, '', '', '', '', '', '')"
            )
        )


def test_a_write_inside_a_write_fails_at_once(ctx) -> None:  # type: ignore[no-untyped-def]
    """The one-writer rule is structural: a nested write would wait on itself (the busy
    timeout, 10 s) and then fail; it is refused before it waits, and nothing is changed."""
    import time

    sid = create_draft(ctx)
    started = time.monotonic()
    with pytest.raises(StoreError) as info, ctx.store.write():
        update_fields(ctx, sid, {"summary": "nested"})
    assert info.value.code == "nested-write"
    assert time.monotonic() - started < 2  # not the 10 s busy timeout
    assert load_report(ctx, sid).summary != "nested"
    update_fields(ctx, sid, {"summary": "after"})  # the writer is free again


def test_writes_from_two_stores_take_turns(tmp_path: Path) -> None:
    """One writer for the whole process: a second store's write waits for the first."""
    import threading

    a = open_context(tmp_path / "a")
    b = open_context(tmp_path / "b")
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        with a.store.write():
            inside.set()
            release.wait(10)
            order.append("a")

    t = threading.Thread(target=first)
    t.start()
    assert inside.wait(10)
    second = threading.Thread(target=lambda: (create_draft(b), order.append("b")))
    second.start()
    second.join(0.3)  # it is waiting for the writer, not done
    assert second.is_alive() and order == []
    release.set()
    t.join(10)
    second.join(10)
    assert order == ["a", "b"]
    a.close()
    b.close()


def test_committed_writes_say_which_tables_changed(ctx) -> None:  # type: ignore[no-untyped-def]
    seen: list[frozenset[str]] = []
    stop = ctx.store.subscribe(seen.append)
    sid = create_draft(ctx)
    update_fields(ctx, sid, {"summary": "changed"})
    with pytest.raises(RuntimeError), ctx.store.write() as s:
        s.add(AuditEvent(submission_uuid="x", revision=1, action="x"))
        raise RuntimeError("rolled back: nobody is told")
    stop()
    update_fields(ctx, sid, {"summary": "not heard"})
    assert seen and all("submission" in tables for tables in seen)
    assert len(seen) == 2
