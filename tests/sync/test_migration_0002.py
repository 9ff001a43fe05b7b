"""The upload-state migration: a store written at 0001, with data, upgrades to head intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

import qmclient.store.database as database
from qmclient.store.database import SCHEMA_HEAD, SCHEMA_HISTORY, Store, open_store
from qmclient.store.models import Base, MediaUpload, OutboxEntry, Submission, SubmissionRevision


def _at_0001(path: Path) -> None:
    store = Store(path)
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(Path(database.__file__).resolve().parent / "migrations")
    )
    with store._write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    store.close()
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "INSERT INTO submission (id, uuid, campaign_id, revision, status, origin, title,"
            " summary, unit_name, unit_kind, unit_district, unit_credit_code,"
            " unit_contact_person, unit_phone, unit_email, created_at, updated_at) VALUES"
            " (1, 'aaaaaaaa-0000-4000-8000-000000000001', 'jinan-2022-quality-month', 2,"
            " 'queued', 'local', '标题', '总结正文', '济南某某有限公司', 'enterprise', 'lixia',"
            " '', '张三', '13800000000', '', '2022-09-01 00:00:00', '2022-09-02 00:00:00')"
        )
        con.execute(
            "INSERT INTO submission_revision (submission_id, revision, report_json,"
            " report_hash, frozen_at, receipt_json) VALUES (1, 1, '{\"a\":1}', ?,"
            " '2022-09-01 00:00:00', '{\"receipt_number\":\"JN2022-000001\"}')",
            ("ab" * 32,),
        )
    con.close()


def test_store_at_0001_with_data_upgrades_to_head(tmp_path: Path) -> None:
    path = tmp_path / "qmclient.sqlite3"
    _at_0001(path)
    assert "0002" in SCHEMA_HISTORY and SCHEMA_HISTORY[-1] == SCHEMA_HEAD
    store = open_store(path, daily_backup=False)
    try:
        assert store.integrity_check() == "ok"
        with store.read() as s:
            sub = s.scalars(select(Submission)).one()
            assert (sub.uuid, sub.revision, sub.status, sub.summary) == (
                "aaaaaaaa-0000-4000-8000-000000000001",
                2,
                "queued",
                "总结正文",
            )
            rev = s.scalars(select(SubmissionRevision)).one()
            assert rev.receipt_json == '{"receipt_number":"JN2022-000001"}'
            assert rev.remote_status is None and rev.remote_comment == ""
        with store.write() as s:
            s.add(OutboxEntry(submission_id=1, revision=1, endpoint_url="https://x.example/"))
            s.add(MediaUpload(submission_id=1, revision=1, sha256="cd" * 32, length=5 * 2**32))
        with store.read() as s:
            # lengths past 4 GiB survive the round trip
            assert s.scalars(select(MediaUpload.length)).one() == 5 * 2**32
    finally:
        store.close()
    # a backup of the 0001 file was taken before migrating
    assert list((tmp_path / "backups").glob(f"before-{SCHEMA_HEAD}-*.sqlite3"))


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    store = open_store(tmp_path / "fresh.sqlite3", daily_backup=False)
    try:
        with store._read_engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        store.close()
