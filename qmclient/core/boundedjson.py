"""The one reader for JSON from outside (package and mail manifests, ``.qmconnect`` files,
campaign files in JSON form, server answers): bounded in size, nesting depth, number of
items and string length, and refusing with a bilingual :class:`JsonRefused` that names
the thing read.

The standard library's ``json`` recurses per nesting level (a 10,000-deep array raises
``RecursionError``) and builds any number of keys; this reader checks the depth and the
counts on the raw text before parsing, in one linear pass, so nothing hostile reaches the
parser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from qmclient.core.work import QmError


@dataclass(frozen=True)
class JsonBounds:
    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 32
    max_items: int = 200_000  # values in arrays plus members of objects, all levels
    max_string: int = 1024 * 1024  # characters of one string (before unescaping)


DEFAULT_BOUNDS = JsonBounds()


class JsonRefused(QmError):
    """JSON from outside that is not read; ``what`` names it (a file, an answer)."""

    code = "json-refused"

    def __init__(self, what: str, *, zh: str, en: str) -> None:
        super().__init__(zh=f"{what}：{zh}", en=f"{what}: {en}")
        self.what = what


def _scan(text: str, bounds: JsonBounds, what: str) -> None:
    depth = 0
    items = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while True:
                j = text.find('"', j)
                if j < 0:
                    raise JsonRefused(
                        what,
                        zh="内容不完整（字符串未结束）。",
                        en="it is cut off (a string never ends).",
                    )
                k = j - 1
                backslashes = 0
                while k > i and text[k] == "\\":
                    backslashes += 1
                    k -= 1
                if backslashes % 2 == 0:
                    break
                j += 1
            if j - i - 1 > bounds.max_string:
                raise JsonRefused(
                    what,
                    zh=f"其中一个字符串超过 {bounds.max_string} 个字符。",
                    en=f"a string in it is longer than {bounds.max_string} characters.",
                )
            i = j + 1
            continue
        if c in "[{":
            depth += 1
            if depth > bounds.max_depth:
                raise JsonRefused(
                    what,
                    zh=f"嵌套超过 {bounds.max_depth} 层。",
                    en=f"it is nested deeper than {bounds.max_depth} levels.",
                )
            items += 1
        elif c in "]}":
            depth -= 1
        elif c == ",":
            items += 1
        if items > bounds.max_items:
            raise JsonRefused(
                what,
                zh=f"条目超过 {bounds.max_items} 个。",
                en=f"it has more than {bounds.max_items} items.",
            )
        i += 1


def loads_bounded(data: bytes | str, what: str, bounds: JsonBounds = DEFAULT_BOUNDS) -> Any:
    """Parse ``data`` (UTF-8 bytes or text) within ``bounds``; ``what`` names it in
    messages (e.g. the file's name).  Raises :class:`JsonRefused`."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > bounds.max_bytes:
        raise JsonRefused(
            what,
            zh=f"文件过大（{size} 字节，上限 {bounds.max_bytes} 字节）。",
            en=f"it is too large ({size} bytes, the limit is {bounds.max_bytes}).",
        )
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JsonRefused(
                what, zh="不是 UTF-8 编码的文本。", en="it is not UTF-8 text."
            ) from exc
    else:
        text = data
    _scan(text, bounds, what)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise JsonRefused(
            what, zh=f"不是有效的 JSON（{exc}）。", en=f"it is not valid JSON ({exc})."
        ) from exc


def read_bounded(path: Any, what: str | None = None, bounds: JsonBounds = DEFAULT_BOUNDS) -> Any:
    """Read and parse the JSON file ``path`` (a ``pathlib.Path``) within ``bounds``;
    never reads more than ``bounds.max_bytes + 1`` bytes."""
    name = what or str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(bounds.max_bytes + 1)
    except OSError as exc:
        raise JsonRefused(
            name,
            zh=f"无法读取（{exc.strerror or exc}）。",
            en=f"it cannot be read ({exc.strerror or exc}).",
        ) from exc
    return loads_bounded(data, name, bounds)
