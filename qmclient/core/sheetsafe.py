"""The one formula guard for every spreadsheet the project writes (client and server).

A spreadsheet runs text that starts with ``= + - @`` (or a tab or carriage return, which
some programs strip first) as a formula: a unit named ``=HYPERLINK("http://x","y")``
would become a live link in the office's workbook (formula or CSV injection).  Such text
is stored with a leading apostrophe, so it shows as the text it is.  Characters that an
XML 1.0 file (.xlsx, .docx) cannot hold are dropped on the way.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet cell may hold it: never a formula, only legal XML."""
    text = _XML_ILLEGAL.sub("", text or "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value: object) -> object:
    """Any cell value through the guard: text neutralised, numbers and dates as they are."""
    return neutralise(value) if isinstance(value, str) else value
