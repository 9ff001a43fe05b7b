"""The console shows a report's photos and plays its videos from whichever store holds
them: the data folder, or an S3 bucket (SeaweedFS) with no local copy."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from mediafactory import make_jpeg, make_mp4
from PIL import Image

from intake.browser import ConsoleServer, start_console
from intake.conftest import MediaStoreChoice
from intake.protocol import make_report, submit


@pytest.fixture
def office(tmp_path: Path, media_store: MediaStoreChoice) -> Iterator[ConsoleServer]:
    srv = start_console(tmp_path / "intake", extra_args=media_store.args, env=media_store.env)
    try:
        yield srv
    finally:
        srv.stop()


def test_photos_and_video_with_ranges_from_either_store(
    office: ConsoleServer, media_store: MediaStoreChoice, tmp_path: Path
) -> None:
    photo = make_jpeg(tmp_path / "现场.jpg", size=(1600, 1200), seed=3)
    video = make_mp4(tmp_path / "录像.mp4", seconds=1)
    report = make_report([photo, video])
    submit(office, office.unit_token(), report, [photo, video])
    by_kind = {m.kind: m for m in report.media}
    body = video.read_bytes()
    assert media_store.stored(office, by_kind["video"].sha256) == body  # where it should be
    s = office.session()
    page = s.get(
        office.url(f"/console/campaigns/{report.campaign_id}/submissions/{report.uuid}"), timeout=60
    )
    assert page.status_code == 200
    assert f"/console/media/{by_kind['photo'].sha256}/thumb" in page.text
    assert "服务器上没有这个文件" not in page.text

    vid = f"/console/media/{by_kind['video'].sha256}?type=video/mp4"
    whole = s.get(office.url(vid), timeout=60)
    assert whole.status_code == 200 and whole.content == body
    part = s.get(office.url(vid), headers={"Range": "bytes=100-1099"}, timeout=60)
    assert part.status_code == 206 and part.content == body[100:1100]
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(body)}"
    tail = s.get(office.url(vid), headers={"Range": "bytes=-10"}, timeout=60)
    assert tail.status_code == 206 and tail.content == body[-10:]
    past = s.get(office.url(vid), headers={"Range": f"bytes={len(body)}-"}, timeout=60)
    assert past.status_code == 416

    thumb = s.get(office.url(f"/console/media/{by_kind['photo'].sha256}/thumb"), timeout=60)
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(thumb.content)) as im:
        assert max(im.size) == 360
    gone = s.get(office.url(f"/console/media/{'0' * 64}?type=video/mp4"), timeout=60)
    assert gone.status_code == 404
