"""What the office hands a unit: its ``.qmconnect`` file (docs/protocol.md, "Connection
files") and a QR code of the same JSON, drawn server-side as SVG (no script, no CDN)."""

from __future__ import annotations

import json
from typing import Any

from qmclient.core.campaign import Campaign
from qmintake.auth import UnitInfo
from qmintake.models import utcnow
from qmintake.receipts import iso_utc


def qmconnect(endpoint: str, token: str, campaign: Campaign, unit: UnitInfo) -> dict[str, Any]:
    return {
        "format": "qmconnect",
        "version": 1,
        "endpoint": endpoint.rstrip("/"),
        "token": token,
        "campaign_id": campaign.id,
        "office": campaign.recipient.office_full or campaign.recipient.office,
        "unit": {
            "name": unit.name,
            "kind": unit.kind,
            "district": unit.district,
            "credit_code": unit.credit_code,
        },
        "issued_at": iso_utc(utcnow()),
    }


def qmconnect_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def compact(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def qr_svg(text: str) -> str:
    """An inline SVG QR code (error correction M) of ``text``."""
    import qrcode
    import qrcode.constants
    import qrcode.image.svg

    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
    )
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    svg: bytes = qr.make_image().to_string()
    body = svg.decode("utf-8")
    return body[body.index("<svg") :]
