"""Exporting stops being a status: a store at 0003 with an ``exported`` report upgrades to
a draft whose export is recorded (time and mails from the audit log), still frozen."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config

import qmclient.store.database as database
from qmclient.core import lifecycle
from qmclient.services import drafts, export_record
from qmclient.services.context import open_context

UUID = "bbbbbbbb-0000-4000-8000-000000000002"


def _at_0003(path: Path) -> None:
    store = database.Store(path)
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(Path(database.__file__).resolve().parent / "migrations")
    )
    with store._write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    store.close()
    con = sqlite3.connect(path)
    with con:
        for sid, uuid, status in ((1, UUID, "exported"), (2, UUID[:-1] + "3", "draft")):
            con.execute(
                "INSERT INTO submission (id, uuid, campaign_id, revision, status, origin, title,"
                " summary, unit_name, unit_kind, unit_district, unit_credit_code,"
                " unit_contact_person, unit_phone, unit_email, created_at, updated_at) VALUES"
                " (?, ?, 'jinan-2022-quality-month', 1, ?, 'local', '标题', '总结正文',"
                " '济南某某有限公司', 'enterprise', 'lixia', '', '张三', '13800000000', '',"
                " '2022-09-01 00:00:00', '2022-09-29 01:00:00')",
                (sid, uuid, status),
            )
        con.execute(
            "INSERT INTO submission_revision (submission_id, revision, report_json,"
            " report_hash, frozen_at) VALUES (1, 1, '{}', ?, '2022-09-28 06:03:00')",
            ("ab" * 32,),
        )
        files = ["总结.docx", "总结情况表.xlsx", "邮件-1.eml", "邮件-2.eml", "邮件-3.eml"]
        con.execute(
            "INSERT INTO audit_event (submission_uuid, revision, at, action, detail) VALUES"
            " (?, 1, '2022-09-28 06:03:00', 'status:exported', ?)",
            (UUID, json.dumps({"files": files}, ensure_ascii=False)),
        )
    con.close()


def test_an_exported_report_becomes_a_draft_with_its_export_recorded(tmp_path: Path) -> None:
    _at_0003(tmp_path / "qmclient.sqlite3")
    ctx = open_context(tmp_path)
    try:
        assert ctx.store.integrity_check() == "ok"
        assert drafts.status_of(ctx, 1) == "draft" and drafts.status_of(ctx, 2) == "draft"
        note = export_record.latest(ctx, 1)
        assert note is not None
        assert note.made_at == dt.datetime(2022, 9, 28, 6, 3, tzinfo=dt.UTC)
        assert (note.revision, note.mail_count, note.kinds) == (1, 3, ("docx", "eml", "xlsx"))
        assert note.report_hash == "ab" * 32
        assert export_record.latest(ctx, 2) is None
        shanghai = dt.timezone(dt.timedelta(hours=8))
        rows = {r.id: r for r in drafts.list_submissions(ctx)}
        words = lifecycle.status_words(rows[1].status, rows[1].export_note, 1, shanghai)
        assert words == (
            "草稿 · 已导出 2022-09-28 14:03 · 邮件 3 封",
            "Draft · exported 2022-09-28 14:03 · 3 mails",
        )
        assert lifecycle.status_words("draft", None) == ("草稿", "Draft")
        # the exported revision is still frozen: the next edit opens revision 2
        drafts.update_fields(ctx, 1, {"title": "新标题"})
        assert drafts.load_report(ctx, 1).revision == 2
        drafts.update_fields(ctx, 2, {"title": "新标题"})
        assert drafts.load_report(ctx, 2).revision == 1
    finally:
        ctx.close()
