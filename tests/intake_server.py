"""A real qmintake server for tests: a subprocess on 127.0.0.1, port 0, its own data folder.

    from intake_server import IntakeServer

    with IntakeServer(tmp_path / "intake") as srv:        # SQLite in that folder
        token = srv.unit_token()                          # an enterprise in 历下区 (lixia)
        district = srv.district_token()                   # the 历下区 coordinator
        requests.get(srv.url("/api/v1"))
        srv.kill()                                        # SIGKILL, e.g. mid-upload
        srv.start()                                       # same folder, same database, same port

``db_url`` runs it on another database (e.g. PostgreSQL); ``campaign_files`` serves other
campaigns than the bundled 2022 Jinan one.  The server's output is kept in
``<data_dir>/server.log`` (``srv.log()``) for a failing test to show.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

VALID_CREDIT_CODE = "91350100M000100Y43"


class IntakeServerError(RuntimeError):
    pass


class IntakeServer:
    def __init__(
        self,
        data_dir: Path,
        db_url: str = "",
        campaign_files: Sequence[Path] = (),
        extra_args: Sequence[str] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.db_url = db_url
        self.campaign_files = [Path(p) for p in campaign_files]
        self.extra_args = list(extra_args)
        self.env = env or {}
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None
        self.data_dir.mkdir(parents=True, exist_ok=True)

    # -- the command line ------------------------------------------------------------
    def _global_args(self) -> list[str]:
        args = ["--data-dir", str(self.data_dir)]
        if self.db_url:
            args += ["--db-url", self.db_url]
        for f in self.campaign_files:
            args += ["--campaign-file", str(f)]
        return args + self.extra_args

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("QMINTAKE_DB_URL", None)
        env.pop("QMINTAKE_DATA_DIR", None)
        env.update(self.env)
        return env

    def cli(
        self, *args: str, check: bool = True, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run ``qmintake <global options> ARGS`` (an admin command) and return it."""
        cmd = [sys.executable, "-m", "qmintake", *self._global_args(), *args]
        done = subprocess.run(
            cmd, capture_output=True, text=True, env=self._env(), timeout=120, input=input
        )
        if check and done.returncode != 0:
            raise IntakeServerError(
                f"qmintake {' '.join(args)} failed ({done.returncode}): {done.stderr}"
            )
        return done

    # -- running -------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if not self.port:
            raise IntakeServerError("the server has not been started")
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "") -> str:
        return self.base_url + path

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 60.0) -> IntakeServer:
        """Start (or restart, on the same port) and wait until it accepts requests."""
        if self.running:
            raise IntakeServerError("already running")
        log = open(self.data_dir / "server.log", "a", encoding="utf-8")  # noqa: SIM115
        cmd = [
            sys.executable,
            "-m",
            "qmintake",
            *self._global_args(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=log, text=True, env=self._env()
        )
        log.close()
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # "qmintake X listening on http://127.0.0.1:PORT"
        if "listening on" not in line:
            self.proc.wait(timeout=5)
            raise IntakeServerError(f"qmintake did not start: {line!r}\n{self.log()[-3000:]}")
        self.port = int(line.rsplit(":", 1)[1])
        self._wait_ready(deadline)
        return self

    def _wait_ready(self, deadline: float) -> None:
        import http.client

        while time.monotonic() < deadline:
            if not self.running:
                raise IntakeServerError(f"qmintake exited\n{self.log()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/v1")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise IntakeServerError("qmintake did not answer in time")

    def stop(self, timeout: float = 15.0) -> None:
        """A clean shutdown (SIGTERM)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._close_pipe()

    def kill(self) -> None:
        """SIGKILL: the server dies wherever it is (mid-upload, mid-commit)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_pipe()

    def restart(self) -> IntakeServer:
        self.stop()
        return self.start()

    def _close_pipe(self) -> None:
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()

    def log(self) -> str:
        path = self.data_dir / "server.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def __enter__(self) -> IntakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- tokens --------------------------------------------------------------------
    def issue_token(self, name: str, kind: str, district: str = "", credit_code: str = "") -> str:
        """A new bearer token for a unit (what ``qmintake token issue`` does, in-process)."""
        return self.issue_tokens([(name, kind, district, credit_code)])[0]

    def issue_tokens(self, units: Sequence[tuple[str, str, str, str]]) -> list[str]:
        """Many tokens at once, in this process: (name, kind, district, credit_code) each.

        Uses the same code as ``qmintake token issue`` without a process per token.
        """
        from qmintake.auth import issue_token
        from qmintake.db import Database, sqlite_url

        db = Database(self.db_url or sqlite_url(self.data_dir))
        try:
            return [issue_token(db, *unit)[0] for unit in units]
        finally:
            db.close()

    def unit_token(
        self,
        name: str = "济南某某有限公司",
        district: str = "lixia",
        credit_code: str = VALID_CREDIT_CODE,
    ) -> str:
        """An enterprise's token (by default in 历下区, with a valid credit code)."""
        return self.issue_token(name, "enterprise", district, credit_code)

    def district_token(self, district: str = "lixia", name: str = "历下区市场监督管理局") -> str:
        """A district coordinator's token: may submit for the district's enterprises."""
        return self.issue_token(name, "district", district)

    def department_token(self, name: str = "济南市市场监督管理局") -> str:
        return self.issue_token(name, "department")
