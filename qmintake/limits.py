"""A cap on JSON request bodies, enforced while they arrive (tus bodies are exempt), and
a bounded wait for their bytes (tus bodies bound theirs in ``tus/engine.py``)."""

from __future__ import annotations

from typing import Any

from qmintake.bodywait import BodyTimeout, receive_within
from qmintake.problems import problem_response

UPLOADS_PREFIX = "/api/v1/uploads"
FLAG = "qmintake.body_too_large"
TIMEOUT_FLAG = "qmintake.body_timeout"


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: 413 ``body-too-large`` for a body over ``limit`` bytes."""

    def __init__(
        self,
        app: Any,
        limit: int,
        wider: dict[str, int] | None = None,
        idle_s: float = 60.0,
    ) -> None:
        self.app = app
        self.limit = limit
        self.wider = wider or {}  # path prefix -> its own limit (the console's uploads)
        self.idle_s = idle_s

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
            try:
                message = await receive_within(receive, self.idle_s)
            except BodyTimeout:
                scope[TIMEOUT_FLAG] = True  # read by the handler, as FLAG is
                raise
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
        except BodyTimeout:
            response = problem_response(
                "body-timeout",
                f"no bytes of the request body arrived for {self.idle_s:g} s; send it again",
                scope["path"],
                headers={"Connection": "close"},
            )
            await response(scope, receive, send)

    async def _refuse(self, scope: Any, receive: Any, send: Any) -> None:
        response = problem_response(
            "body-too-large",
            f"a JSON body may have at most {self.limit} bytes",
            scope["path"],
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
