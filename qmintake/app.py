"""The app factory: ``create_app(settings)`` builds one FastAPI app with its own state."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from qmintake import __version__
from qmintake.limits import BodyLimit
from qmintake.problems import install_handlers
from qmintake.settings import IntakeState, Settings

log = logging.getLogger("qmintake")
DESCRIPTION = (
    "The lead office's intake endpoint for Quality Month activity summaries "
    "(质量月活动情况总结): a JSON API for reports and tus 1.0.0 for photos and videos. "
    "See docs/protocol.md."
)


SWEEP_EVERY_S = 600.0
CONSOLE_UPLOAD_BYTES = 40 * 1024 * 1024  # a roster workbook of 100,000 rows


async def _sweep_forever(intake: IntakeState) -> None:
    """Remove expired unfinished uploads every few minutes while serving."""
    from qmintake.tus import sweep_expired

    while True:
        await asyncio.sleep(SWEEP_EVERY_S)
        try:
            await run_in_threadpool(sweep_expired, intake)
        except Exception:  # keep serving; the next round tries again
            log.exception("sweeping expired uploads failed")


def create_app(settings: Settings, state: IntakeState | None = None) -> FastAPI:
    from qmintake import api, hooks, tus

    intake = state or IntakeState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_sweep_forever(intake))
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            intake.close()

    app = FastAPI(
        title="qmintake",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.intake = intake
    install_handlers(app)
    app.include_router(api.router)
    app.include_router(tus.router)
    app.include_router(hooks.router)
    from qmintake.console import mount

    mount(app)  # the office's console under /console/
    app.add_middleware(
        BodyLimit,
        limit=settings.max_json_bytes,
        wider={"/console/": CONSOLE_UPLOAD_BYTES},
        idle_s=settings.body_timeout_s,
    )
    return app
