"""A coordinator's inbox receives a generated district of 60 enterprises, some broken."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from coordsetup import make_coordinator
from district import build_district

from qmclient.services import drafts, inbox, inbox_import
from qmclient.services.context import AppContext


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return build_district(tmp_path_factory.mktemp("district"), 60)


def test_every_item_is_filed_exactly_right(
    ctx: AppContext,
    district,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    make_coordinator(ctx)
    rows = inbox_import.import_paths(ctx, [district.folder])
    got = {r.source_name: r.code for r in rows}
    assert got == district.expected
    for r in rows:
        assert r.message_zh and r.message_en, r
        if r.outcome == inbox.QUARANTINED:
            assert r.kept_path, r  # the file is kept for a look or a return
            assert (ctx.data_dir / r.kept_path).exists()
    stored = {rep.uuid for rep in drafts.load_reports(ctx).values()}
    assert stored == district.good_uuids
    with ctx.store.read() as s:
        origins = {sub.origin for sub in s.query(drafts.Submission)}  # type: ignore[attr-defined]
    assert origins == {"imported"}
    # the list reads back the same filing
    assert {r.source_name: r.code for r in inbox.list_items(ctx)} == district.expected


def test_importing_again_changes_nothing(
    ctx: AppContext,
    district,  # type: ignore[no-untyped-def]
) -> None:
    make_coordinator(ctx)
    inbox_import.import_paths(ctx, [district.folder])
    before = {sid: r.report_hash() for sid, r in drafts.load_reports(ctx).items()}
    again = inbox_import.import_paths(ctx, [district.folder])
    assert {r.code for r in again} <= {
        "duplicate",
        *{c for c in district.expected.values() if c.startswith("quarantined")},
    }
    assert {sid: r.report_hash() for sid, r in drafts.load_reports(ctx).items()} == before
    # and the quarantine itself is junk: importing it files every item again, nothing lands
    junk = inbox_import.import_paths(ctx, [ctx.data_dir / inbox.QUARANTINE_DIR])
    assert junk and all(r.outcome in ("quarantined", "duplicate") for r in junk)
    assert {sid: r.report_hash() for sid, r in drafts.load_reports(ctx).items()} == before
    ctx.close()
    con = sqlite3.connect(ctx.data_dir / "qmclient.sqlite3")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
