"""Parsing the Range header of a download, and the download's file name header."""

from __future__ import annotations

import pytest

from qmintake.console.downloads import attachment, byte_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-", (0, 999)),
        ("bytes=500-", (500, 999)),
        ("bytes=10-19", (10, 19)),
        ("bytes=10-5000", (10, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-1", None),
        ("bytes=-", None),
    ],
)
def test_byte_range(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=2000-3000", "bytes=20-10", "bytes=-0"])
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(ValueError):
        byte_range(header, 1000)


def test_attachment_names_chinese_files_for_every_browser() -> None:
    value = attachment("全部报送.zip")
    assert value.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E5%85%A8%E9%83%A8%E6%8A%A5%E9%80%81.zip" in value
    assert value.isascii()
