"""The problem document as an OpenAPI schema, for the routers' documented error answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from qmintake.problems import MEDIA_TYPE


class ProblemDocument(BaseModel):
    """RFC 9457 problem details, as every error of the server is answered."""

    model_config = ConfigDict(extra="allow")
    type: str
    code: str
    title: str
    title_zh: str
    status: int
    detail: str
    instance: str = ""


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "default": {
        "description": "An error: RFC 9457 problem details with a stable `code`",
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}},
        "model": ProblemDocument,
    }
}
