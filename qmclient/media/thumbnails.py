"""Thumbnails and video poster frames, kept in a cache folder under the data folder.

Images are decoded at reduced size (``Image.draft``), turned upright from their EXIF
orientation (``ImageOps.exif_transpose``) and shrunk with ``Image.thumbnail``.  Videos
give the frame about a second in (or the first frame of a shorter clip).  A thumbnail is
written to a temporary file and renamed, so a crash never leaves half a picture; it is
named after the original's SHA-256 and the size, so it never goes stale.
"""

from __future__ import annotations

from pathlib import Path

from qmclient.core.files import atomic_writer
from qmclient.media.heif import enable_heif
from qmclient.media.probe import refuse_bombs
from qmclient.store.media import MediaError

DEFAULT_SIZE = 256
POSTER_AT_S = 1.0


def render_image_thumbnail(source: Path, size: int = DEFAULT_SIZE):  # type: ignore[no-untyped-def]
    """A Pillow image no larger than ``size`` × ``size``, upright."""
    from PIL import Image, UnidentifiedImageError

    enable_heif()
    try:
        refuse_bombs()
        with Image.open(source) as im:
            im.draft("RGB", (size, size))
            return upright_thumbnail(im, size)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError(
            "bomb", source, en="the image claims too many pixels", zh="图片像素数异常巨大，无法预览"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise MediaError(
            "damaged", source, en=f"no preview: {exc}", zh="图片已损坏或无法读取，无法预览"
        ) from None


def upright_thumbnail(im, size: int = DEFAULT_SIZE):  # type: ignore[no-untyped-def]
    """From an open (possibly drafted or already decoded) image: turned upright by its EXIF
    orientation, shrunk to ``size``, on white where it was transparent."""
    from PIL import Image, ImageOps

    upright = ImageOps.exif_transpose(im)
    upright.thumbnail((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0)
    if upright.mode not in ("RGB", "L"):
        background = Image.new("RGB", upright.size, (255, 255, 255))
        rgba = upright.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        upright = background
    return upright.copy()


def render_video_poster(source: Path, size: int = DEFAULT_SIZE):  # type: ignore[no-untyped-def]
    """The frame about a second into the video, shrunk to ``size``; reads only a little."""
    import av
    from PIL import Image

    try:
        with av.open(str(source)) as container:
            stream = next(iter(container.streams.video), None)
            if stream is None:
                raise MediaError(
                    "no-video", source, en="no video stream", zh="该文件中没有视频画面"
                )
            duration = container.duration / 1_000_000 if container.duration else 0.0
            target = min(POSTER_AT_S, duration / 2) if duration else 0.0
            if target > 0 and stream.time_base:
                container.seek(int(target / stream.time_base), stream=stream, backward=True)
            frame = None
            for frame in container.decode(stream):
                if frame.time is None or frame.time >= target:
                    break
            if frame is None:
                raise MediaError(
                    "damaged", source, en="no frame to show", zh="视频中没有可显示的画面"
                )
            image = frame.to_image()  # type: ignore[no-untyped-call]
    except MediaError:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(
            "damaged", source, en=f"no poster frame: {exc}", zh="视频已损坏或无法读取，无法预览"
        ) from None
    image.thumbnail((size, size), Image.Resampling.BILINEAR)
    return image


class ThumbnailCache:
    """``<root>/ab/<sha256>-<size>.jpg`` for each stored file."""

    def __init__(self, root: Path, size: int = DEFAULT_SIZE) -> None:
        self.root = root
        self.size = size

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}-{self.size}.jpg"

    def cached(self, sha256: str) -> Path | None:
        path = self.path_for(sha256)
        return path if path.is_file() else None

    def ensure(self, sha256: str, source: Path, media_type: str) -> Path:
        """The thumbnail's path, made first if needed.  Raises :class:`MediaError`."""
        path = self.path_for(sha256)
        if path.is_file():
            return path
        if media_type.startswith("video/"):
            image = render_video_poster(source, self.size)
        elif media_type.startswith("image/"):
            image = render_image_thumbnail(source, self.size)
        else:
            raise MediaError(
                "unsupported", source, en="no preview for this type", zh="此类文件无预览"
            )
        self.save(sha256, image, source)
        return path

    def save(self, sha256: str, image, source: Path | str = "") -> Path:  # type: ignore[no-untyped-def]
        """Keep ``image`` as the thumbnail of ``sha256`` (written whole, then renamed)."""
        path = self.path_for(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with atomic_writer(path, durable=False) as fh:  # a cache: rebuilt if lost
                image.convert("RGB").save(fh, "JPEG", quality=85)
        except OSError as exc:
            raise MediaError(
                "io", source or path, en=f"the preview cannot be saved ({exc})", zh="预览图无法保存"
            ) from None
        return path
