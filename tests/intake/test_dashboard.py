"""The dashboard's counts and search over a real server: roster units matched by token,
by a district's report on an enterprise's behalf, and units not on the roster."""

from __future__ import annotations

import re
from pathlib import Path

from mediafactory import make_jpeg

from intake.browser import CAMPAIGN, ConsoleServer
from intake.protocol import make_report, submit

A = ("济南甲有限公司", "91350100M000100Y43")
B = ("济南乙机械有限公司", "91370100MA3C5LXL25")
C = ("济南丙食品有限公司", "")


def _roster_csv(path: Path) -> Path:
    rows = [
        "单位名称,类型,区县,统一社会信用代码,联系人,联系电话,电子邮箱",
        f"{A[0]},企业,历下区,{A[1]},张三,13800000000,",
        f"{B[0]},企业,历下区,{B[1]},李四,13800000001,",
        f"{C[0]},企业,市中区,91370100MA3C5LXM39,王五,13800000002,",
    ]
    path.write_text("\r\n".join(rows), encoding="utf-8-sig")
    return path


def _stat(html: str, label: str) -> int:
    found = re.search(rf"<span>{label}</span><b>(\d+)</b>", html)
    assert found, label
    return int(found.group(1))


def test_counts_matches_and_search(console: ConsoleServer, tmp_path: Path) -> None:
    console.cli("roster", "import", CAMPAIGN, str(_roster_csv(tmp_path / "r.csv")))
    photo = make_jpeg(tmp_path / "p.jpg", seed=5)
    # A with its own token; B's report handed in by the 历下区 coordinator; and a stranger
    a_report = make_report([photo], name=A[0], credit_code=A[1])
    a_receipt = submit(console, console.unit_token(A[0], "lixia", A[1]), a_report, [photo])
    b_report = make_report([photo], name=B[0], credit_code=B[1])
    submit(console, console.district_token(), b_report, [photo])
    stranger = make_report([photo], name="不在名单的公司", credit_code="91370100MA3C5LXN14")
    submit(console, console.unit_token("不在名单的公司", "lixia", ""), stranger, [photo])
    s = console.session()
    html = s.get(console.url(f"/console/campaigns/{CAMPAIGN}"), timeout=30).text
    assert _stat(html, "应报") == 3
    assert _stat(html, "逾期报送") == 2  # the 2022 deadline has passed: late by the server
    assert _stat(html, "未报送") == 1
    assert "不在名单中的报送" in html and "不在名单的公司" in html
    assert "距截止" in html or "已截止" in html
    # search by receipt number, by credit code, by part of a name; filters
    for query, expect in (
        ({"q": a_receipt["receipt_number"]}, A[0]),
        ({"q": B[1].lower()}, B[0]),
        ({"q": "丙食品"}, C[0]),
        ({"status": "missing"}, C[0]),
        ({"district": "shizhong"}, C[0]),
    ):
        page = s.get(console.url(f"/console/campaigns/{CAMPAIGN}"), params=query, timeout=30)
        table = page.text.split('<table class="grid units">')[1].split("</table>")[0]
        names = re.findall(r"<td>(?:<a [^>]*>)?(济南[^<]+)", table)
        assert names == [expect], (query, names)
    # returning B's report shows as returned; accepting A's as accepted
    token_doc = s.get(console.url(f"/console/campaigns/{CAMPAIGN}/submissions/{b_report.uuid}"))
    csrf = re.search(r'name="csrf" value="([^"]+)"', token_doc.text)
    assert csrf
    r = s.post(
        console.url(f"/console/campaigns/{CAMPAIGN}/submissions/{b_report.uuid}/return"),
        data={"csrf": csrf.group(1), "comment": "请补充照片说明"},
        timeout=30,
    )
    assert r.status_code == 200 and "已退回修改" in r.text
    r = s.post(
        console.url(f"/console/campaigns/{CAMPAIGN}/submissions/{b_report.uuid}/return"),
        data={"csrf": csrf.group(1), "comment": "again"},
        timeout=30,
    )
    assert r.status_code == 409  # only a received report can be returned
    r = s.post(
        console.url(f"/console/campaigns/{CAMPAIGN}/submissions/{a_report.uuid}/accept"),
        data={"csrf": csrf.group(1)},
        timeout=30,
    )
    assert r.status_code == 200
    html = s.get(console.url(f"/console/campaigns/{CAMPAIGN}"), timeout=30).text
    assert _stat(html, "已退回修改") == 1 and _stat(html, "已通过") == 1
    assert _stat(html, "逾期报送") == 2  # still late: lateness is the first receipt's
    # the picture kept between requests follows a roster change made on the command line
    more = tmp_path / "more.csv"
    more.write_text(
        "单位名称,类型,区县,统一社会信用代码\r\n济南丁有限公司,企业,槐荫区,91370100MA3C5LXN14\r\n",
        encoding="utf-8",
    )
    console.cli("roster", "import", CAMPAIGN, str(more))
    html = s.get(console.url(f"/console/campaigns/{CAMPAIGN}"), timeout=30).text
    assert _stat(html, "应报") == 4 and _stat(html, "未报送") == 1  # the stranger's code
