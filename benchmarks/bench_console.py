"""The console's dashboard and search with 5,000 roster units and 20,000 submissions.

    .venv/bin/python benchmarks/bench_console.py [--units 5000] [--submissions 20000]
                                                 [--rounds 7] [--db-url URL]

Fills a fresh database (SQLite in a temporary folder, or ``--db-url``, e.g. a PostgreSQL
database) straight through the models: a campaign, ``--units`` roster units across its
districts, and ``--submissions`` submissions each with one received revision — 90% of the
units report (some several times, some late, some returned or accepted), the rest of the
submissions come from units not on the roster. It then starts qmintake (its own
subprocess), signs in, and times, ``--rounds`` times each, server-side (the response time
on loopback):

- the baseline: ``/console/account``, a signed-in console page that reads no campaign data
  (session lookup, template, response): what any page costs;
- the dashboard (``/console/campaigns/ID``: every count, the districts, 500 unit rows)
  right after a review decision (the picture kept between requests reads that report
  again), right after a roster edit (the whole picture is built again from the database),
  and warm (nothing changed: two small queries);
- searches: part of a unit name, a credit code, a receipt number, and a filter
  (district + status "not reported"), warm.

It prints the median wall time of each, its ratio to the baseline, whether it is under
the goal of 300 ms, the server process's CPU time per request (from /proc: what the
request costs the server, whatever else the machine is doing) and the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid as uuidlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
CID = "jinan-2022-quality-month"
GOAL_MS = 300.0


def fill(db_url: str, units: int, submissions: int) -> tuple[str, str, str, list[str]]:
    """The data; returns a name fragment, a credit code and a receipt number to search,
    and the UUIDs of some received reports."""
    from sqlalchemy import insert

    from qmclient.core.campaign import bundled_campaigns
    from qmclient.core.identifiers import credit_code_check_char
    from qmintake.campaigns import store_campaign
    from qmintake.db import Database, migrate
    from qmintake.models import RevisionRow, RosterRow, SubmissionRow, UnitRow

    campaign = bundled_campaigns()[CID]
    text = (ROOT / "resources" / "campaigns" / f"{CID}.toml").read_text(encoding="utf-8")
    db = Database(db_url)
    migrate(db.engine)
    store_campaign(db, campaign, text, "bench", "JN2022", "bench")
    rnd = random.Random(7)
    districts = [d.id for d in campaign.districts]
    now = dt.datetime.now(dt.UTC)
    due = campaign.due

    def code(i: int) -> str:
        first = f"913701{i:011d}"
        return first + credit_code_check_char(first)

    unit_rows = [
        {
            "id": i + 1,
            "name": f"济南第{i:05d}号{rnd.choice(['机械', '食品', '电子', '建材'])}有限公司",
            "kind": "enterprise",
            "district": districts[i % len(districts)],
            "credit_code": code(i),
            "created_at": now,
        }
        for i in range(units + submissions)  # enough for the units not on the roster
    ]
    with db.session() as s:
        s.execute(insert(UnitRow), unit_rows)
        s.execute(
            insert(RosterRow),
            [
                {
                    "campaign_id": CID,
                    "unit_id": i + 1,
                    "contact_person": "张三",
                    "phone": "13800000000",
                    "email": "",
                    "added_at": now,
                }
                for i in range(units)
            ],
        )
    reporting = [i for i in range(units) if rnd.random() < 0.9]
    owners = [rnd.choice(reporting) for _ in range(int(submissions * 0.9))]
    owners += list(range(units, units + submissions - len(owners)))  # not on the roster
    subs, revs = [], []
    for n, owner in enumerate(owners, start=1):
        u = unit_rows[owner]
        late = rnd.random() < 0.2
        at = due + dt.timedelta(hours=5) if late else due - dt.timedelta(days=2)
        status = rnd.choice(["received"] * 8 + ["returned", "accepted"])
        subs.append(
            {
                "id": n,
                "uuid": str(uuidlib.UUID(int=rnd.getrandbits(128), version=4)),
                "campaign_id": CID,
                "owner_unit_id": u["id"],
                "unit_name": u["name"],
                "unit_kind": "enterprise",
                "unit_district": u["district"],
                "unit_credit_code": u["credit_code"],
                "status": status,
                "comment": "",
                "latest_revision": 1,
                "created_at": at,
                "updated_at": at,
            }
        )
        revs.append(
            {
                "submission_id": n,
                "revision": 1,
                "report_json": "{}",
                "report_sha256": "0" * 64,
                "created_at": at,
                "finalised_at": at,
                "receipt_number": f"JN2022-{n:06d}",
                "on_time": not late,
                "late_by_s": 18000 if late else 0,
            }
        )
    with db.session() as s:
        for i in range(0, len(subs), 5000):
            s.execute(insert(SubmissionRow), subs[i : i + 5000])
            s.execute(insert(RevisionRow), revs[i : i + 5000])
    db.close()
    probe = unit_rows[reporting[len(reporting) // 2]]
    received = [x["uuid"] for x in subs if x["status"] == "received"][:50]
    return probe["name"][2:9], probe["credit_code"], f"JN2022-{len(subs) // 3:06d}", received


class ServerCpu:
    """The server process's CPU time (all its threads), from /proc: what a request costs
    the server whatever else the machine is doing (10 ms ticks: averaged over rounds)."""

    def __init__(self, pid: int) -> None:
        self.path = Path(f"/proc/{pid}/stat")
        self.tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
        self.spent: list[float] = []

    def now(self) -> float:
        fields = self.path.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * self.tick_ms  # utime + stime

    def get(self, session, url: str) -> float:  # type: ignore[no-untyped-def]
        """GET ``url``; returns the wall time (ms) and records the server's CPU time."""
        cpu = self.now()
        started = time.perf_counter()
        r = session.get(url, timeout=120)
        wall = (time.perf_counter() - started) * 1000
        self.spent.append(self.now() - cpu)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        return wall

    def mean(self) -> float:
        spent, self.spent = self.spent, []
        return statistics.mean(spent) if spent else 0.0


