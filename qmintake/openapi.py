"""The OpenAPI description of the protocol, generated from the app (docs/openapi.json)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path


def openapi_json() -> str:
    from qmintake.app import create_app
    from qmintake.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data_dir=Path(tmp)))
        doc = app.openapi()
        app.state.intake.close()
    for path in doc["paths"].values():
        for op in path.values():
            default = op.get("responses", {}).get("default", {})
            default.get("content", {}).pop("application/json", None)
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
