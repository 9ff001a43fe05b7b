"""The intake app with the office's console routes mounted, served by uvicorn in a thread
on 127.0.0.1 (port 0), over the data folder of a running test server.

The console's sign-in is not part of these routes: they take the "who is signed in"
dependency as a parameter.  Here it is a header (``X-Office-User``), so the tests can
show that a request without a signed-in user is refused.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from fastapi import Header

from qmclient.core.rollup import ExpectedUnit
from qmintake.app import create_app
from qmintake.problems import Problem
from qmintake.settings import IntakeState, Settings

USER = {"X-Office-User": "clerk"}


def office_user(x_office_user: str = Header(default="")) -> str:
    if not x_office_user:
        raise Problem("token-missing", "sign in to the console first")
    return x_office_user


class OfficeApp:
    def __init__(
        self,
        data_dir: Path,
        campaign_files: Sequence[Path] = (),
        roster: list[ExpectedUnit] | None = None,
        db_url: str = "",
    ) -> None:
        from qmintake.console.downloads import make_router as downloads
        from qmintake.console.reminders import make_router as reminders

        self.state = IntakeState(
            Settings(data_dir=data_dir, db_url=db_url, campaign_files=tuple(campaign_files))
        )
        app = create_app(self.state.settings, self.state)
        app.include_router(downloads(office_user, lambda _st, _c: roster))
        app.include_router(reminders(office_user, lambda _st, _c: roster or []))
        self.app = app
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> OfficeApp:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the office app did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()
