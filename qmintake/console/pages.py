"""Rendering the console's pages: one Jinja2 environment per app, Chinese first.

Templates write their text in Chinese inside ``_("…")``; with English chosen (the
``qm_lang`` cookie, switched by a link on every page) ``_`` looks the text up in
:data:`qmintake.console.i18n.EN`.  A test checks that every text has its English.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from qmintake.console.auth import LANG_COOKIE
from qmintake.console.i18n import EN

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
STATUS_ZH = {
    "missing": "未报送",
    "open": "未完成报送",
    "on_time": "按时报送",
    "late": "逾期报送",
    "returned": "已退回修改",
    "accepted": "已通过",
    "received": "已收到",
}


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["size"] = human_size
    return env


def human_size(n: int | None) -> str:
    if n is None:
        return ""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def lang_of(request: Request) -> str:
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"


def render(request: Request, template: str, http_status: int = 200, **ctx: Any) -> HTMLResponse:
    env: Environment = request.app.state.console_env
    lang = lang_of(request)

    def _(text: str) -> str:
        return EN.get(text, text) if lang == "en" else text

    def status_text(code: str) -> str:
        return _(STATUS_ZH.get(code, code))

    def local(t: dt.datetime | str | None, tz: Any = None) -> str:
        if t is None or t == "":
            return ""
        if isinstance(t, str):
            t = dt.datetime.fromisoformat(t.replace("Z", "+00:00"))
        return t.astimezone(tz).strftime("%Y-%m-%d %H:%M") if tz else t.strftime("%Y-%m-%d %H:%M")

    user = getattr(request.state, "user", None)
    body = env.get_template(template).render(
        request=request,
        lang=lang,
        _=_,
        pick=lambda zh, en: en if lang == "en" else zh,
        status_text=status_text,
        local=local,
        user=user,
        csrf=user.csrf if user else "",
        path=request.url.path,
        now_utc=lambda: dt.datetime.now(dt.UTC),
        **ctx,
    )
    return HTMLResponse(
        body,
        status_code=http_status,
        headers={
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
            "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        },
    )
