"""A campaign with reports from several districts on a real server, for the office's
downloads and reminders tests; and the roster (应报单位名单) that goes with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_server import IntakeServer
from mediafactory import make_jpeg, make_mp4
from openpyxl import Workbook

from intake.protocol import make_report, submit
from qmclient.core.identifiers import credit_code_check_char
from qmclient.core.report import Report

FORMULA_NAME = '=HYPERLINK("http://x","y")'


def credit_code(n: int) -> str:
    first17 = f"91370100MA3C{n:05d}"
    return first17 + credit_code_check_char(first17)


@dataclass
class Sent:
    report: Report
    files: list[Path]
    receipt: dict[str, Any]


def populate(srv: IntakeServer, media: Path) -> list[Sent]:
    """Four received reports: 历下区 ×2 (one named like a formula), 市中区 with a video,
    and one with two photos of the same name."""
    media.mkdir(parents=True, exist_ok=True)
    units = [
        (FORMULA_NAME, "lixia", 1, [make_jpeg(media / "a.jpg", seed=41)]),
        ("济南历下甲公司", "lixia", 2, [make_jpeg(media / "b.jpg", seed=42)]),
        (
            "济南市中乙公司",
            "shizhong",
            3,
            [make_jpeg(media / "c.jpg", seed=43), make_mp4(media / "c.mp4", seconds=1.0)],
        ),
        (
            "济南槐荫丙公司",
            "huaiyin",
            4,
            [
                make_jpeg(media / "d1" / "IMG_0001.jpg", seed=44),
                make_jpeg(media / "d2" / "IMG_0001.jpg", seed=45),
            ],
        ),
    ]
    out = []
    for name, district, n, files in units:
        code = credit_code(n)
        token = srv.unit_token(name=name, district=district, credit_code=code)
        report = make_report(files, name=name, district=district, credit_code=code)
        out.append(Sent(report, files, submit(srv, token, report, files)))
    return out


ROSTER_HEAD = ["序号", "单位名称", "统一社会信用代码", "所属区县", "联系人", "电子邮箱"]


def write_roster(path: Path, extra: list[tuple[str, str, str, str]]) -> Path:
    """The four reporting units plus ``extra`` (name, district name, e-mail, contact)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(ROSTER_HEAD)
    rows = [
        (FORMULA_NAME, credit_code(1), "历下区", "张一", "a@example.cn"),
        ("济南历下甲公司", credit_code(2), "历下区", "张二", "b@example.cn"),
        ("济南市中乙公司", credit_code(3), "市中区", "张三", "c@example.cn"),
        ("济南槐荫丙公司", credit_code(4), "槐荫区", "张四", "d@example.cn"),
    ]
    rows += [(name, "", district, contact, email) for name, district, email, contact in extra]
    for i, row in enumerate(rows, 1):
        ws.append([i, *row])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
