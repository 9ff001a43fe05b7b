"""Reading a campaign file's text for messages: its JSON schema, TOML values as JSON, a
key path as text and its line in the file, and a schema error said in Chinese."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from typing import Any


@cache
def schema() -> dict[str, Any]:
    from qmclient.resources import campaigns_dir

    data: dict[str, Any] = json.loads(
        (campaigns_dir() / "campaign.schema.json").read_text(encoding="utf-8")
    )
    return data


def jsonable(value: Any) -> Any:
    """TOML dates and times become ISO strings, so the document is plain JSON."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def key_path(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def find_line(text: str, path: list[str | int]) -> int | None:
    """Best-effort line number of a key path in TOML source (1-based), for messages."""
    lines = text.splitlines()
    start = 0
    table = ""
    for depth, part in enumerate(path):
        if isinstance(part, int):
            header = re.compile(r"^\s*\[\[\s*" + re.escape(table) + r"\s*\]\]")
            seen = -1
            for i in range(start, len(lines)):
                if header.match(lines[i]):
                    seen += 1
                    if seen == part:
                        start = i
                        break
            else:
                return None
            continue
        table = f"{table}.{part}" if table and depth and isinstance(path[depth - 1], str) else part
        key = re.compile(r"^\s*" + re.escape(part) + r"\s*=")
        head = re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?")
        for i in range(start, len(lines)):
            if key.match(lines[i]) or head.match(lines[i]):
                start = i
                break
        else:
            return None
    return start + 1


TYPES_ZH = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "array": "列表",
    "object": "表（键值对）",
    "null": "空值",
}


def schema_problem_zh(err: Any) -> str:
    """What a schema error means, in Chinese (the English is jsonschema's own text)."""
    kind = err.validator
    if kind == "required":
        return "缺少这个必填项"
    if kind == "additionalProperties":
        names = re.findall(r"'([^']*)'", err.message)
        return f"有不认识的键：{'、'.join(names)}" if names else "有不认识的键"
    if kind == "type":
        wanted = (
            err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        )
        return "类型不对，应为" + "或".join(TYPES_ZH.get(str(t), str(t)) for t in wanted)
    simple = {
        "enum": "取值不在允许的范围内",
        "const": "取值不对",
        "minLength": "内容太短（或为空）",
        "maxLength": "内容太长",
        "minimum": "数值太小",
        "exclusiveMinimum": "数值太小",
        "maximum": "数值太大",
        "exclusiveMaximum": "数值太大",
        "pattern": "格式不对",
        "format": "格式不对",
        "minItems": "条目太少（或为空）",
        "maxItems": "条目太多",
        "uniqueItems": "有重复的条目",
    }
    return simple.get(str(kind), "不符合活动定义文件的格式要求")
