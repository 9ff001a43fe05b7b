"""Render the SVG app icon to PNG sizes (hicolor theme layout) and a Windows .ico.

python packaging/render_icons.py OUT_DIR            # OUT_DIR/hicolor/NxN/apps/qmclient.png
python packaging/render_icons.py --ico FILE.ico     # a multi-size Windows icon
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "qmclient.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(size: int):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication([sys.argv[0]])
    if argv[:1] == ["--ico"]:
        from PIL import Image

        out = Path(argv[1])
        big = out.with_suffix(".256.png")
        render(256).save(str(big))
        Image.open(big).save(out, sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
        big.unlink()
        print(out)
        return 0
    out_dir = Path(argv[0])
    for size in SIZES:
        dest = out_dir / "hicolor" / f"{size}x{size}" / "apps" / "qmclient.png"
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not render(size).save(str(dest)):
            raise SystemExit(f"cannot write {dest}")
    scalable = out_dir / "hicolor" / "scalable" / "apps" / "qmclient.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SVG.read_bytes())
    print(out_dir / "hicolor")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
