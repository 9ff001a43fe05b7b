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
    """A real H.264 MP4 with moving colour frames (built without NumPy, whose wheel
    cannot load in the Windows lane)."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    w, h = size
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = w, h
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame(w, h, "rgb24")
            frame.planes[0].update(_rgb_frame(w, h, i, frame.planes[0].line_size))
            frame.pts = i
            for packet in stream.encode(frame.reformat(format="yuv420p")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def _rgb_frame(w: int, h: int, i: int, stride: int) -> bytes:
    """Frame ``i``: red rising with time, a green top-left quarter, a moving blue column."""
    red = (i * 7) % 256
    column = (i * 4) % w
    rows = []
    for green_until in (w // 2, 0):
        row = bytearray(bytes((red, 200, 0)) * green_until + bytes((red, 0, 0)) * (w - green_until))
        row[column * 3 + 2] = 255
        rows.append(bytes(row) + bytes(stride - 3 * w))
    return rows[0] * (h // 2) + rows[1] * (h - h // 2)
