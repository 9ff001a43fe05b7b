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

# routers of other modules mounted when present (they may not exist on every branch)
OPTIONAL_ROUTERS = ("qmintake.console.downloads", "qmintake.console.reminders")


def mount(app: FastAPI) -> None:
    import importlib

    from starlette.staticfiles import StaticFiles

    from qmintake.console import (
        errors,
        routes_account,
        routes_campaigns,
        routes_review,
        routes_roster,
    )
    from qmintake.console.pages import STATIC, environment

    app.state.console_env = environment()
    app.state.console_boards = {}  # campaign id -> its dashboard, refreshed per request
    errors.install(app)
    for module in (routes_account, routes_campaigns, routes_roster, routes_review):
        app.include_router(module.router)
    for name in OPTIONAL_ROUTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        app.include_router(module.router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
