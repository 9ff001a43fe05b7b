"""The campaign file: the bundled 2022 Jinan campaign, and every way a file can be broken."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qmclient.core.campaign import (
    CampaignError,
    bundled_campaign_paths,
    load_campaign,
    parse_campaign,
)
from qmclient.services.campaigns import UnknownCampaignError

JINAN = next(p for p in bundled_campaign_paths() if p.stem == "jinan-2022-quality-month")


def jinan_text() -> str:
    return JINAN.read_text(encoding="utf-8")


def test_bundled_campaign_has_every_fact_of_the_notice() -> None:
    c = load_campaign(JINAN)
    assert c.theme == "争创标杆开新局 质量强市促发展"
    assert c.timezone == "Asia/Shanghai"
    assert c.due.date() == dt.date(2022, 9, 30)
    assert c.due.utcoffset() == dt.timedelta(hours=8)
    assert c.issued == dt.date(2022, 8, 23)
    assert c.recipient.email == "jnzjjzlc@jn.shandong.cn"
    assert c.recipient.phone == "0531-82568852"
    assert c.recipient.fax == "0531-89738620"
    assert c.recipient.office_full == "济南市质量强市及品牌战略推进工作领导小组办公室"
    assert [f.name_zh for f in c.focus_areas] == [
        "广泛开展质量主题宣传活动",
        "不断加大质量教育力度",
        "深入开展质量提升行动",
        "持续深化品牌培育工程",
        "着力优化质量服务活动",
        "全面加强质量监管执法",
        "聚力创新质量惠民举措",
    ]
    names = {d.name_zh for d in c.districts}
    assert names == {
        "历下区",
        "市中区",
        "槐荫区",
        "天桥区",
        "历城区",
        "长清区",
        "章丘区",
        "济阳区",
        "莱芜区",
        "钢城区",
        "平阴县",
        "商河县",
        "济南高新区",
        "南部山区",
        "济南新旧动能转换起步区",
    }
    assert {k.id for k in c.submitter_kinds} == {"department", "district", "enterprise"}
    assert c.mail_size_limit == 20 * 1024 * 1024
    assert c.endpoint_url == ""
    assert "unit.credit_code" in c.submitter_kind("enterprise").required_fields  # type: ignore[union-attr]


def test_the_json_form_round_trips() -> None:
    import json

    from qmclient.core.campaign import campaign_from_dict

    c = load_campaign(JINAN)
    again = campaign_from_dict(json.loads(c.to_json()), "served")
    assert again.due == c.due
    assert again.focus_areas == c.focus_areas


def _broken(text: str, tmp_path: Path) -> CampaignError:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignError) as info:
        load_campaign(path)
    assert str(path) in str(info.value)
    return info.value


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = jinan_text().replace('theme = "', 'theme = "unterminated\n', 1)
    err = _broken(text, tmp_path)
    assert "not valid TOML" in str(err)
    assert "line" in str(err)


def test_missing_key_is_named(tmp_path: Path) -> None:
    text = "\n".join(line for line in jinan_text().splitlines() if not line.startswith("theme ="))
    err = _broken(text, tmp_path)
    assert err.where.endswith("theme")
    assert "required" in err.problem


def test_wrong_type_names_the_key_and_line(tmp_path: Path) -> None:
    text = jinan_text().replace("size_limit_bytes = 20_971_520", 'size_limit_bytes = "big"')
    err = _broken(text, tmp_path)
    assert "mail.size_limit_bytes" in err.where
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("size_limit_bytes"))
    assert f"line {line}" in err.where


def test_error_inside_an_array_of_tables_points_at_the_entry(tmp_path: Path) -> None:
    text = jinan_text().replace('id = "brand"', 'id = "Brand Area!"')
    err = _broken(text, tmp_path)
    assert "focus_areas[3].id" in err.where
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "Brand Area!" in t)
    assert f"line {line}" in err.where


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"', "unknown time zone"),
        ('late_policy = "warn"', 'late_policy = "maybe"', "late_policy"),
        ("end = 2022-09-30", "end = 2022-08-01", "ends before it starts"),
        ('id = "laiwu"', 'id = "lixia"', "duplicate id"),
        ("format_version = 1", "format_version = 7", "newer than this program"),
        ('email = "jnzjjzlc@jn.shandong.cn"', 'email = "not an address"', "email"),
        ("due = 2022-09-30T23:59:59", 'due = "soon"', "not a date"),
        ('[endpoint]\nurl = ""', '[endpoint]\nurl = "ftp://x"', "endpoint.url"),
        ("[recipient]", "unexpected = 1\n[recipient]", "unknown key"),
    ],
)
def test_each_kind_of_mistake_is_refused_clearly(
    tmp_path: Path, old: str, new: str, expect: str
) -> None:
    text = jinan_text()
    assert old in text
    err = _broken(text.replace(old, new, 1), tmp_path)
    assert expect in str(err)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(CampaignError, match="does not exist"):
        load_campaign(tmp_path / "nope.toml")
    with pytest.raises(CampaignError, match="folder"):
        load_campaign(tmp_path)
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(jinan_text().encode("gbk"))
    with pytest.raises(CampaignError, match="UTF-8"):
        load_campaign(gbk)
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * 2_000_000)
    with pytest.raises(CampaignError, match="at most 1 MB"):
        load_campaign(huge)
    with pytest.raises(CampaignError, match="required"):
        parse_campaign("", "empty")


def test_importing_next_years_campaign(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (
        jinan_text()
        .replace('id = "jinan-2022-quality-month"', 'id = "jinan-2023-quality-month"')
        .replace("due = 2022-09-30T23:59:59", "due = 2023-09-28")
        .replace('late_policy = "warn"', 'late_policy = "refuse"')
    )
    path = tmp_path / "2023.toml"
    path.write_text(text, encoding="utf-8")
    imported = ctx.campaigns.import_file(path)
    assert imported.due == dt.datetime(2023, 9, 28, 23, 59, 59, tzinfo=imported.tz)
    ctx.campaigns.set_default("jinan-2023-quality-month")
    assert ctx.campaigns.default().late_policy == "refuse"
    assert {c.id for c in ctx.campaigns.all()} >= {
        "jinan-2022-quality-month",
        "jinan-2023-quality-month",
    }
    with pytest.raises(UnknownCampaignError):
        ctx.campaigns.get("nope")
    broken = tmp_path / "b.toml"
    broken.write_text(text.replace("[period]", "[period]\nstart = 1"), encoding="utf-8")
    with pytest.raises(CampaignError):
        ctx.campaigns.import_file(broken)
    assert ctx.campaigns.default().id == "jinan-2023-quality-month"


def test_every_shipped_campaign_passes_the_schema() -> None:
    """The app loads shipped files without the schema check at start-up; this is the check."""
    paths = bundled_campaign_paths()
    assert paths
    for path in paths:
        checked = load_campaign(path)
        assert load_campaign(path, check_schema=False) == checked


ALLOWED_LATIN = {"TOML", "JSON", "UTF", "YYYY", "MM", "DD", "qmclient", "true", "false"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('theme = "', 'theme = "unterminated\n'),
        ("size_limit_bytes = 20_971_520", 'size_limit_bytes = "big"'),
        ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"'),
        ('late_policy = "warn"', 'late_policy = "maybe"'),
        ("end = 2022-09-30", "end = 2022-08-01"),
        ('id = "laiwu"', 'id = "lixia"'),
        ("format_version = 1", "format_version = 7"),
        ('email = "jnzjjzlc@jn.shandong.cn"', 'email = "not an address"'),
        ("due = 2022-09-30T23:59:59", 'due = "soon"'),
        ("[recipient]", "unexpected = 1\n[recipient]"),
    ],
)
def test_messages_are_wholly_chinese_and_wholly_english(tmp_path: Path, old: str, new: str) -> None:
    """No Chinese prefix before English details: each language's message stands alone
    (the file's name, key names and the values the user wrote are kept as they are)."""
    import re

    err = _broken(jinan_text().replace(old, new, 1), tmp_path)
    own = set(re.findall(r"[A-Za-z]+", f"{err.source} {err.where} {new} {old}"))
    latin = set(re.findall(r"[A-Za-z]{3,}", err.message_zh)) - own - ALLOWED_LATIN
    assert not latin, f"English in the Chinese message: {latin}: {err.message_zh}"
    assert re.search(r"[\u4e00-\u9fff]", err.message_zh)
    assert not re.search(r"[\u4e00-\u9fff]", err.message_en), err.message_en
    assert str(err) == err.message_en


def test_command_line_import_speaks_one_language(tmp_path: Path) -> None:
    import os
    import re
    import subprocess
    import sys

    path = tmp_path / "broken.toml"
    path.write_text(
        jinan_text().replace('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"'),
        encoding="utf-8",
    )
    for lang, foreign in (("zh_CN", r"unknown|time zone|refused"), ("en_US", r"[\u4e00-\u9fff]")):
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "qmclient",
                "--data-dir",
                str(tmp_path / "d"),
                "campaign",
                "import",
                str(path),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "QMCLIENT_LANG": lang},
            timeout=120,
        )
        assert r.returncode != 0 and "Mars/Olympus" in r.stderr
        assert not re.search(foreign, r.stderr), r.stderr
