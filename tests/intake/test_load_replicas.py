"""Load: 200 simulated units, each submitting a report with two photos, against two
qmintake replicas on one PostgreSQL and SeaweedFS with one replica killed and restarted
in the middle — and, as the baseline in the same run, the same load on one replica with
the media in its data folder.  Every report is received exactly once and every stored
file's SHA-256 is its name.  Prints p50/p99 latency and throughput (``-s`` shows them;
``docs/performance.md`` has the figures).

    QMTEST_PG_URL=… pytest -m slow -s tests/intake/test_load_replicas.py
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from intake_server import VALID_CREDIT_CODE, IntakeServer
from mediafactory import make_jpeg

from intake.conftest import MediaStoreChoice, media_store_choice
from intake.loadrun import LoadResult, Unit, run_load
from intake.protocol import make_report, sha256_file

UNITS = int(os.environ.get("QMTEST_LOAD_UNITS", "200"))
PHOTOS = 2
PHOTO_BYTES = 256 * 1024
CLIENTS = 16

pytestmark = pytest.mark.slow


def _units(srv: IntakeServer, folder: Path, tag: str) -> list[Unit]:
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"{tag}压力测试企业{i:03d}" for i in range(UNITS)]
    tokens = srv.issue_tokens([(n, "enterprise", "lixia", VALID_CREDIT_CODE) for n in names])
    units = []
    for i, (name, token) in enumerate(zip(names, tokens, strict=True)):
        files = []
        for k in range(PHOTOS):
            path = make_jpeg(folder / f"{i:03d}-{k}.jpg", size=(64, 48), seed=i * 10 + k)
            with path.open("ab") as f:
                f.write(os.urandom(PHOTO_BYTES))
            files.append(path)
        units.append(Unit(token, make_report(files, name=name), files))
    return units


def _check_exactly_once(pg: str, result: LoadResult, units: list[Unit]) -> None:
    assert len(result.receipts) == len(units)
    assert len(set(result.receipts.values())) == len(units)  # one receipt number each
    engine = sa.create_engine(pg)
    try:
        with engine.connect() as conn:
            for unit in units:
                rows = conn.execute(
                    sa.text(
                        "SELECT r.receipt_number FROM submissions s JOIN revisions r "
                        "ON r.submission_id = s.id WHERE s.uuid = :u"
                    ),
                    {"u": unit.report.uuid},
                ).all()
                assert [r[0] for r in rows] == [result.receipts[unit.report.uuid]]
    finally:
        engine.dispose()


def _check_hashes(store: MediaStoreChoice, srv: IntakeServer, units: list[Unit]) -> None:
    for unit in units:
        for f in unit.files:
            data = store.stored(srv, sha256_file(f))
            assert data is not None and hashlib.sha256(data).hexdigest() == sha256_file(f)


def test_load_two_replicas_on_s3_with_a_kill(
    backend: str, campaign_files, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if not backend:
        pytest.skip("replicas share a PostgreSQL database")
    # the baseline: one replica, media in its data folder
    local = media_store_choice("local", request)
    one = IntakeServer(tmp_path / "one", db_url=backend, campaign_files=campaign_files)
    with one:
        units = _units(one, tmp_path / "files-one", "甲")
        base = run_load([one.base_url], units, CLIENTS)
        _check_exactly_once(backend, base, units)
        _check_hashes(local, one, units)
    # two replicas on SeaweedFS, no shared folder, one killed and restarted midway
    s3 = media_store_choice("s3", request)
    args = [*s3.args, "--lease-seconds", "5"]
    a = IntakeServer(
        tmp_path / "a", db_url=backend, campaign_files=campaign_files, extra_args=args, env=s3.env
    )
    a.start()
    key = ["--receipt-key", str(tmp_path / "a" / "receipt-signing.key")]
    b = IntakeServer(
        tmp_path / "b",
        db_url=backend,
        campaign_files=campaign_files,
        extra_args=args + key,
        env=s3.env,
    )
    b.start()
    kills: list[float] = []

    def kill_and_restart() -> None:
        a.kill()
        kills.append(time.monotonic())
        time.sleep(1.0)  # down for a moment, as a crashed container is
        a.start()

    try:
        units = _units(a, tmp_path / "files-two", "乙")
        result = run_load([a.base_url, b.base_url], units, CLIENTS, at_half=kill_and_restart)
        assert kills, "the replica was not killed"
        _check_exactly_once(backend, result, units)
        _check_hashes(s3, b, units)
    finally:
        a.stop()
        b.stop()
    print()
    print(base.summary(f"1 replica, data folder ({UNITS} units x {PHOTOS} photos)"))
    print(result.summary("2 replicas, SeaweedFS, one killed midway"))
    print(
        f"ratio (2 replicas S3 / 1 replica local): throughput "
        f"{(len(result.latencies) / result.wall_s) / (len(base.latencies) / base.wall_s):.2f}x, "
        f"p50 {result.percentile(50) / base.percentile(50):.2f}x, "
        f"p99 {result.percentile(99) / base.percentile(99):.2f}x"
    )
