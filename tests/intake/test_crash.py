"""SIGKILL in the middle of a burst of submissions loses nothing that was answered."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg

from intake.protocol import finalise, make_report, put, sha256_file, stored_path, upload

CLIENTS = 12


def test_kill_during_burst(backend: str, campaign_files, tmp_path: Path) -> None:
    srv = IntakeServer(tmp_path / "srv", db_url=backend, campaign_files=campaign_files)
    photos = [
        make_jpeg(tmp_path / f"c{i}.jpg", seed=900 + i, size=(800, 600)) for i in range(CLIENTS)
    ]
    with srv:
        tokens = srv.issue_tokens(
            [(f"崩溃企业{i}", "enterprise", "tianqiao", "") for i in range(CLIENTS)]
        )
        reports = [
            make_report([photos[i]], district="tianqiao", name=f"崩溃企业{i}")
            for i in range(CLIENTS)
        ]
        answered: dict[int, dict] = {}
        stop = threading.Event()

        def attempt(i: int) -> None:
            """Keep trying the whole exchange until a receipt comes back."""
            while not stop.is_set():
                try:
                    r = put(srv, tokens[i], reports[i])
                    if r.status_code not in (200, 201):
                        continue
                    if r.json()["missing_media"]:
                        upload(srv, tokens[i], photos[i])
                    f = finalise(srv, tokens[i], reports[i])
                    if f.status_code == 200:
                        answered[i] = f.json()
                        return
                except (requests.RequestException, AssertionError, ValueError):
                    time.sleep(0.05)

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            futures = [pool.submit(attempt, i) for i in range(CLIENTS)]
            deadline = time.monotonic() + 30
            while len(answered) < 2 and time.monotonic() < deadline:
                time.sleep(0.005)
            srv.kill()  # some have receipts, the others are somewhere in between
            before = dict(answered)
            assert 0 < len(before) < CLIENTS, len(before)
            time.sleep(0.3)  # down for a moment, as a crashed server is (not a wait)
            srv.start()
            deadline = time.monotonic() + 90
            while len(answered) < CLIENTS and time.monotonic() < deadline:
                time.sleep(0.1)
            stop.set()
            for f in futures:
                f.result(timeout=30)

        assert len(answered) == CLIENTS
        for i, receipt in before.items():  # what was answered before the kill stands
            assert answered[i] == receipt
            again = finalise(srv, tokens[i], reports[i]).json()
            assert again == receipt
        numbers = [r["receipt_number"] for r in answered.values()]
        assert len(set(numbers)) == CLIENTS
        for p in photos:
            assert sha256_file(stored_path(srv, sha256_file(p))) == sha256_file(p)
    if not backend:
        db = sqlite3.connect(srv.data_dir / "qmintake.sqlite3")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = db.execute("SELECT count(*) FROM revisions WHERE receipt_number IS NOT NULL")
        assert count.fetchone()[0] == CLIENTS
        db.close()
