"""Real, valid submissions for the sync tests: a unit, a summary, an activity, real media."""

from __future__ import annotations

import random
from pathlib import Path

from mediafactory import make_jpeg, make_mp4

from qmclient.core.report import Unit
from qmclient.services import drafts
from qmclient.services.context import AppContext

CREDIT_CODE = "91350100M000100Y43"
SUMMARY = (
    "2022年9月，我公司围绕“争创标杆开新局 质量强市促发展”主题，组织开展了质量月系列活动。"
    "活动包括质量知识讲座、QC小组成果发布、质量开放日等，全体员工积极参与，"
    "进一步增强了质量意识，提升了产品和服务质量，取得了良好效果。"
)


def padded_mp4(path: Path, extra_bytes: int, seed: int = 0) -> Path:
    """A real MP4 followed by ``extra_bytes`` of random data (a big 'video' made fast)."""
    make_mp4(path, seconds=0.4, size=(160, 120))
    block = random.Random(seed).randbytes(1 << 20)
    with open(path, "ab") as fh:
        left = extra_bytes
        i = 0
        while left > 0:
            piece = block[: min(left, len(block))]
            fh.write((seed * 1_000_003 + i).to_bytes(8, "big") + piece[8:])
            left -= len(piece)
            i += 1
    return path


def ready_submission(
    ctx: AppContext,
    folder: Path,
    *,
    name: str = "济南某某有限公司",
    photos: int = 1,
    video_bytes: int | None = None,
    seed: int = 0,
) -> int:
    """A submission that passes validation (late under the 2022 campaign: a warning)."""
    unit = Unit(
        name=name,
        kind="enterprise",
        district="lixia",
        credit_code=CREDIT_CODE,
        contact_person="张三",
        phone="13800000000",
    )
    sub = drafts.create_draft(ctx, unit=unit)
    drafts.update_fields(ctx, sub, {"summary": SUMMARY})
    drafts.add_activity(
        ctx,
        sub,
        {
            "focus_area": "publicity",
            "name": "质量月启动仪式",
            "start_date": "2022-09-01",
            "end_date": "2022-09-01",
            "place": "公司会议室",
            "organiser": "质量部",
            "participants": "80",
            "description": "举行质量月启动仪式，宣读质量倡议书。",
        },
    )
    files = [
        make_jpeg(folder / f"photo{seed}_{i}.jpg", seed=seed * 100 + i + 1) for i in range(photos)
    ]
    if video_bytes is not None:
        files.append(padded_mp4(folder / f"video{seed}.mp4", video_bytes, seed + 1))
    result = drafts.attach_files(ctx, sub, files, caption="活动现场")
    assert not result.failed, result.failed
    return sub
