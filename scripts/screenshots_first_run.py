"""Screenshots (zh_CN) of the first-run wizard pages and of the main window's File and
Help menus with the backup, restore, set-up and diagnostics actions, into docs/screenshots/.

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
        shots += _menus(app, ctx, out_dir, Path(tmp))
        ctx.close()
    for p in shots:
        print(p)
    return 0


def _menus(app, ctx, out_dir: Path, tmp: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """The File and Help menus, open over the main window (a whole-screen grab, so the
    popup is in it; needs a real X server)."""
    if not os.environ.get("DISPLAY"):
        return []
    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtTest import QTest

    from qmclient.services import drafts
    from qmclient.ui.main_window import MainWindow
    from qmclient.ui.maintenance import Maintenance
    from qmclient.ui.settings import AppSettings

    drafts.create_draft(ctx)
    settings = AppSettings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx, settings, "zh_CN")
    Maintenance(window, ctx, "zh_CN", None, window.flush_edits).install()
    window.setGeometry(40, 40, 1100, 700)
    window.show()
    shots = []
    for menu, name in (
        (window.ui.menuFile, "menu-file-backup"),
        (window.ui.menuHelp, "menu-help-setup"),
    ):
        QTest.qWait(300)
        action = menu.menuAction()
        pos = window.ui.menuBar.actionGeometry(action).bottomLeft()
        menu.popup(window.ui.menuBar.mapToGlobal(pos))
        QTest.qWait(400)
        frame = window.frameGeometry()
        area = frame.united(menu.geometry()).intersected(QRect(0, 0, 1400, 900))
        area = QRect(area.x(), area.y(), min(area.width(), 700), min(area.height(), 420))
        pixmap = window.screen().grabWindow(0, area.x(), area.y(), area.width(), area.height())
        path = out_dir / f"{name}.zh_CN.png"
        pixmap.save(str(path))
        shots.append(path)
        menu.hide()
    from qmclient.ui.proxy_dialog import ProxyDialog

    proxy = ProxyDialog(ctx, "zh_CN", window)
    proxy.ui.manualRadio.setChecked(True)
    proxy.ui.addressEdit.setText("http://10.10.1.1:8080")
    proxy.ui.userEdit.setText("zhangsan")
    proxy.show()
    QTest.qWait(300)
    path = out_dir / "proxy-dialog.zh_CN.png"
    proxy.grab().save(str(path))
    shots.append(path)
    proxy.close()
    window.close()
    return shots


if __name__ == "__main__":
    sys.exit(main())
