"""Replicas with no shared folder: media in SeaweedFS, records in one PostgreSQL.

Each replica has its own data folder; an upload begun on one is finished through the
other (its state — parts, tail, running SHA-256 — is in the database), a replica killed
mid-PATCH is resumed through the other once its lease expires, the store going down
mid-upload loses nothing recorded, dropped database connections are survived, an object
deleted behind qmintake's back is reported by ``qmintake check``, and a store that cannot
be used stops ``serve`` with a clear message.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from intake_server import IntakeServer
from seaweed import SeaweedS3

from intake.conftest import S3_BUCKET, MediaStoreChoice, media_store_choice
from intake.protocol import (
    create_upload,
    finalise,
    make_report,
    patch,
    put,
    sha256_file,
    submit,
    tus,
)
from intake.test_silent_clients import MIB, big_jpeg

LEASE = 4


@pytest.fixture(scope="module")
def s3store(request: pytest.FixtureRequest) -> MediaStoreChoice:
    """One prefix for the module, as the module's database is one (``qmintake check``)."""
    return media_store_choice("s3", request)


@pytest.fixture
def pg(backend: str) -> str:
    if not backend:
        pytest.skip("replicas share a PostgreSQL database; SQLite is for one process")
    return backend


def _replica(
    path: Path, pg: str, store: MediaStoreChoice, campaign_files, key: Path | None
) -> IntakeServer:
    extra = [*store.args, "--lease-seconds", str(LEASE), "--body-timeout", "10"]
    if key is not None:
        extra += ["--receipt-key", str(key)]
    return IntakeServer(
        path, db_url=pg, campaign_files=campaign_files, extra_args=extra, env=store.env
    )


@pytest.fixture
def replicas(pg: str, s3store: MediaStoreChoice, campaign_files, tmp_path: Path):
    a = _replica(tmp_path / "a", pg, s3store, campaign_files, None).start()
    b = _replica(
        tmp_path / "b", pg, s3store, campaign_files, tmp_path / "a" / "receipt-signing.key"
    )
    b.start()
    try:
        yield a, b, s3store
    finally:
        a.stop()
        b.stop()


def _on(srv: IntakeServer, location: str) -> str:
    return srv.url("/api/v1/uploads/" + location.rsplit("/", 1)[1])


def _offset(srv: IntakeServer, token: str, location: str) -> int:
    r = requests.head(_on(srv, location), headers=tus(token), timeout=30)
    assert r.status_code == 200, r.text
    return int(r.headers["Upload-Offset"])


def _patch_until_done(srv: IntakeServer, token: str, location: str, data: bytes) -> float:
    """What a client does: HEAD, PATCH the rest, wait out 423/503; returns the time taken."""
    started = time.monotonic()
    while time.monotonic() - started < 120:
        at = _offset(srv, token, location)
        if at == len(data):
            return time.monotonic() - started
        r = patch(srv, token, _on(srv, location), at, data[at:])
        if r.status_code == 204 and int(r.headers["Upload-Offset"]) == len(data):
            return time.monotonic() - started
        assert r.status_code in (409, 423, 503), r.text
        time.sleep(0.5)  # a client's back-off between attempts
    raise AssertionError("the upload did not finish within two minutes")


def test_upload_begun_on_one_replica_finishes_on_the_other(replicas, tmp_path: Path) -> None:
    a, b, store = replicas
    assert not (a.data_dir / "media").exists() or not any((a.data_dir / "media").rglob("*"))
    photo = big_jpeg(tmp_path / "p.jpg", 19)
    data = photo.read_bytes()
    token = a.unit_token()
    report = make_report([photo])
    assert put(a, token, report).status_code == 201
    loc = create_upload(a, token, photo).headers["Location"]
    first = 8 * MIB + 4321  # one whole part and a tail
    assert patch(a, token, loc, 0, data[:first]).status_code == 204
    assert _offset(b, token, loc) == first
    second = 17 * MIB + 1  # continues on B: the tail is read back from the bucket
    r = patch(b, token, _on(b, loc), first, data[first:second])
    assert r.status_code == 204 and int(r.headers["Upload-Offset"]) == second
    r = patch(a, token, loc, second, data[second:])  # and finishes on A
    assert r.status_code == 204, r.text
    assert store.stored(a, sha256_file(photo)) == data
    receipt = finalise(b, token, report).json()
    assert finalise(a, token, report).json() == receipt
    assert store.keys("uploads/") == []  # no tail left behind
    for srv in (a, b):  # nothing of the media on either replica's disk
        assert not any(p.is_file() for p in (srv.data_dir / "media").rglob("*"))
        assert not any(p.is_file() for p in (srv.data_dir / "uploads").rglob("*"))


