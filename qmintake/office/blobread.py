"""Reading a stored file's bytes for the office's downloads: the one place that does.

Downloads read media only through these two functions, so switching them to another
media store (an S3 bucket) is a change here and nowhere else.
"""

from __future__ import annotations

from typing import BinaryIO

from qmintake.settings import IntakeState


def open_blob(st: IntakeState, sha256: str) -> BinaryIO:
    """The stored file with that SHA-256, open for reading (seekable)."""
    return st.blobs.path_for(sha256).open("rb")


def has_blob(st: IntakeState, sha256: str) -> bool:
    return st.blobs.has(sha256)
