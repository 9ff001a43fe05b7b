"""HEIC/HEIF photos, what most phones take, read through pillow-heif.

:func:`enable_heif` registers the decoder with Pillow once per process (worker processes
of the downscaling pool call it too); without pillow-heif it returns ``False`` and HEIC
photos are kept and sent as they are, without size, preview or downscaling.
"""

from __future__ import annotations

from functools import cache


@cache
def enable_heif() -> bool:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True
