"""The dashboard kept between requests and brought up to date (only what changed is read
again) always equals the picture built from scratch: random review decisions, new
submissions, roster edits that change which unit a report counts for (a renamed unit, a
moved district, a credit code added, a unit removed), on a real SQLite database (and
PostgreSQL with ``QMTEST_PG_URL``)."""

from __future__ import annotations

import datetime as dt
import random
import uuid as uuidlib
from typing import Any

from sqlalchemy import delete, func, insert, select

from qmclient.core.campaign import bundled_campaigns
from qmclient.resources import campaigns_dir
from qmintake import dashboard
from qmintake.campaigns import store_campaign
from qmintake.console.accounts import audit
from qmintake.db import Database, migrate
from qmintake.models import EventRow, RevisionRow, RosterRow, SubmissionRow, UnitRow

CID = "jinan-2022-quality-month"
DISTRICTS = ["lixia", "shizhong", "huaiyin"]
COORDINATOR = 100  # a district's coordinator, handing in reports on others' behalf


def _picture(board: dashboard.Dashboard) -> Any:
    def key(u: dashboard.UnitLine) -> tuple[Any, ...]:
        return (u.unit_id, u.name, u.district, u.status, u.uuid, u.late, u.receipts, u.email)

    return (
        sorted(key(u) for u in board.lines),
        sorted(key(u) for u in board.off_roster),
        board.overall,
        board.by_district,
    )


def _new_submission(s: Any, rnd: random.Random, n: int, unit: dict[str, Any]) -> None:
    at = dt.datetime(2022, 9, 20, tzinfo=dt.UTC) + dt.timedelta(days=rnd.choice([0, 15]))
    s.execute(
        insert(SubmissionRow),
        [
            {
                "id": n,
                "uuid": str(uuidlib.UUID(int=rnd.getrandbits(128), version=4)),
                "campaign_id": CID,
                "owner_unit_id": unit["id"] if rnd.random() < 0.7 else COORDINATOR,
                "unit_name": unit["name"],
                "unit_kind": "enterprise",
                "unit_district": unit["district"],
                "unit_credit_code": unit["credit_code"] if rnd.random() < 0.5 else "",
                "status": "received",
                "comment": "",
                "latest_revision": 1,
                "created_at": at,
                "updated_at": at,
            }
        ],
    )
    s.execute(
        insert(RevisionRow),
        [
            {
                "submission_id": n,
                "revision": 1,
                "report_json": "{}",
                "report_sha256": "0" * 64,
                "created_at": at,
                "finalised_at": at if rnd.random() < 0.9 else None,
                "receipt_number": f"T-{n:05d}",
                "on_time": at.day < 30,
                "late_by_s": 0,
            }
        ],
    )
    s.add(EventRow(submission_id=n, revision=1, action="received", at=at))


def test_refreshed_picture_equals_a_fresh_build(backend: str, tmp_path: Any) -> None:
    url = backend or f"sqlite:///{tmp_path / 'q.sqlite3'}"
    db = Database(url)
    migrate(db.engine)
    campaign = bundled_campaigns()[CID]
    text = (campaigns_dir() / f"{CID}.toml").read_text(encoding="utf-8")
    store_campaign(db, campaign, text, "test", "T", "test")
    rnd = random.Random(3)
    now = dt.datetime.now(dt.UTC)
    units = [
        {
            "id": i,
            "name": f"单位{i:03d}",
            "kind": "enterprise",
            "district": DISTRICTS[i % 3],
            "credit_code": f"CODE{i:03d}" if i % 4 else "",
            "created_at": now,
        }
        for i in range(1, 61)
    ]
    coordinator = {**units[0], "id": COORDINATOR, "name": "历下区", "kind": "district"}
    with db.session() as s:
        s.execute(insert(UnitRow), [*units, {**coordinator, "credit_code": ""}])
        s.execute(
            insert(RosterRow),
            [
                {"campaign_id": CID, "unit_id": u["id"], "contact_person": "", "phone": "",
                 "email": "", "added_at": now}
                for u in units[:40]
            ],
        )  # fmt: skip
        for n in range(1, 81):
            _new_submission(s, rnd, n, rnd.choice(units))
    board = dashboard.build(db, campaign)
    next_sub = 81
    for step in range(60):
        action = rnd.choice(["decide", "decide", "submit", "rename", "move", "code", "remove"])
        with db.session() as s:
            if action == "decide":
                sid = rnd.randrange(1, next_sub)
                status = rnd.choice(["returned", "accepted", "received"])
                sub = s.get(SubmissionRow, sid)
                assert sub is not None
                sub.status = status
                s.add(EventRow(submission_id=sid, revision=1, action=status[:20], at=now))
            elif action == "submit":
                _new_submission(s, rnd, next_sub, rnd.choice(units))
                next_sub += 1
            else:
                uid = rnd.choice(units)["id"]
                unit = s.get(UnitRow, uid)
                assert unit is not None
                if action == "rename":  # maybe now the name of a report sent by another
                    unit.name = rnd.choice(units)["name"]
                elif action == "move":
                    unit.district = rnd.choice(DISTRICTS)
                elif action == "code":
                    unit.credit_code = rnd.choice(["", f"CODE{rnd.randrange(1, 61):03d}"])
                else:
                    s.execute(delete(RosterRow).where(RosterRow.unit_id == uid))
                    if s.scalar(select(func.count(RosterRow.id))) < 20:  # keep some
                        s.add(RosterRow(campaign_id=CID, unit_id=uid, added_at=now))
        if action in ("rename", "move", "code", "remove"):
            audit(db, "test", "roster-edit", str(step))
        board = dashboard.refresh(db, board)
        fresh = dashboard.build(db, campaign)
        assert _picture(board) == _picture(fresh), (step, action)
        place = {d.id: i for i, d in enumerate(campaign.districts)}
        shown = [(place.get(u.district, -1), u.kind, u.name) for u in board.lines]
        assert shown == sorted(shown), (step, action)  # in the campaign's order
    db.close()
