"""Text as the exported files need it: XML-safe, file-name-safe, Chinese dates and sizes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from qmclient.core.sizes import size_text as size_text  # re-exported for the export modules

# Characters XML 1.0 (so .docx and .xlsx) cannot hold: C0 controls except tab, LF, CR.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Characters Windows does not allow in file names, plus controls.
_NAME_ILLEGAL = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)
}
CN_NUMERALS = "一二三四五六七八九十"


def xml_safe(text: str) -> str:
    """``text`` without the control characters a Word or Excel file cannot contain."""
    return _XML_ILLEGAL.sub("", text or "")


def safe_filename(name: str, *, max_chars: int = 80, fallback: str = "file") -> str:
    """A file name that Windows, macOS and Linux all accept; the extension is kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = _NAME_ILLEGAL.sub("_", name).strip().strip(".")
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 8 or not stem:
        stem, ext = name, ""
    stem = stem.strip() or fallback
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    room = max_chars - (len(ext) + 1 if ext else 0)
    stem = stem[: max(room, 1)].rstrip(" .") or fallback
    return f"{stem}.{ext}" if ext else stem


def display_width(text: str) -> float:
    """Width in 'characters' of the body font: CJK counts 1, half-width counts 0.5."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return f"{head}十{CN_NUMERALS[ones - 1] if ones else ''}"


def date_zh(day: dt.date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 asks: 2022年9月28日."""
    return f"{day.year}年{day.month}月{day.day}日"


def period_zh(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return ""
    if start is None or end is None or start == end:
        return date_zh(start or end)  # type: ignore[arg-type]
    if start.year == end.year:
        tail = f"{end.month}月{end.day}日" if start.month != end.month else f"{end.day}日"
        return f"{date_zh(start)}—{tail}"
    return f"{date_zh(start)}—{date_zh(end)}"


def duration_zh(seconds: float | None) -> str:
    if seconds is None:
        return "时长未知"
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h}小时{m}分{s}秒"
    if m:
        return f"{m}分{s}秒"
    return f"{s}秒"
