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
    public = {"/api/v1", "/api/v1/campaigns/{campaign_id}"}
    doc.setdefault("components", {})["securitySchemes"] = {
        "unitToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "a unit's token, issued by the office (`qmintake token issue`)",
        }
    }
    for name, path in doc["paths"].items():
        for op in path.values():
            default = op.get("responses", {}).get("default", {})
            default.get("content", {}).pop("application/json", None)
            if name not in public:
                op["security"] = [{"unitToken": []}]
                op["parameters"] = [
                    p for p in op.get("parameters", []) if p.get("name") != "Authorization"
                ]
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
