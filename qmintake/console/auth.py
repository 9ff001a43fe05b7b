"""The console's door: who is signed in, what their role allows, and the CSRF check.

Routes of the console (and of other modules mounting pages under ``/console/``) take

    user: OfficeUser = Depends(require_user("reviewer"))

which answers a visitor without a valid session with a redirect to the sign-in page, a
user whose role is too low with 403, and — for every POST — checks the form's ``csrf``
field against the session's token (and the ``Origin`` header, when sent) before the
route runs.  Only the session cookie counts: a unit's ``Authorization: Bearer`` token
never opens the console, and the cookie never opens the API.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from qmintake.console.accounts import ROLES, OfficeUser, session_user

COOKIE = "qm_console"
LOGIN_COOKIE = "qm_login"  # the sign-in form's own CSRF nonce (double submit)
LANG_COOKIE = "qm_lang"


class SignInRequired(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class ConsoleRefused(Exception):
    """An error page of the console: status, Chinese and English text."""

    def __init__(self, status: int, zh: str, en: str) -> None:
        super().__init__(en)
        self.status, self.zh, self.en = status, zh, en


def csrf_refused() -> ConsoleRefused:
    return ConsoleRefused(
        403,
        "表单已过期或不是从本控制台提交的（CSRF 校验未通过）。请返回页面刷新后重新提交。",
        "The form has expired or was not sent from this console (CSRF check failed). "
        "Go back, reload the page and send it again.",
    )


def same_origin(request: Request) -> bool:
    """An ``Origin`` header, when a browser sends one, must be this server."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


CSRF_HEADER = "x-csrf-token"  # for scripted (JSON) requests of the console's pages


async def check_csrf(request: Request, expected: str) -> None:
    """Refuse a POST whose form (or ``X-CSRF-Token`` header, for a JSON body) lacks the
    session's CSRF token, or that comes from elsewhere."""
    given: object = request.headers.get(CSRF_HEADER)
    if given is None and "json" not in request.headers.get("content-type", ""):
        given = (await request.form()).get("csrf")
    if (
        not isinstance(given, str)
        or not expected
        or not hmac.compare_digest(given.encode(), expected.encode())
        or not same_origin(request)
    ):
        raise csrf_refused()


def current_user(request: Request) -> Awaitable[OfficeUser | None]:
    db = request.app.state.intake.db
    return run_in_threadpool(session_user, db, request.cookies.get(COOKIE, ""))


def require_user(role: str = "viewer") -> Callable[[Request], Awaitable[OfficeUser]]:
    """A FastAPI dependency: the signed-in user having at least ``role``."""
    if role not in ROLES:
        raise ValueError(role)

    async def dependency(request: Request) -> OfficeUser:
        user = await current_user(request)
        if user is None:
            if request.method == "POST":
                raise csrf_refused()  # a form from a session that no longer exists
            raise SignInRequired(request.url.path)
        if not user.may(role):
            raise ConsoleRefused(
                403,
                f"您的账号角色（{user.role}）不能做这件事；需要 {role} 或更高的角色，请联系管理员。",
                f"Your role ({user.role}) cannot do this; it needs {role} or higher. "
                "Ask an administrator.",
            )
        if request.method == "POST":
            await check_csrf(request, user.csrf)
        request.state.user = user
        return user

    return dependency


Viewer = Annotated[OfficeUser, Depends(require_user("viewer"))]
Reviewer = Annotated[OfficeUser, Depends(require_user("reviewer"))]
Admin = Annotated[OfficeUser, Depends(require_user("admin"))]


def cookie_secure(request: Request) -> bool:
    return bool(request.app.state.intake.settings.behind_tls) or request.url.scheme == "https"


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""
