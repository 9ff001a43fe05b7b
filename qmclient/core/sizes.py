"""Byte counts as people read them, the same everywhere in the program."""

from __future__ import annotations


def size_text(size: float) -> str:
    """980 KB, 12.3 MB, 2.00 GB (binary units; never "0 KB" for a non-empty file)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)) if size else 0} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024**3:.2f} GB"
