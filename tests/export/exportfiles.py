"""Files and file systems for the export tests, importable by name."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SMALL_MAIL_LIMIT = 1_048_576


def make_noisy_jpeg(path: Path, size: tuple[int, int] = (640, 480), seed: int = 0) -> Path:
    """A JPEG that does not compress: random pixels (about 250 KB at 640 × 480).  Made
    without NumPy, whose wheel cannot load in the Windows lane."""
    import random

    from PIL import Image

    data = random.Random(seed).randbytes(size[0] * size[1] * 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.frombytes("RGB", size, data).save(path, "JPEG", quality=95)
    return path


@contextlib.contextmanager
def tmpfs(path: Path, size: str, *, readonly: bool = False) -> Iterator[Path]:
    """A real small file system (needs root; the test is skipped otherwise)."""
    if sys.platform == "win32":
        pytest.skip("no tmpfs on Windows")
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
    import random
    from fractions import Fraction

    import av

    rng = random.Random(7)
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
            frame = av.VideoFrame(w, h, "rgb24")
            stride = frame.planes[0].line_size
            frame.planes[0].update(rng.randbytes(stride * h))  # row padding random too
            frame = frame.reformat(format="yuv420p")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
