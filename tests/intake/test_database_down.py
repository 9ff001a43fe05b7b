"""The database going away: clear 503 problems, nothing half-done, service resumes."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from intake_server import IntakeServer
from mediafactory import make_jpeg

from intake.protocol import auth, finalise, make_report, put, submit
from intake.test_api import problem


def test_database_unreachable_then_back(backend: str, campaign_files, tmp_path: Path) -> None:
    if not backend:
        pytest.skip("takes a PostgreSQL database away; SQLite is a file inside the server")
    name = backend.rsplit("/", 1)[1]
    admin = sa.create_engine(backend.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    photo = make_jpeg(tmp_path / "p.jpg", seed=2)
    srv = IntakeServer(tmp_path / "srv", db_url=backend, campaign_files=campaign_files)
    with srv:
        token = srv.unit_token()
        done = submit(srv, token, make_report([photo]), [photo])
        report = make_report([photo])
        with admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
        try:
            r = put(srv, token, report)
            body = problem(r, 503, "service-unavailable")
            assert r.headers["Retry-After"] == "30" and body["title_zh"]
            problem(
                requests.get(srv.url("/api/v1/whoami"), headers=auth(token), timeout=30),
                503,
                "service-unavailable",
            )
            assert requests.get(srv.url("/api/v1"), timeout=10).status_code == 200
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert put(srv, token, report).status_code == 201  # nothing of the failed PUT stuck
        assert submit(srv, token, report, [photo])["receipt_number"] != done["receipt_number"]
        assert finalise(srv, token, report).status_code == 200
    admin.dispose()
