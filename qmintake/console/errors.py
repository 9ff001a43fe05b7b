"""The console's error pages: sign-in redirects, refusals and problems as HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from qmintake.console.auth import ConsoleRefused, SignInRequired
from qmintake.problems import PROBLEMS, Problem

if TYPE_CHECKING:
    from fastapi import FastAPI


def refused_from(problem: Problem) -> ConsoleRefused:
    status, title_en, title_zh = PROBLEMS.get(problem.code, (400, problem.code, problem.code))
    return ConsoleRefused(status, f"{title_zh}：{problem.detail}", f"{title_en}: {problem.detail}")


def install(app: FastAPI) -> None:
    from qmintake.console.pages import render

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/console/login?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(ConsoleRefused)
    async def _refused(request: Request, exc: ConsoleRefused) -> Response:
        return render(request, "error.html", http_status=exc.status, zh=exc.zh, en=exc.en)
