"""The photo and video rules of a report: types, sizes, captions, links, repeats, totals.

Part of the validation engine (:mod:`qmclient.core.validation`); most files pass a quick
test, and only a file that fails it is looked at rule by rule and named.  When every file
of a report passes it, the rules need only figures (:class:`MediaFigures`: how many files
of each type, how big), which the store can count without reading each file's row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from qmclient.core.campaign import MediaRules
from qmclient.core.filetype import media_kind
from qmclient.core.findings import Finding
from qmclient.core.report import MediaRef, Report
from qmclient.core.sizes import size_text


def check_media(
    report: Report,
    rules: MediaRules,
    accepted: frozenset[str],
    kind_of: dict[str, str],
    add: Any,
) -> None:
    """Add the findings of ``report``'s files; ``accepted`` is ``rules.accepted_types`` as
    a set and ``kind_of`` a cache of media type -> photo | video | other."""
    media = report.media
    max_file = rules.max_file_bytes
    captions = rules.captions_required
    activity_ids = {a.id for a in report.activities}
    shas = [m.sha256 for m in media]
    # a file added twice is rare: count only then
    counts = Counter(shas) if len(set(shas)) != len(shas) else None
    flagged: set[str] = set()
    total = photos = videos = 0
    for i, m in enumerate(media):
        total += m.size
        media_type = m.media_type
        kind = kind_of.get(media_type)
        if kind is None:
            kind = kind_of[media_type] = media_kind(media_type)
        if kind == "photo":
            photos += 1
        elif kind == "video":
            videos += 1
        # the usual file has no finding: test first, name it only when something is wrong
        if (
            media_type in accepted
            and 0 < m.size <= max_file
            and (not captions or m.caption.strip())
            and (not m.activity_id or m.activity_id in activity_ids)
            and counts is None
        ):
            continue
        _check_file(i, m, rules, activity_ids, counts, flagged, add)
    _check_totals(total, photos, videos, rules, add)


@dataclass
class MediaFigures:
    """A report's files in figures, and the signs of a file that might fail the quick
    test (counted by ``store.bulk.media_figures``)."""

    # media type -> (files, bytes, smallest file, largest file)
    by_type: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    blank_captions: int = 0  # captions that are empty or start with white space
    links: set[str] = field(default_factory=set)  # the activities files are linked to
    repeated: bool = False  # a file added more than once


@cache
def white_space_starts() -> tuple[int, ...]:
    """The code points ``str.strip()`` removes: a caption not starting with one of them
    is not blank."""
    return tuple(c for c in range(0x10000) if chr(c).isspace())  # none lies beyond


def check_media_figures(
    report: Report,
    figures: MediaFigures,
    rules: MediaRules,
    accepted: frozenset[str],
    kind_of: dict[str, str],
    add: Any,
) -> bool:
    """Add what :func:`check_media` adds, from ``figures`` alone; ``False`` (and nothing
    added) when a file might fail the quick test and must be looked at one by one."""
    if figures.repeated:
        return False
    if figures.links and not figures.links <= {a.id for a in report.activities}:
        return False
    if rules.captions_required and figures.blank_captions:
        return False
    total = photos = videos = 0
    for media_type, (count, size, smallest, largest) in figures.by_type.items():
        if media_type not in accepted or smallest <= 0 or largest > rules.max_file_bytes:
            return False
        kind = kind_of.get(media_type)
        if kind is None:
            kind = kind_of[media_type] = media_kind(media_type)
        if kind == "photo":
            photos += count
        elif kind == "video":
            videos += count
        total += size
    _check_totals(total, photos, videos, rules, add)
    return True


def _check_file(
    i: int,
    m: MediaRef,
    rules: MediaRules,
    activity_ids: set[str],
    counts: Counter[str] | None,
    flagged: set[str],
    add: Any,
) -> None:
    """The findings of one file that failed the quick test."""
    p = f"media[{i}]"
    name = m.original_name or m.sha256[:12]
    if m.media_type not in rules.accepted_types:
        what = m.media_type or "未知类型"
        add(
            Finding(
                "media.type.unsupported",
                f"{p}",
                "error",
                f"文件“{name}”的格式（{what}）不被接受，请使用照片或视频",
                f"{name}: type {m.media_type or 'unknown'} is not accepted",
                m.sha256,
            )
        )
    if m.size > rules.max_file_bytes:
        add(
            Finding(
                "media.file.too_large",
                f"{p}",
                "error",
                f"文件“{name}”为 {size_text(m.size)}，超过单个文件上限 "
                f"{size_text(rules.max_file_bytes)}",
                f"{name} is {size_text(m.size)}, over the per-file limit of "
                f"{size_text(rules.max_file_bytes)}",
                m.sha256,
            )
        )
    if m.size == 0:
        add(
            Finding(
                "media.file.empty",
                f"{p}",
                "error",
                f"文件“{name}”是空文件",
                f"{name} is empty",
                m.sha256,
            )
        )
    if rules.captions_required and not m.caption.strip():
        add(
            Finding(
                "media.caption.missing",
                f"{p}.caption",
                "warning",
                f"“{name}”缺少图片/视频说明",
                f"{name} has no caption",
                m.sha256,
            )
        )
    if m.activity_id and m.activity_id not in activity_ids:
        add(
            Finding(
                "media.activity.unknown",
                f"{p}.activity_id",
                "error",
                f"“{name}”关联的活动已不存在",
                f"{name} is linked to a missing activity",
                m.sha256,
            )
        )
    times = counts[m.sha256] if counts is not None else 1
    if times > 1 and m.sha256 not in flagged:
        flagged.add(m.sha256)
        add(
            Finding(
                "media.duplicate",
                f"{p}",
                "warning",
                f"“{name}”重复添加了 {times} 次",
                f"{name} was added {times} times",
                m.sha256,
            )
        )


def _check_totals(total: int, photos: int, videos: int, rules: MediaRules, add: Any) -> None:
    if total > rules.max_submission_bytes:
        add(
            Finding(
                "media.total.too_large",
                "media",
                "error",
                f"图片和视频合计 {size_text(total)}，超过上限 {size_text(rules.max_submission_bytes)}",
                f"media total {size_text(total)} is over the limit of "
                f"{size_text(rules.max_submission_bytes)}",
            )
        )
    if photos < rules.min_photos:
        add(
            Finding(
                "media.photos.too_few",
                "media",
                "error",
                f"至少需要 {rules.min_photos} 张活动图片，目前有 {photos} 张",
                f"at least {rules.min_photos} photo(s) are required, there are {photos}",
            )
        )
    if videos < rules.min_videos:
        add(
            Finding(
                "media.videos.too_few",
                "media",
                "error",
                f"至少需要 {rules.min_videos} 段视频资料，目前有 {videos} 段",
                f"at least {rules.min_videos} video(s) are required, there are {videos}",
            )
        )
