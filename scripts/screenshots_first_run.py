"""Screenshots of the first-run wizard pages (zh_CN) into docs/screenshots/.

Run under a real X server so the window has its decorations and real fonts, e.g.:

    Xvfb :98 -screen 0 1400x900x24 &
    DISPLAY=:98 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots_first_run.py

Without DISPLAY it falls back to the offscreen platform (widget grabs, no frame).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from qmclient.services.context import open_context
    from qmclient.ui.first_run import FirstRunWizard
    from qmclient.ui.i18n import install_translators

    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    install_translators(app, "zh_CN")
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(Path(tmp) / "data")
        wizard = FirstRunWizard(ctx, "zh_CN")
        wizard.resize(680, 540)
        wizard.show()
        ui = wizard.ui
        ui.kindCombo.setCurrentIndex(max(0, ui.kindCombo.findData("enterprise")))
        ui.districtCombo.setCurrentIndex(max(0, ui.districtCombo.findData("lixia")))
        ui.nameEdit.setText("济南某某精密机械有限公司")
        ui.creditCodeEdit.setText("91350100M000100Y43")
        ui.contactEdit.setText("张三")
        ui.phoneEdit.setText("0531-82568852")
        shots = []
        for page, name in (
            (0, "first-run-1-unit"),
            (1, "first-run-2-campaign"),
            (2, "first-run-3-ready"),
        ):
            while wizard.currentId() < page:
                wizard.next()
            for _ in range(5):
                app.processEvents()
            path = out_dir / f"{name}.zh_CN.png"
            pixmap = (
                wizard.screen().grabWindow(wizard.winId())
                if os.environ.get("DISPLAY")
                else wizard.grab()
            )
            if pixmap.isNull() or pixmap.width() < 100:
                pixmap = wizard.grab()
            pixmap.save(str(path))
            shots.append(path)
        wizard.close()
        ctx.close()
    for p in shots:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
