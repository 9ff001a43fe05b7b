"""Reads on their own (``Database.read``) neither wait for nor see a writer's open
transaction, and the upload path's prebuilt statements write what the ORM reads back."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from qmintake.auth import issue_token, unit_for_token
from qmintake.db import Database, migrate
from qmintake.leases import Lease
from qmintake.models import LeaseRow


def _db(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'intake.sqlite3'}")
    migrate(db.engine)
    return db


def test_a_token_check_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    db = _db(tmp_path)
    token, unit = issue_token(db, "历下区", "district", district="历下区")
    writing, done = threading.Event(), threading.Event()

    def writer() -> None:  # another file's record, its commit not yet made
        with db.begin() as conn:
            Lease(db, "upload:x", 60, "node").take_in(conn)
            writing.set()
            assert done.wait(30)

    with ThreadPoolExecutor(2) as pool:
        held = pool.submit(writer)
        assert writing.wait(30)
        try:
            # from another thread, as the next request's token check would run
            checked = pool.submit(unit_for_token, db, token).result(timeout=10)
            with db.read() as conn:
                seen = conn.scalar(select(func.count()).select_from(LeaseRow))
        finally:
            done.set()
        held.result(timeout=30)
    assert checked == unit
    assert seen == 0  # the writer's row is not visible before its commit
    with db.read() as conn:
        assert conn.scalar(select(func.count()).select_from(LeaseRow)) == 1
    db.close()


def test_a_lease_taken_renewed_and_released_with_plain_statements(tmp_path: Path) -> None:
    db = _db(tmp_path)
    first, second = Lease(db, "upload:y", 60, "a"), Lease(db, "upload:y", 60, "b")
    assert first.take() and first.held
    assert not second.take()  # held and not expired
    first.renew()
    with db.session() as s:  # the ORM reads what the plain statements wrote
        row = s.get(LeaseRow, "upload:y")
        assert row is not None and row.holder == first.holder
        assert row.expires_at > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=50)
    first.release()
    assert second.take()
    db.close()
