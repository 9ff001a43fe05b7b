"""The lead office's console: server-rendered pages under ``/console/`` in the same app.

``mount(app)`` adds the console's routes, its static files and its error pages.  Other
modules add pages the same way: an ``APIRouter`` whose routes take
``Depends(require_user(role))`` (``qmintake.console.auth``) and render templates that
extend ``base.html`` (block ``content``) with ``qmintake.console.pages.render``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    import threading

    from starlette.staticfiles import StaticFiles

    from qmintake.console import (
        downloads,
        errors,
        reminders,
        routes_account,
        routes_campaigns,
        routes_reminders,
        routes_review,
        routes_roster,
    )
    from qmintake.console.auth import require_user
    from qmintake.console.pages import STATIC, environment
    from qmintake.roster import expected_units

    app.state.console_env = environment()
    app.state.console_boards = {}  # campaign id -> its dashboard, refreshed per request
    app.state.console_boards_lock = threading.Lock()
    app.state.reminder_jobs = {}  # batch id -> reminders being sent in the background
    errors.install(app)
    for module in (
        routes_account,
        routes_campaigns,
        routes_roster,
        routes_review,
        routes_reminders,
    ):
        app.include_router(module.router)
    # the office's downloads (any signed-in user) and reminders (a reviewer or more),
    # over the roster kept in the database
    # (not in the OpenAPI description: that is the units' API)
    app.include_router(
        downloads.make_router(require_user("viewer"), expected_units), include_in_schema=False
    )
    app.include_router(
        reminders.make_router(require_user("reviewer"), lambda st, c: expected_units(st, c) or []),
        include_in_schema=False,
    )
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
