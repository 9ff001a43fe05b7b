"""What a stored photo or video measures: pixel size, duration."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qmclient.media.heif import enable_heif
from qmclient.store.media import MediaError

# Pillow's own guard against decompression bombs, made an error rather than a warning.
MAX_IMAGE_PIXELS = 100_000_000


def refuse_bombs() -> None:
    """Pillow's decompression-bomb warning made an error for the process.  (Not with
    ``warnings.catch_warnings()`` around each opening: that saves and restores the
    process's filters, which goes wrong when several threads open images at once.)"""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    bomb = Image.DecompressionBombWarning
    if not any(f[0] == "error" and f[2] is bomb for f in warnings.filters):
        warnings.filterwarnings("error", category=bomb)


@dataclass(frozen=True)
class Probe:
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    # the thumbnail made from the same decoding, when asked for (JPEG only)
    preview: Any = field(default=None, compare=False, repr=False)


def probe_image(path: Path, display_name: str = "", *, preview_size: int | None = None) -> Probe:
    """Width and height as displayed (EXIF orientation applied).  A JPEG is decoded (at
    reduced scale) to catch truncated files; with ``preview_size`` that decoding also
    gives the thumbnail, so it is not decoded a second time for it."""
    from PIL import Image, UnidentifiedImageError

    enable_heif()
    name = display_name or path.name
    try:
        refuse_bombs()
        with Image.open(path) as im:
            width, height = im.size
            if width * height > MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            orientation = im.getexif().get(0x0112, 1)
            fmt = im.format
            preview = None
            if fmt == "JPEG":
                # decode at reduced scale: a truncated or damaged photo fails here
                # instead of later in the export (the entropy decoding of every byte
                # is most of the cost, some 40 ms for a 12 MP photo)
                if preview_size:
                    im.draft("RGB", (preview_size, preview_size))
                else:
                    im.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                im.load()
                if preview_size:
                    from qmclient.media.thumbnails import upright_thumbnail

                    preview = upright_thumbnail(im, preview_size)
        if fmt != "JPEG":
            with Image.open(path) as fresh:
                fresh.verify()  # checks the structure (PNG chunk CRCs), decodes nothing
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError(
            "bomb",
            name,
            en="the image claims too many pixels to be a real photo",
            zh="图片像素数异常巨大，不是正常照片，已拒绝",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise MediaError(
            "damaged",
            name,
            en=f"the image cannot be read ({exc})",
            zh="图片已损坏或无法读取，请重新导出后再添加",
        ) from None
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return Probe(width=width, height=height, preview=preview)


def probe_video(path: Path, display_name: str = "") -> Probe:
    """Duration in seconds and the frame size of the first video stream."""
    import av

    name = display_name or path.name
    try:
        with av.open(str(path)) as container:
            duration = container.duration / 1_000_000 if container.duration else None
            stream = next(iter(container.streams.video), None)
            if stream is None:
                raise MediaError(
                    "no-video", name, en="the file has no video stream", zh="该文件中没有视频画面"
                )
            if duration is None and stream.duration and stream.time_base:
                duration = float(stream.duration * stream.time_base)
            return Probe(
                width=stream.codec_context.width or None,
                height=stream.codec_context.height or None,
                duration_s=duration,
            )
    except MediaError:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(
            "damaged",
            name,
            en=f"the video cannot be read ({exc})",
            zh="视频已损坏或无法读取，请重新导出后再添加",
        ) from None


def probe(
    path: Path, media_type: str, display_name: str = "", *, preview_size: int | None = None
) -> Probe:
    if media_type.startswith("image/") and (media_type != "image/heic" or enable_heif()):
        return probe_image(path, display_name, preview_size=preview_size)
    if media_type.startswith("video/"):
        return probe_video(path, display_name)
    return Probe()