def test_replica_killed_mid_patch_resumes_through_the_other(replicas, tmp_path: Path) -> None:
    a, b, store = replicas
    photo = big_jpeg(tmp_path / "k.jpg", 24, seed=5)
    data = photo.read_bytes()
    token = a.unit_token()
    report = make_report([photo])
    assert put(a, token, report).status_code == 201
    loc = create_upload(a, token, photo).headers["Location"]
    sent = threading.Event()
    gate = threading.Event()

    def body():
        yield data[: 10 * MIB]
        sent.set()
        gate.wait(30)
        yield data[10 * MIB :]

    def run() -> None:
        with contextlib.suppress(requests.RequestException):  # the server dies under it
            patch(a, token, loc, 0, body())

    t = threading.Thread(target=run, daemon=True)
    t.start()
    assert sent.wait(30)
    deadline = time.monotonic() + 30
    while _offset(b, token, loc) < 8 * MIB and time.monotonic() < deadline:
        time.sleep(0.1)  # the first whole part reached the bucket and the database
    a.kill()  # mid-PATCH, holding the lease
    gate.set()
    t.join(30)
    kept = _offset(b, token, loc)
    assert kept >= 8 * MIB
    took = _patch_until_done(b, token, loc, data)
    assert took < LEASE + 60
    assert store.stored(b, sha256_file(photo)) == data
    a.start()
    assert finalise(a, token, report).status_code == 200


def test_store_down_mid_upload_then_back(
    pg: str, s3store: MediaStoreChoice, seaweed: SeaweedS3, campaign_files, tmp_path: Path
) -> None:
    with _replica(tmp_path / "s", pg, s3store, campaign_files, None) as srv:
        photo = big_jpeg(tmp_path / "d.jpg", 18, seed=7)
        data = photo.read_bytes()
        token = srv.unit_token()
        report = make_report([photo])
        assert put(srv, token, report).status_code == 201
        loc = create_upload(srv, token, photo).headers["Location"]
        assert patch(srv, token, loc, 0, data[: 9 * MIB]).status_code == 204
        seaweed.stop()
        try:
            r = patch(srv, token, loc, 9 * MIB, data[9 * MIB :])
            assert r.status_code == 503, r.text
            assert r.json()["code"] == "media-store-unavailable"
            assert "对象存储" in r.json()["detail_zh"]
            assert (
                int(requests.head(loc, headers=tus(token), timeout=10).headers["Upload-Offset"])
                >= 8 * MIB
            )
        finally:
            seaweed.start()
        _patch_until_done(srv, token, loc, data)
        assert s3store.stored(srv, sha256_file(photo)) == data
        assert finalise(srv, token, report).status_code == 200
        assert "Traceback" not in srv.log()


def test_database_connections_dropped_mid_upload(
    pg: str, s3store: MediaStoreChoice, campaign_files, tmp_path: Path
) -> None:
    name = pg.rsplit("/", 1)[1]
    admin = sa.create_engine(pg.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with _replica(tmp_path / "p", pg, s3store, campaign_files, None) as srv:
        photo = big_jpeg(tmp_path / "q.jpg", 10, seed=9)
        data = photo.read_bytes()
        token = srv.unit_token()
        assert put(srv, token, make_report([photo])).status_code == 201
        loc = create_upload(srv, token, photo).headers["Location"]
        assert patch(srv, token, loc, 0, data[: 5 * MIB]).status_code == 204
        with admin.connect() as conn:  # what a PostgreSQL restart does to the server
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
        _patch_until_done(srv, token, loc, data)
        assert s3store.stored(srv, sha256_file(photo)) == data
    admin.dispose()


def test_object_deleted_behind_qmintakes_back(
    pg: str, s3store: MediaStoreChoice, seaweed: SeaweedS3, campaign_files, tmp_path: Path
) -> None:
    with _replica(tmp_path / "c", pg, s3store, campaign_files, None) as srv:
        photo = big_jpeg(tmp_path / "c.jpg", 1, seed=11)
        token = srv.unit_token()
        receipt = submit(srv, token, make_report([photo]), [photo])
        ok = srv.cli("check")
        assert "all recorded files are present" in ok.stdout
        sha = sha256_file(photo)
        seaweed.client().delete_object(Bucket=S3_BUCKET, Key=f"{s3store.prefix}media/{sha}")
        bad = srv.cli("check", check=False)
        assert bad.returncode == 1
        assert f"MISSING {sha}" in bad.stderr and receipt["submission_uuid"] in bad.stderr
        assert "媒体存储中有 1 个文件缺失" in bad.stderr
        files = srv.cli("files", receipt["submission_uuid"], str(tmp_path / "out"), check=False)
        assert files.returncode == 0 and "Traceback" not in files.stderr


@pytest.mark.parametrize(
    ("store_url", "env", "says"),
    [
        ("s3://qmtest/x", {"AWS_SECRET_ACCESS_KEY": "wrong"}, "拒绝了凭据"),
        ("s3://no-such-bucket/x", {}, "没有存储桶"),
        ("s3://qmtest/x", {"AWS_ENDPOINT_URL": "http://127.0.0.1:9"}, "无法连接对象存储"),
    ],
)
def test_serve_refuses_a_store_it_cannot_use(
    seaweed: SeaweedS3, tmp_path: Path, store_url: str, env: dict[str, str], says: str
) -> None:
    srv = IntakeServer(
        tmp_path / "x",
        extra_args=["--media-store", store_url],
        env={**seaweed.env, "AWS_MAX_ATTEMPTS": "1", **env},
    )
    done = srv.cli("serve", "--port", "0", check=False)
    assert done.returncode == 2
    assert says in done.stderr and "Traceback" not in done.stderr