def timed(cpu: ServerCpu, session, url: str, rounds: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = [cpu.get(session, url) for _ in range(rounds)]
    return statistics.median(times), cpu.mean()


def after_changes(srv, cpu, s, base: str, uuids: list[str], rounds: int):  # type: ignore[no-untyped-def]
    """The dashboard right after a review decision (only that report is read again) and
    right after a roster edit (everything is built again)."""
    import re

    from intake.browser import form_csrf

    page = s.get(srv.url(base), timeout=120).text
    csrf = form_csrf(page)
    edit = srv.url(f"{base}/roster/1")
    form = s.get(edit, timeout=120).text
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    decided, rebuilt = [], []
    cpu_decided: list[float] = []
    cpu_rebuilt: list[float] = []
    for i in range(rounds):
        r = s.post(
            srv.url(f"{base}/submissions/{uuids[i]}/accept"),
            data={"csrf": csrf},
            allow_redirects=False,
            timeout=60,
        )
        assert r.status_code == 303, srv.log()[-3000:]
        decided.append(cpu.get(s, srv.url(base)))
        decided_cpu = cpu.spent[-1:]
        r = s.post(
            edit,
            data={**fields, "district": "lixia", "contact_person": f"联系人{i}"},
            allow_redirects=False,
            timeout=60,
        )
        assert r.status_code == 303, r.text[:500]
        rebuilt.append(cpu.get(s, srv.url(base)))
        cpu_decided.extend(decided_cpu)
        cpu_rebuilt.append(cpu.spent[-1])
        cpu.spent = []
    return (
        (statistics.median(decided), statistics.mean(cpu_decided)),
        (statistics.median(rebuilt), statistics.mean(cpu_rebuilt)),
    )


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--units", type=int, default=5000)
    p.add_argument("--submissions", type=int, default=20000)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--db-url", default="")
    args = p.parse_args()
    from intake.browser import ADMIN, ADMIN_PASSWORD, ConsoleServer

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "intake"
        data.mkdir()
        url = args.db_url or f"sqlite:///{data / 'qmintake.sqlite3'}"
        started = time.perf_counter()
        name, code, receipt, received = fill(url, args.units, args.submissions)
        print(
            f"filled {args.units} roster units, {args.submissions} submissions "
            f"in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})"
        )
        srv = ConsoleServer(data, db_url=args.db_url)
        srv.add_user(ADMIN, "admin", ADMIN_PASSWORD)
        srv.start()
        try:
            s = srv.session()
            base = f"/console/campaigns/{CID}"
            cases = [
                ("baseline: a console page", "/console/account"),
                ("dashboard", base),
                ("search: part of a name", f"{base}?q={name}"),
                ("search: credit code", f"{base}?q={code}"),
                ("search: receipt number", f"{base}?q={receipt}"),
                ("filter: district + not reported", f"{base}?district=lixia&status=missing"),
            ]
            assert srv.proc is not None
            cpu = ServerCpu(srv.proc.pid)
            for _label, path in cases:  # warm up: caches, connections
                timed(cpu, s, srv.url(path), 1)
            results = [(cases[0][0], *timed(cpu, s, srv.url(cases[0][1]), args.rounds))]
            decided, rebuilt = after_changes(srv, cpu, s, base, received, args.rounds)
            results.append(("dashboard after a decision", *decided))
            results.append(("dashboard after a roster edit", *rebuilt))
            for label, path in cases[1:]:
                shown = f"{label}, warm" if path == base else label
                results.append((shown, *timed(cpu, s, srv.url(path), args.rounds)))
            baseline = results[0][1]
            load = os.getloadavg()
            print(
                f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} "
                "CPU(s): figures scale with it (compare the ratios to the baseline)"
            )
            print(f"{'':34s} {'wall':>8s}     {'':16s} server CPU")
            for label, ms, used in results:
                verdict = ""
                if label != cases[0][0]:
                    verdict = f"  {'under' if ms < GOAL_MS else 'OVER'} the {GOAL_MS:.0f} ms goal"
                print(
                    f"{label:34s} {ms:8.1f} ms  {ms / baseline:6.1f}× baseline  "
                    f"{used:6.0f} ms{verdict}"
                )
        finally:
            srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
