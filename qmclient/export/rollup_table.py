"""The district's roll-up workbook: every activity of every unit, counts, who is missing.

Sheet 1 has the same columns as the single report's table (:mod:`.xlsx_table`, whose rows
it reuses, numbered through); then the count by focus area, the count by unit, and the
expected units that have not reported.  Text is neutralised against formula injection by
the one guard of :mod:`qmclient.core.sheetsafe`, as in the single table.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from openpyxl import Workbook

from qmclient.core.campaign import Campaign
from qmclient.core.rollup import Rollup
from qmclient.export.text import xml_safe
from qmclient.export.xlsx_table import COLUMNS, rows, write_sheet


def activity_rows(rollup: Rollup, campaign: Campaign) -> list[list[Any]]:
    """Sheet 1's rows: each report's rows as in the single table, numbered through."""
    out: list[list[Any]] = []
    for report in rollup.reports:
        for row in rows(report, campaign):
            out.append([len(out) + 1, *row[1:]])
    return out


def write_rollup(out: BinaryIO, rollup: Rollup, campaign: Campaign, district_name: str) -> None:
    wb = Workbook()
    who = district_name or "全市"
    ws = wb.active
    ws.title = "活动情况"
    write_sheet(
        ws,
        f"{who}{campaign.year}年“质量月”主要活动情况汇总表",
        COLUMNS,
        activity_rows(rollup, campaign),
        frozenset({1, 7}),
    )
    names = {f.id: f.name_zh for f in campaign.focus_areas}
    by_area = [
        [i, names.get(area, area or "其他"), n]
        for i, (area, n) in enumerate(rollup.by_focus_area.items(), 1)
    ]
    by_area.append(["", "合计", sum(rollup.by_focus_area.values())])
    write_sheet(
        wb.create_sheet("按活动重点统计"),
        "按活动重点统计",
        (("序号", 6), ("活动重点", 40), ("活动数", 10)),
        by_area,
        frozenset({1, 3}),
    )
    by_unit = [[i, unit, n] for i, (unit, n) in enumerate(rollup.by_unit.items(), 1)]
    write_sheet(
        wb.create_sheet("按单位统计"),
        "按单位统计",
        (("序号", 6), ("单位", 40), ("活动数", 10)),
        by_unit,
        frozenset({1, 3}),
    )
    missing = [[i, e.name, e.credit_code, e.contact] for i, e in enumerate(rollup.not_reported, 1)]
    write_sheet(
        wb.create_sheet("未报送单位"),
        f"未报送单位（{len(missing)}家）",
        (("序号", 6), ("单位", 40), ("统一社会信用代码", 24), ("联系人及电话", 24)),
        missing,
    )
    wb.properties.title = xml_safe(f"{who}质量月活动汇总")
    wb.properties.creator = "qmclient"
    wb.save(out)
