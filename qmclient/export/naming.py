"""The order and names things get in every export, so the Word report, the mails and the
package all call the same photo 图3 and file the same activity under the same focus area."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from qmclient.core.campaign import Campaign
from qmclient.core.report import Activity, MediaRef, Report
from qmclient.export.text import safe_filename

OTHER_AREA_ZH = "其他活动"


@dataclass(frozen=True)
class AreaGroup:
    area_id: str
    name_zh: str
    activities: tuple[Activity, ...]


def area_groups(report: Report, campaign: Campaign) -> list[AreaGroup]:
    """Activities under the campaign's focus areas, in the campaign's order; unknown last."""
    known = {f.id for f in campaign.focus_areas}
    groups = [
        AreaGroup(f.id, f.name_zh, tuple(a for a in report.activities if a.focus_area == f.id))
        for f in campaign.focus_areas
    ]
    other = tuple(a for a in report.activities if a.focus_area not in known)
    if other:
        groups.append(AreaGroup("", OTHER_AREA_ZH, other))
    return [g for g in groups if g.activities]


def _sorted_media(items: list[MediaRef]) -> list[MediaRef]:
    return sorted(items, key=lambda m: m.position)


def photos_of(report: Report, activity_id: str | None) -> list[MediaRef]:
    return _sorted_media([m for m in report.photos if m.activity_id == activity_id])


def loose_photos(report: Report) -> list[MediaRef]:
    """Photos not filed under any activity of the report."""
    ids = {a.id for a in report.activities}
    return _sorted_media([m for m in report.photos if m.activity_id not in ids])


def figure_order(report: Report, campaign: Campaign) -> list[MediaRef]:
    """Photos in the order they appear (and are numbered 图1, 图2, …) in the Word report."""
    out: list[MediaRef] = []
    for group in area_groups(report, campaign):
        for activity in group.activities:
            out.extend(photos_of(report, activity.id))
    out.extend(loose_photos(report))
    return out


def video_order(report: Report) -> list[MediaRef]:
    return _sorted_media(report.videos)


def _extension(ref: MediaRef, default: str) -> str:
    suffix = PurePath(ref.original_name).suffix.lower().lstrip(".")
    return suffix if suffix and len(suffix) <= 5 else default


def photo_name(number: int, ref: MediaRef, ext: str | None = None) -> str:
    """图03 启动仪式现场.jpg — the figure number matches the Word report."""
    label = ref.caption.strip() or PurePath(ref.original_name).stem or "照片"
    return safe_filename(f"图{number:02d} {label}.{ext or _extension(ref, 'jpg')}", max_chars=60)


def video_name(number: int, ref: MediaRef, ext: str | None = None) -> str:
    label = ref.caption.strip() or PurePath(ref.original_name).stem or "视频"
    return safe_filename(f"视频{number} {label}.{ext or _extension(ref, 'mp4')}", max_chars=60)


def report_basename(report: Report, campaign: Campaign) -> str:
    """单位名称2022年质量月活动情况总结 — the stem of the Word and Excel file names."""
    unit = report.unit.name.strip() or "本单位"
    return safe_filename(f"{unit}{campaign.year}年质量月{campaign.report_title}", max_chars=70)
