"""Where a received report's files go in the office's downloads: safe Chinese names.

Photos are named as in the unit's own export (``图03 启动仪式现场.jpg``, numbered as the
figures of the Word report), videos ``视频1 …``; folders are the district's and the
unit's names, made safe for Windows, macOS and Linux.
"""

from __future__ import annotations

from dataclasses import dataclass

from qmclient.core.campaign import Campaign
from qmclient.core.report import MediaRef, Report
from qmclient.export.naming import figure_order, photo_name, video_name, video_order
from qmclient.export.text import safe_filename

NO_DISTRICT = "市直部门"


@dataclass(frozen=True)
class NamedMedia:
    ref: MediaRef
    name: str


def media_names(report: Report, campaign: Campaign) -> list[NamedMedia]:
    """Every file of the report once per mention, under a name unique in its folder."""
    out = [NamedMedia(m, photo_name(i, m)) for i, m in enumerate(figure_order(report, campaign), 1)]
    out += [NamedMedia(m, video_name(i, m)) for i, m in enumerate(video_order(report), 1)]
    placed = {id(n.ref) for n in out}
    rest = [m for m in report.media if id(m) not in placed]
    out += [
        NamedMedia(m, safe_filename(f"附件{i} {m.original_name}", max_chars=60))
        for i, m in enumerate(rest, 1)
    ]
    seen: set[str] = set()
    unique = []
    for n in out:
        name, k = n.name, 2
        while name.lower() in seen:
            stem, dot, ext = n.name.rpartition(".")
            name = f"{stem}（{k}）.{ext}" if dot else f"{n.name}（{k}）"
            k += 1
        seen.add(name.lower())
        unique.append(NamedMedia(n.ref, name))
    return unique


def district_folder(campaign: Campaign | None, district_id: str) -> str:
    found = campaign.district(district_id) if campaign and district_id else None
    name = found.name_zh if found else district_id
    return safe_filename(name or NO_DISTRICT, max_chars=40, fallback=NO_DISTRICT)


def unit_folder(name: str) -> str:
    return safe_filename(name.strip(), max_chars=60, fallback="未命名单位")
