"""HEIC photos, as phones take them: attached with their size, previewed, and placed in
the Word report as pictures."""

from __future__ import annotations

import zipfile
from pathlib import Path

from qmclient.core.report import Unit
from qmclient.media.heif import enable_heif
from qmclient.media.thumbnails import render_image_thumbnail
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.export import ExportOptions, run


def make_heic(path: Path, size: tuple[int, int] = (640, 480)) -> Path:
    from PIL import Image, ImageDraw

    assert enable_heif()
    im = Image.new("RGB", size, (30, 90, 200))
    ImageDraw.Draw(im).rectangle((0, 0, size[0] // 4, size[1] // 4), fill=(255, 0, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, format="HEIF", quality=80)
    return path


def test_a_phone_photo_in_heic(ctx: AppContext, tmp_path: Path) -> None:
    photo = make_heic(tmp_path / "IMG_0001.HEIC")
    assert photo.read_bytes()[4:12] == b"ftypheic"
    sid = drafts.create_draft(ctx, unit=Unit(name="济南某某有限公司", kind="enterprise"))
    act = drafts.add_activity(
        ctx, sid, {"name": "启动仪式", "focus_area": "publicity", "start_date": "2022-09-01"}
    )
    result = drafts.attach_files(ctx, sid, [photo], activity_id=act, caption="启动仪式现场")
    assert not result.failed, result.failed
    (ref,) = result.added
    assert (ref.media_type, ref.width, ref.height) == ("image/heic", 640, 480)

    thumb = render_image_thumbnail(ctx.media.path_for(ref.sha256), 128)
    assert max(thumb.size) == 128 and thumb.getpixel((2, 2))[0] > 200  # the red corner

    docx = tmp_path / "out" / "总结.docx"
    docx.parent.mkdir()
    run(ctx, sid, ExportOptions(docx=docx, draft=True))
    with zipfile.ZipFile(docx) as z:
        pictures = [n for n in z.namelist() if n.startswith("word/media/")]
        text = z.read("word/document.xml").decode("utf-8")
    assert pictures, "the HEIC photo is placed in the report as a picture"
    assert "图1" in text and "启动仪式现场" in text
