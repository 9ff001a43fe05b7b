#!/usr/bin/env python3
"""A zh_CN screenshot of the Send menu's Transfers panel in the middle of an upload.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_transfers.py

Starts a real qmintake on 127.0.0.1 behind a slow link (tests/netfault.py), submits a
report with a photo and a 60 MB video, and grabs the main window while it is sending,
into docs/screenshots/transfers.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "sync")]
OUT = ROOT / "docs" / "screenshots" / "transfers.png"


def main() -> int:
    from intake_server import IntakeServer
    from netfault import FaultProxy
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    from reports import ready_submission

    from qmclient.services import outbox
    from qmclient.services.context import open_context
    from qmclient.sync.tokens import ENV_TOKEN
    from qmclient.ui.i18n import install_translators
    from qmclient.ui.main_window import MainWindow
    from qmclient.ui.sending import install_sending
    from qmclient.ui.settings import AppSettings

    app = QApplication(sys.argv[:1])
    install_translators(app, "zh_CN")
    with tempfile.TemporaryDirectory() as tmp, IntakeServer(Path(tmp) / "intake") as srv:
        import os

        os.environ[ENV_TOKEN] = srv.unit_token()
        with FaultProxy(srv.port) as proxy:
            proxy.rate_up = 6 << 20
            ctx = open_context(Path(tmp) / "data")
            sid = ready_submission(ctx, Path(tmp) / "src", photos=3, video_bytes=60 << 20)
            outbox.set_endpoint(ctx, proxy.url)
            settings = AppSettings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
            window = MainWindow(ctx, settings, "zh_CN")
            sending = install_sending(window)
            window.resize(1500, 900)
            window.show()
            window.select_submission(sid)
            outbox.queue_submission(ctx, sid)
            window.refresh_list(select=sid)
            sending.start()

            def grab() -> None:
                OUT.parent.mkdir(parents=True, exist_ok=True)
                window.grab().save(str(OUT))
                sending.pause()
                QTimer.singleShot(1500, app.quit)

            QTimer.singleShot(5000, grab)
            app.exec()
            window.close()
            ctx.close()
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
