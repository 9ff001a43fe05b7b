"""Thumbnails (EXIF orientation, PNG with alpha, video poster, bad input) and the log file."""

from __future__ import annotations

import hashlib
import logging
import struct
import zlib
from pathlib import Path

import pytest
from mediafactory import make_jpeg, make_mp4, make_png
from PIL import Image

from qmclient.logsetup import LOG_NAME, setup_logging
from qmclient.media.thumbnails import ThumbnailCache, render_image_thumbnail, render_video_poster
from qmclient.store.media import MediaError


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("orientation", "portrait"), [(1, False), (6, True), (8, True), (3, False)]
)
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int, portrait: bool) -> None:
    src = make_jpeg(tmp_path / "p.jpg", (1200, 900), orientation=orientation)
    im = render_image_thumbnail(src, 256)
    assert max(im.size) == 256
    assert (im.height > im.width) == portrait


def test_large_photo_is_decoded_at_reduced_size(tmp_path: Path) -> None:
    src = make_jpeg(tmp_path / "big.jpg", (4000, 3000), quality=90)
    im = render_image_thumbnail(src, 256)
    assert im.size == (256, 192)


def test_png_with_alpha_gets_a_white_background(tmp_path: Path) -> None:
    src = tmp_path / "alpha.png"
    Image.new("RGBA", (300, 200), (255, 0, 0, 0)).save(src)
    im = render_image_thumbnail(src, 128)
    assert im.mode == "RGB"
    assert im.getpixel((10, 10)) == (255, 255, 255)


def test_video_poster_frame(tmp_path: Path) -> None:
    src = make_mp4(tmp_path / "v.mp4", seconds=3.0, size=(320, 240))
    im = render_video_poster(src, 200)
    assert im.size == (200, 150)
    assert im.getextrema() != ((0, 0), (0, 0), (0, 0))  # not a black frame


def test_cache_writes_once_and_names_by_hash(tmp_path: Path) -> None:
    src = make_png(tmp_path / "a.png")
    cache = ThumbnailCache(tmp_path / "thumbs", 64)
    digest = sha(src)
    assert cache.cached(digest) is None
    path = cache.ensure(digest, src, "image/png")
    assert path == cache.path_for(digest) and path.is_file()
    mtime = path.stat().st_mtime_ns
    assert cache.ensure(digest, src, "image/png").stat().st_mtime_ns == mtime
    assert not list((tmp_path / "thumbs").rglob("*.part"))


def test_bad_inputs_raise_clear_errors(tmp_path: Path) -> None:
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(make_jpeg(tmp_path / "ok.jpg", (800, 600)).read_bytes()[:2000])
    with pytest.raises(MediaError) as err:
        render_image_thumbnail(cut)
    assert err.value.code == "damaged" and "损坏" in err.value.message_zh

    bomb = make_png(tmp_path / "bomb.png", (8, 8))
    data = bytearray(bomb.read_bytes())
    data[16:24] = struct.pack(">II", 70000, 70000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    bomb.write_bytes(bytes(data))
    with pytest.raises(MediaError) as err:
        render_image_thumbnail(bomb)
    assert err.value.code == "bomb"

    not_video = tmp_path / "x.mp4"
    not_video.write_bytes(b"\x00" * 4096)
    with pytest.raises(MediaError):
        render_video_poster(not_video)


def test_log_file_rotates_under_the_data_folder(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / LOG_NAME
    log = logging.getLogger("qmclient.test")
    log.info("第一条日志")
    for handler in logging.getLogger("qmclient").handlers:
        handler.flush()
    assert "第一条日志" in path.read_text(encoding="utf-8")
    again = setup_logging(tmp_path / "logs")  # a second call replaces, not duplicates
    assert again == path
    ours = [
        h for h in logging.getLogger("qmclient").handlers if h.__class__.__name__ == "_QmHandler"
    ]
    assert len(ours) == 1


def test_unwritable_log_folder_falls_back(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    path = setup_logging(blocker / "logs")
    assert path.is_file() or path.parent.is_dir()
    assert blocker not in path.parents


@pytest.fixture(autouse=True)
def _drop_log_handlers():  # type: ignore[no-untyped-def]
    yield
    logger = logging.getLogger("qmclient")
    for handler in [h for h in logger.handlers if h.__class__.__name__ == "_QmHandler"]:
        logger.removeHandler(handler)
        handler.close()


def test_adding_photos_keeps_their_previews_from_the_check(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A JPEG is decoded once when it is added: the decoding that checks it also gives
    its thumbnail, upright and the same size as one made afterwards; other kinds are
    left for later."""
    from qmclient.services import drafts

    cache = ThumbnailCache(tmp_path / "thumbs", 256)
    turned = make_jpeg(tmp_path / "turned.jpg", (1600, 1200), orientation=6)
    big = make_jpeg(tmp_path / "big.jpg", (4000, 3000), seed=3)
    png = make_png(tmp_path / "a.png")
    sid = drafts.create_draft(ctx)
    added = drafts.attach_files(ctx, sid, [turned, big, png], thumbnails=cache).added
    assert len(added) == 3
    for path in (turned, big):
        kept = cache.cached(sha(path))
        assert kept is not None
        with Image.open(kept) as im:
            assert im.size == render_image_thumbnail(path, 256).size
    with Image.open(cache.path_for(sha(turned))) as im:
        assert im.height > im.width  # EXIF orientation 6: portrait
    assert cache.cached(sha(png)) is None  # PNGs are only verified, not decoded, here
    assert not list((tmp_path / "thumbs").rglob("*.part"))
