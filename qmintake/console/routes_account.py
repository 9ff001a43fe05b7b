"""Signing in and out, one's password, the office's accounts, the audit log, language."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from qmintake.console import accounts
from qmintake.console.accounts import AccountError
from qmintake.console.auth import (
    COOKIE,
    LANG_COOKIE,
    LOGIN_COOKIE,
    Admin,
    Reviewer,
    Viewer,
    client_address,
    cookie_secure,
    csrf_refused,
    current_user,
    same_origin,
)
from qmintake.console.pages import render

router = APIRouter(prefix="/console", include_in_schema=False)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/console/") and not target.startswith("//"):
        return target
    return "/console/campaigns"


@router.get("")
@router.get("/")
async def home() -> Response:
    return RedirectResponse("/console/campaigns", status_code=303)


def _login_page(
    request: Request, status: int = 200, error: AccountError | None = None, name: str = ""
) -> Response:
    nonce = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        http_status=status,
        login_csrf=nonce,
        error=error,
        name=name,
        next=_safe_next(request.query_params.get("next")),
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        httponly=True,
        samesite="strict",
        secure=cookie_secure(request),
        path="/console/login",
        max_age=3600,
    )
    return response


@router.get("/login")
async def login_form(request: Request) -> Response:
    if await current_user(request) is not None:
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request)


@router.post("/login")
async def login(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if (
        not expected
        or not hmac.compare_digest(csrf.encode(), expected.encode())
        or not (same_origin(request))
    ):
        raise csrf_refused()
    st = request.app.state.intake
    try:
        cookie, _user = await run_in_threadpool(
            accounts.sign_in, st.db, name[:100], password[:1024], client_address(request)
        )
    except AccountError as exc:
        return _login_page(request, 401 if exc.code == "bad-credentials" else 429, exc, name)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
        path="/console",
        max_age=int(accounts.SESSION_FOR.total_seconds()),
    )
    response.delete_cookie(LOGIN_COOKIE, path="/console/login")
    return response


@router.post("/logout")
async def logout(request: Request, user: Viewer) -> Response:
    await run_in_threadpool(
        accounts.sign_out, request.app.state.intake.db, request.cookies.get(COOKIE, "")
    )
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


@router.get("/lang")
async def switch_language(request: Request, to: str = "zh", next: str = "") -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        LANG_COOKIE,
        "en" if to == "en" else "zh",
        samesite="lax",
        path="/console",
        max_age=365 * 86400,
    )
    return response


@router.get("/account")
async def account_page(request: Request, user: Viewer) -> Response:
    return render(request, "account.html", done=request.query_params.get("done") == "1")


@router.post("/account")
async def change_password(
    request: Request,
    user: Viewer,
    old: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
) -> Response:
    if new != again:
        error = AccountError(zh="两次输入的新密码不一样。", en="The two new passwords differ.")
        return render(request, "account.html", http_status=422, error=error)
    try:
        await run_in_threadpool(
            accounts.change_password,
            request.app.state.intake.db,
            user,
            old[:1024],
            new[:1024],
            request.cookies.get(COOKIE, ""),
        )
    except AccountError as exc:
        return render(request, "account.html", http_status=422, error=exc)
    return RedirectResponse("/console/account?done=1", status_code=303)


@router.get("/audit")
async def audit_page(request: Request, user: Reviewer) -> Response:
    action = request.query_params.get("action", "")[:40]
    lines = await run_in_threadpool(accounts.audit_lines, request.app.state.intake.db, action)
    return render(request, "audit.html", lines=lines, action=action)


@router.get("/users")
async def users_page(request: Request, user: Admin) -> Response:
    users = await run_in_threadpool(accounts.list_users, request.app.state.intake.db)
    return render(request, "users.html", users=users, roles=accounts.ROLES)


@router.post("/users")
async def add_user(
    request: Request,
    user: Admin,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "viewer",
    password: Annotated[str, Form()] = "",
) -> Response:
    db = request.app.state.intake.db
    error = None
    try:
        await run_in_threadpool(accounts.add_user, db, name, role, password[:1024], user.name)
    except AccountError as exc:
        error = exc
    users = await run_in_threadpool(accounts.list_users, db)
    return render(
        request,
        "users.html",
        http_status=422 if error else 200,
        users=users,
        roles=accounts.ROLES,
        error=error,
        added=None if error else name,
    )


@router.post("/users/password")
async def reset_password(
    request: Request,
    user: Admin,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    db = request.app.state.intake.db
    error = None
    try:
        await run_in_threadpool(accounts.set_password, db, name, password[:1024], user.name)
    except AccountError as exc:
        error = exc
    users = await run_in_threadpool(accounts.list_users, db)
    return render(
        request,
        "users.html",
        http_status=422 if error else 200,
        users=users,
        roles=accounts.ROLES,
        error=error,
        reset=None if error else name,
    )
