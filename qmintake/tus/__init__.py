"""Media over tus 1.0.0, in three parts: :mod:`~qmintake.tus.protocol` (the wire:
headers, metadata, constants), :mod:`~qmintake.tus.routes` (the endpoints) and
:mod:`~qmintake.tus.engine` (who may upload, one writer per upload, streaming into the
media store, the final check).  The names other modules use are re-exported here.
"""

from __future__ import annotations

from qmintake.tus.engine import check_listed, check_type, record_blob, sweep_expired
from qmintake.tus.protocol import (
    CHECKSUM_ALGORITHMS,
    EXTENSIONS,
    READ_CHUNK,
    SHA256_HEX,
    TUS_VERSION,
    parse_metadata,
    safe_filename,
)
from qmintake.tus.routes import router

__all__ = [
    "CHECKSUM_ALGORITHMS",
    "EXTENSIONS",
    "READ_CHUNK",
    "SHA256_HEX",
    "TUS_VERSION",
    "check_listed",
    "check_type",
    "parse_metadata",
    "record_blob",
    "router",
    "safe_filename",
    "sweep_expired",
]
