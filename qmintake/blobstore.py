"""Kept for older imports: the data-folder store is :mod:`qmintake.media.local`."""

from __future__ import annotations

from qmintake.media.local import LocalMediaStore as BlobStore

__all__ = ["BlobStore"]
