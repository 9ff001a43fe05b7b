"""Real media files for tests: JPEG (with EXIF), PNG and MP4 (H.264 via PyAV)."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path


def make_jpeg(
    path: Path,
    size: tuple[int, int] = (640, 480),
    *,
    orientation: int | None = None,
    gps: bool = False,
    seed: int = 0,
    quality: int = 85,
) -> Path:
    """A real JPEG of noise-free colour blocks; optional EXIF orientation and GPS tags."""
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    im = Image.new("RGB", size, (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    draw = ImageDraw.Draw(im)
    w, h = size
    for _ in range(12):
        x0, y0 = rnd.randrange(w), rnd.randrange(h)
        draw.rectangle(
            (x0, y0, min(w, x0 + w // 4), min(h, y0 + h // 4)),
            fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)),
        )
    draw.rectangle((0, 0, w // 8, h // 8), fill=(255, 0, 0))  # marks the top-left corner
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (36.0, 40.0, 0.0), 3: "E", 4: (117.0, 0.0, 0.0)}
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "JPEG", quality=quality, exif=exif)
    return path


def make_png(path: Path, size: tuple[int, int] = (320, 240), seed: int = 1) -> Path:
    from PIL import Image

    rnd = random.Random(seed)
    im = Image.new("RGBA", size, (rnd.randrange(256), rnd.randrange(256), 200, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "PNG")
    return path


def make_mp4(
    path: Path, seconds: float = 2.0, size: tuple[int, int] = (320, 240), fps: int = 25
) -> Path:
    """A real H.264 MP4 with moving colour frames."""
    import av
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    w, h = size
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = w, h
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for i in range(int(seconds * fps)):
            frame_data = np.zeros((h, w, 3), dtype=np.uint8)
            frame_data[:, :, 0] = (i * 7) % 256
            frame_data[: h // 2, : w // 2, 1] = 200
            frame_data[:, (i * 4) % w, 2] = 255
            frame = av.VideoFrame.from_ndarray(frame_data, format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
