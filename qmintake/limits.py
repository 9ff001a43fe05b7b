"""A cap on JSON request bodies, enforced while they arrive (tus bodies are exempt)."""

from __future__ import annotations

from typing import Any

from qmintake.problems import problem_response

UPLOADS_PREFIX = "/api/v1/uploads"
FLAG = "qmintake.body_too_large"


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: 413 ``body-too-large`` for a body over ``limit`` bytes."""

    def __init__(self, app: Any, limit: int, wider: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.wider = wider or {}  # path prefix -> its own limit (the console's uploads)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UPLOADS_PREFIX):
            await self.app(scope, receive, send)
            return
        cap = next((n for p, n in self.wider.items() if scope["path"].startswith(p)), self.limit)
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > cap:
                await self._refuse(scope, receive, send)
                return
        seen = 0
        limit = cap

        async def counting_receive() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    scope[FLAG] = True  # FastAPI wraps body errors; the handler reads this
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Any, receive: Any, send: Any) -> None:
        response = problem_response(
            "body-too-large",
            f"a JSON body may have at most {self.limit} bytes",
            scope["path"],
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
