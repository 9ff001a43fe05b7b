"""Campaign definitions: the facts of one reporting campaign, read from a TOML file.

A campaign file is data, not code: next year's campaign is a new file (or is served by the
endpoint) and the program picks it up.  :func:`load_campaign` reads a file, checks it
against ``campaign.schema.json`` and returns a :class:`Campaign`; anything wrong raises
:class:`CampaignError` naming the file, the line or key, and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qmclient.core.boundedjson import JsonBounds, JsonRefused, loads_bounded
from qmclient.core.campaign_text import find_line, jsonable, key_path, schema, schema_problem_zh
from qmclient.core.work import QmError

FORMAT_VERSION = 1
LatePolicy = Literal["warn", "refuse"]
SubmitterKindId = Literal["department", "district", "enterprise"]
MAX_CAMPAIGN_FILE_BYTES = 1_000_000
CAMPAIGN_JSON_BOUNDS = JsonBounds(
    max_bytes=MAX_CAMPAIGN_FILE_BYTES, max_depth=16, max_items=50_000, max_string=100_000
)


class CampaignError(QmError, ValueError):
    """A campaign file that cannot be used; the message says which file, where (line and
    key) and why: wholly in Chinese (``message_zh``) and wholly in English
    (``message_en``, also ``str()``)."""

    code = "campaign-invalid"

    def __init__(
        self,
        source: str,
        where: str,
        problem: str,
        problem_zh: str,
        *,
        line: int | None = None,
    ) -> None:
        self.source = source
        self.where = f"line {line}, {where}" if line and where else where
        self.problem = problem
        self.problem_zh = problem_zh
        where_zh = where.replace("top level", "最外层")
        if line:
            where_zh = f"第 {line} 行，{where_zh}" if where_zh else f"第 {line} 行"
        en = f"{source}: {self.where}: {problem}" if self.where else f"{source}: {problem}"
        zh = (
            f"活动定义文件 {source}：{where_zh}：{problem_zh}"
            if where_zh
            else f"活动定义文件 {source}：{problem_zh}"
        )
        super().__init__(zh=zh, en=en)


@dataclass(frozen=True)
class FocusArea:
    id: str
    name_zh: str
    name_en: str
    hint_zh: str = ""
    hint_en: str = ""


@dataclass(frozen=True)
class District:
    id: str
    name_zh: str
    name_en: str = ""
    kind: str = "district"


@dataclass(frozen=True)
class SubmitterKind:
    id: str
    name_zh: str
    name_en: str
    required_fields: tuple[str, ...]


@dataclass(frozen=True)
class MediaRules:
    accepted_types: tuple[str, ...]
    max_file_bytes: int
    max_submission_bytes: int
    min_photos: int = 0
    min_videos: int = 0
    captions_required: bool = False


@dataclass(frozen=True)
class Recipient:
    office: str
    email: str
    office_full: str = ""
    phone: str = ""
    fax: str = ""
    contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    title_en: str
    theme: str
    issuer: str
    issued: dt.date | None
    report_title: str
    timezone: str
    period_start: dt.date
    period_end: dt.date
    due: dt.datetime  # aware, in the campaign's time zone
    late_policy: LatePolicy
    recipient: Recipient
    endpoint_url: str
    mail_size_limit: int
    media: MediaRules
    submitter_kinds: tuple[SubmitterKind, ...]
    districts: tuple[District, ...]
    focus_areas: tuple[FocusArea, ...]
    raw: dict[str, Any]  # the validated document in its JSON form, as served by endpoints

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def year(self) -> int:
        return self.due.year

    def focus_area(self, area_id: str) -> FocusArea | None:
        return next((f for f in self.focus_areas if f.id == area_id), None)

    def district(self, district_id: str) -> District | None:
        return next((d for d in self.districts if d.id == district_id), None)

    def district_by_name(self, name: str) -> District | None:
        return next((d for d in self.districts if name in (d.id, d.name_zh, d.name_en)), None)

    def submitter_kind(self, kind_id: str) -> SubmitterKind | None:
        return next((k for k in self.submitter_kinds if k.id == kind_id), None)

    def to_json(self) -> str:
        return json.dumps(self.raw, ensure_ascii=False, indent=2, sort_keys=True)


def parse_campaign(text: str, source: str = "<campaign>", *, check_schema: bool = True) -> Campaign:
    """Parse and check campaign TOML text (or its JSON form, as endpoints serve it).

    ``check_schema=False`` is for text checked before (the shipped files, whose check is a
    test, and files kept after their import): it saves loading the schema validator at
    start-up.  Raises :class:`CampaignError`.
    """
    if text.lstrip().startswith("{"):
        try:
            data = loads_bounded(text, source, CAMPAIGN_JSON_BOUNDS)
        except JsonRefused as exc:
            raise CampaignError(
                source,
                "",
                exc.message_en.removeprefix(f"{source}: "),
                exc.message_zh.removeprefix(f"{source}："),
            ) from None
        if not isinstance(data, dict):
            raise CampaignError(
                source,
                "",
                "a campaign document must be a JSON object",
                "活动定义必须是一个 JSON 对象（以 { 开始）",
            )
        return campaign_from_dict(data, source, check_schema=check_schema)
    if len(text) > MAX_CAMPAIGN_FILE_BYTES:
        raise CampaignError(
            source,
            "",
            f"the text is {len(text)} characters; a campaign file is at most 1 MB",
            f"内容有 {len(text)} 个字符，活动定义文件最大 1 MB",
        )
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise CampaignError(
            source, "", "it is nested too deeply", "嵌套层数过多，不是有效的活动定义"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        raise CampaignError(
            source,
            "",
            f"not valid TOML ({exc})",
            f"不是有效的 TOML：第 {at.group(1)} 行第 {at.group(2)} 列有语法错误"
            if at
            else "不是有效的 TOML（有语法错误）",
        ) from None
    return campaign_from_dict(doc, source, text, check_schema=check_schema)


def campaign_from_dict(
    doc: dict[str, Any], source: str = "<campaign>", text: str = "", *, check_schema: bool = True
) -> Campaign:
    """Check a campaign document (TOML or its JSON form) and build a :class:`Campaign`."""
    data = jsonable(doc)
    if not check_schema:
        return _build(data, source, text)
    import jsonschema

    if isinstance(data, dict) and data.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        version = data.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise CampaignError(
                source,
                "format_version",
                f"format version {version} is newer than this program understands "
                f"({FORMAT_VERSION}); update qmclient",
                f"格式版本 {version} 比本程序能读的版本（{FORMAT_VERSION}）新，请升级 qmclient",
            )
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        path = list(err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict):
            missing = next((r for r in err.validator_value if r not in err.instance), "")
            path = [*path, missing]
            problem = "this key is required but missing"
        elif err.validator == "additionalProperties":
            problem = f"unknown key ({err.message})"
        else:
            problem = err.message
        where = key_path(path) or "top level"
        line = find_line(text, path) if text else None
        raise CampaignError(source, where, problem, schema_problem_zh(err), line=line)
    return _build(data, source, text)


def _fail(
    source: str, text: str, path: list[str | int], problem: str, problem_zh: str
) -> CampaignError:
    line = find_line(text, path) if text else None
    return CampaignError(source, key_path(path), problem, problem_zh, line=line)


def _date(value: str, source: str, text: str, path: list[str | int]) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(
            source,
            text,
            path,
            f"{value!r} is not a date (YYYY-MM-DD)",
            f"“{value}”不是日期（应为 YYYY-MM-DD）",
        ) from None


def _unique(items: list[dict[str, Any]], key: str, source: str, text: str, name: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item[key] in seen:
            raise _fail(
                source,
                text,
                [name, i, key],
                f"duplicate {key} {item[key]!r}",
                f"{key}“{item[key]}”重复",
            )
        seen.add(item[key])


def _build(data: dict[str, Any], source: str, text: str) -> Campaign:
    try:
        tz = ZoneInfo(data["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(
            source,
            text,
            ["timezone"],
            f"unknown time zone {data['timezone']!r}",
            f"不认识的时区“{data['timezone']}”",
        ) from None
    start = _date(data["period"]["start"], source, text, ["period", "start"])
    end = _date(data["period"]["end"], source, text, ["period", "end"])
    if end < start:
        raise _fail(
            source,
            text,
            ["period", "end"],
            "the period ends before it starts",
            "活动结束日期早于开始日期",
        )
    due_text = data["deadline"]["due"]
    try:
        due = dt.datetime.fromisoformat(due_text)
    except ValueError:
        raise _fail(
            source,
            text,
            ["deadline", "due"],
            f"{due_text!r} is not a date or date-time",
            f"“{due_text}”不是日期或日期时间",
        ) from None
    if len(due_text) == 10:  # a bare date: due by the end of that day
        due = due.replace(hour=23, minute=59, second=59)
    due = due.replace(tzinfo=tz) if due.tzinfo is None else due.astimezone(tz)
    for name in ("submitter_kinds", "districts", "focus_areas"):
        _unique(data[name], "id", source, text, name)
    media = data["media"]
    rec = data["recipient"]
    return Campaign(
        id=data["id"],
        title=data["title"],
        title_en=data.get("title_en", ""),
        theme=data["theme"],
        issuer=data["issuer"],
        issued=_date(data["issued"], source, text, ["issued"]) if "issued" in data else None,
        report_title=data.get("report_title", "活动情况总结"),
        timezone=data["timezone"],
        period_start=start,
        period_end=end,
        due=due,
        late_policy=data["deadline"]["late_policy"],
        recipient=Recipient(
            office=rec["office"],
            email=rec["email"],
            office_full=rec.get("office_full", ""),
            phone=rec.get("phone", ""),
            fax=rec.get("fax", ""),
            contacts=tuple(rec.get("contacts", ())),
        ),
        endpoint_url=data.get("endpoint", {}).get("url", ""),
        mail_size_limit=data["mail"]["size_limit_bytes"],
        media=MediaRules(
            accepted_types=tuple(media["accepted_types"]),
            max_file_bytes=media["max_file_bytes"],
            max_submission_bytes=media["max_submission_bytes"],
            min_photos=media.get("min_photos", 0),
            min_videos=media.get("min_videos", 0),
            captions_required=media.get("captions_required", False),
        ),
        submitter_kinds=tuple(
            SubmitterKind(k["id"], k["name_zh"], k["name_en"], tuple(k["required_fields"]))
            for k in data["submitter_kinds"]
        ),
        districts=tuple(District(**d) for d in data["districts"]),
        focus_areas=tuple(FocusArea(**f) for f in data["focus_areas"]),
        raw=data,
    )


def load_campaign(path: Path, *, check_schema: bool = True) -> Campaign:
    """Read a campaign file.  Raises :class:`CampaignError` with a clear message."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CAMPAIGN_FILE_BYTES:
            raise CampaignError(
                source,
                "",
                f"the file is {size} bytes; a campaign file is at most 1 MB",
                f"文件有 {size} 字节，活动定义文件最大 1 MB",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CampaignError(source, "", "the file does not exist", "文件不存在") from None
    except IsADirectoryError:
        raise CampaignError(
            source, "", "this is a folder, not a campaign file", "这是文件夹，不是活动定义文件"
        ) from None
    except PermissionError:
        if path.is_dir():  # Windows refuses to open a folder with "permission denied"
            raise CampaignError(
                source, "", "this is a folder, not a campaign file", "这是文件夹，不是活动定义文件"
            ) from None
        raise CampaignError(
            source, "", "the file cannot be read (permission denied)", "没有读取该文件的权限"
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CampaignError(
            source,
            f"byte {exc.start}",
            "the file is not UTF-8 text; save it as UTF-8",
            f"第 {exc.start} 字节处不是 UTF-8 文本，请将文件另存为 UTF-8 编码",
        ) from None
    return parse_campaign(text, source, check_schema=check_schema)


def bundled_campaign_paths() -> list[Path]:
    from qmclient.resources import campaigns_dir

    return sorted(campaigns_dir().glob("*.toml"))


DEFAULT_CAMPAIGN_ID = "jinan-2022-quality-month"
DEFAULT_CAMPAIGN_SETTING = "default_campaign"  # the store setting naming the user's choice


@cache
def bundled_campaigns() -> dict[str, Campaign]:
    """The campaigns shipped with the program, by id.  They are checked against the schema
    by the tests (tests/core/test_campaign.py), not at start-up."""
    return {
        c.id: c for c in (load_campaign(p, check_schema=False) for p in bundled_campaign_paths())
    }


def stored_campaigns(rows: Iterable[tuple[str, str, str]]) -> dict[str, Campaign]:
    """Campaigns kept in the store as ``(id, text, source)`` rows, by id.  A text that no
    longer reads is left out: it was checked when imported, and a newer program may read it."""
    found: dict[str, Campaign] = {}
    for campaign_id, text, source in rows:
        try:
            found[campaign_id] = parse_campaign(text, source or campaign_id, check_schema=False)
        except CampaignError:
            continue
    return found
