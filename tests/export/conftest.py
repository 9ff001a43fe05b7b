"""Fixtures for the export tests: a realistic draft, noisy photos, a small-mail campaign."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sample import build_sample

from qmclient.services.context import AppContext

SMALL_MAIL_LIMIT = 1_048_576


@pytest.fixture
def sample_sid(ctx: AppContext, tmp_path: Path) -> int:
    return build_sample(ctx, tmp_path / "src")


def make_noisy_jpeg(path: Path, size: tuple[int, int] = (640, 480), seed: int = 0) -> Path:
    """A JPEG that does not compress: random pixels (about 250 KB at 640 × 480)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    data = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(data, "RGB").save(path, "JPEG", quality=95)
    return path


@pytest.fixture
def small_mail_campaign(ctx: AppContext) -> str:
    """The bundled campaign with a 1 MiB mail limit (the schema's minimum), as an import."""
    from qmclient.core.campaign import bundled_campaign_paths

    text = bundled_campaign_paths()[0].read_text("utf-8")
    text = text.replace('id = "jinan-2022-quality-month"', 'id = "small-mail"', 1)
    text = text.replace("size_limit_bytes = 20_971_520", f"size_limit_bytes = {SMALL_MAIL_LIMIT}")
    campaign = ctx.campaigns.import_text(text, "small-mail.toml")
    assert campaign.mail_size_limit == SMALL_MAIL_LIMIT
    return campaign.id


@contextlib.contextmanager
def tmpfs(path: Path, size: str, *, readonly: bool = False) -> Iterator[Path]:
    """A real small file system (needs root; the test is skipped otherwise)."""
    path.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if readonly else "")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def make_noisy_mp4(path: Path, seconds: float = 2.0, size: tuple[int, int] = (320, 240)) -> Path:
    """A real H.264 MP4 of random frames, so it is large (several MB) for its length."""
    from fractions import Fraction

    import av
    import numpy as np

    rng = np.random.default_rng(7)
    fps = 25
    w, h = size
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = w, h
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        stream.options = {"crf": "10", "preset": "ultrafast"}
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(
                rng.integers(0, 256, (h, w, 3), dtype=np.uint8), format="rgb24"
            )
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture
def mail_sid(ctx: AppContext, tmp_path: Path, small_mail_campaign: str) -> int:
    """A draft under the 1 MiB-mail campaign: eight incompressible photos, no video yet."""
    from qmclient.core.report import Unit
    from qmclient.services import drafts

    sid = drafts.create_draft(
        ctx,
        campaign_id=small_mail_campaign,
        unit=Unit(
            name="济南某某有限公司", district="tianqiao", contact_person="李四", phone="13800000000"
        ),
    )
    act = drafts.add_activity(ctx, sid, {"focus_area": "publicity", "name": "启动仪式"})
    photos = [
        make_noisy_jpeg(tmp_path / "p" / f"照片{i}.jpg", (400, 300), seed=i) for i in range(8)
    ]
    drafts.attach_files(ctx, sid, photos, activity_id=act, caption="现场")
    return sid
