"""Fifty units submitting at once end with exactly fifty submissions, all files intact."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg

from intake.protocol import auth, finalise, make_report, put, sha256_file, stored_path, upload

CLIENTS = 50


def test_fifty_clients_at_once(server: IntakeServer, media_dir: Path) -> None:
    shared = make_jpeg(media_dir / "shared.jpg", seed=5000, size=(1200, 900))
    own = [
        make_jpeg(media_dir / f"own{i}.jpg", seed=6000 + i, size=(400, 300)) for i in range(CLIENTS)
    ]
    tokens = server.issue_tokens(
        [(f"并发企业{i}", "enterprise", "licheng", "") for i in range(CLIENTS)]
    )
    reports = [
        make_report(
            [shared, own[i]],
            district="licheng",
            name=f"并发企业{i}",
            credit_code="91350100M000100Y43",
        )
        for i in range(CLIENTS)
    ]

    def one(i: int) -> dict:
        token, report = tokens[i], reports[i]
        first = put(server, token, report)
        assert first.status_code == 201, first.text
        again = put(server, token, report)  # a retry racing with the others
        assert again.status_code == 200, again.text
        for path in (shared, own[i]):
            if sha256_file(path) in first.json()["missing_media"]:
                upload(server, token, path)  # two clients may send the shared file at once
        r = finalise(server, token, report)
        assert r.status_code == 200, r.text
        return r.json()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        receipts = list(pool.map(one, range(CLIENTS)))

    numbers = [r["receipt_number"] for r in receipts]
    assert len(set(numbers)) == CLIENTS
    uuids = {r.uuid for r in reports}
    seen: set[str] = set()
    for token in tokens:
        subs = requests.get(
            server.url("/api/v1/submissions"), headers=auth(token), timeout=30
        ).json()["submissions"]
        assert len(subs) == 1 and subs[0]["status"] == "received"
        seen.add(subs[0]["uuid"])
    assert seen == uuids
    office = [
        s
        for s in __import__("json").loads(server.cli("submissions", "--json").stdout)
        if s["uuid"] in uuids
    ]
    assert len(office) == CLIENTS
    for path in [shared, *own]:
        stored = stored_path(server, sha256_file(path))
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha256_file(path)
    assert not list((server.data_dir / "uploads").glob("*.part")) or all(
        p.stat().st_size < shared.stat().st_size
        for p in (server.data_dir / "uploads").glob("*.part")
    )
