"""Reading a stored file's bytes for the office's downloads: the one place that does.

Downloads read media only through these two functions, so switching them to another
media store (an S3 bucket) is a change here and nowhere else.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from qmintake.media import open_range
from qmintake.media.rangeio import LazyRange
from qmintake.settings import IntakeState


def open_blob(st: IntakeState, sha256: str) -> BinaryIO:
    """The stored file with that SHA-256, open for reading (one ``seek`` allowed before
    the first read), streamed from the media store — folder or bucket."""
    return io.BufferedReader(LazyRange(lambda start: open_range(st, sha256, start)))


def has_blob(st: IntakeState, sha256: str) -> bool:
    return st.blobs.exists(sha256)
