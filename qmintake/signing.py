"""Signed receipts: the office's Ed25519 key signs every receipt, so a unit can show it
to anyone, who can check it offline against the key the endpoint publishes.

The key lives in ``<data-dir>/receipt-signing.key`` (created on first start, mode 0600;
replicas share the data folder, or are given the same file with ``--receipt-key``).
The signature covers the receipt's canonical JSON (sorted keys, no spaces, UTF-8)
without its ``signature`` member.  A receipt is signed once, when the revision is
received, and kept as those bytes (:mod:`qmintake.receipts`); it is never re-made.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALG = "Ed25519"


def canonical(receipt: dict[str, Any]) -> bytes:
    body = {k: v for k, v in receipt.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class ReceiptSigner:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        raw = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.public_key_b64 = _b64(raw)
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]

    @classmethod
    def load_or_create(cls, path: Path) -> ReceiptSigner:
        if not path.exists():
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)  # never overwrite a key another replica just made
            tmp.unlink(missing_ok=True)
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return cls(loaded)

    def public(self) -> dict[str, str]:
        return {"alg": ALG, "key_id": self.key_id, "public_key": self.public_key_b64}

    def sign(self, receipt: dict[str, Any]) -> dict[str, Any]:
        signature = self._key.sign(canonical(receipt))
        return {
            **receipt,
            "signature": {"alg": ALG, "key_id": self.key_id, "value": _b64(signature)},
        }


def verify(receipt: dict[str, Any], public_key_b64: str) -> bool:
    """Whether ``receipt`` carries a valid signature by that key."""
    from cryptography.exceptions import InvalidSignature

    sig = receipt.get("signature") or {}
    if sig.get("alg") != ALG:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(base64.b64decode(sig.get("value", "")), canonical(receipt))
    except (InvalidSignature, ValueError):
        return False
    return True
