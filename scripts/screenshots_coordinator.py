#!/usr/bin/env python3
"""Screenshots of the district coordinator's workspace in zh_CN for docs/screenshots/.

    Xvfb :97 -screen 0 1440x900x24 &
    DISPLAY=:97 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots_coordinator.py

It generates a district (enterprises' packages and mails, some broken on purpose), drops
them into the inbox of a 历下区 coordinator, and grabs the window; then it starts a real
qmintake behind a slowed-down proxy and grabs the batch upload while it runs.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "coord"))
OUT = ROOT / "docs" / "screenshots"
NOW = dt.datetime(2022, 9, 28, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def main() -> int:
    import keyring
    from coordsetup import make_coordinator
    from district import build_district, enterprise, padded_mp4
    from intake_server import IntakeServer
    from memkeyring import MemoryKeyring
    from netfault import FaultProxy
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from qmclient.services import drafts, inbox, inbox_import, outbox
    from qmclient.services.context import open_context
    from qmclient.services.packages import export_package
    from qmclient.sync.tokens import save_token
    from qmclient.ui.coordinator import install
    from qmclient.ui.i18n import install_translators
    from qmclient.ui.main_window import MainWindow
    from qmclient.ui.settings import AppSettings

    keyring.set_keyring(MemoryKeyring())
    app = QApplication(sys.argv[:1])
    install_translators(app, "zh_CN")
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="qm-coord-shots-"))
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.profile_asked = True

    def pump(seconds: float = 0.5) -> None:
        end = dt.datetime.now() + dt.timedelta(seconds=seconds)
        while dt.datetime.now() < end:
            app.processEvents()

    def shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        pump(0.4)
        widget.grab().save(str(OUT / name))
        print("saved", OUT / name)

    district = build_district(tmp / "district", 24)
    ctx = open_context(tmp / "coord")
    make_coordinator(ctx)
    window = MainWindow(ctx, settings, "zh_CN", clock=lambda: NOW)
    coordinator = install(window)
    window.resize(1440, 900)
    window.show()
    coordinator.dock.show()
    pump(0.5)
    coordinator.panel.import_paths([district.folder])
    while coordinator.panel.runner.busy():
        pump(0.2)
    rows = [r for r in inbox.list_items(ctx) if r.outcome == "new"][::-1]  # newest first
    for r in rows[:3]:
        inbox.check_item(ctx, r.id)
    inbox.return_item(ctx, rows[3].id, "活动照片缺少说明，请补充后重新报送", note_dir=tmp / "notes")
    coordinator.panel.refresh()
    window.refresh_list()
    window.select_submission(rows[0].submission_id)
    coordinator.dock.resize(1440, 380)
    window.resizeDocks([coordinator.dock], [380], Qt.Orientation.Vertical)
    shoot(window, "coordinator-inbox-zh_CN.png")

    # the batch upload, running: a real qmintake behind a slow line
    src = open_context(tmp / "senders")
    pkgs = tmp / "batch"
    pkgs.mkdir()
    for i in range(8):
        sid = enterprise(src, tmp / "media", 40 + i)
        video = padded_mp4(tmp / "media" / f"bv{i}.mp4", 24 * 2**20, seed=40 + i)
        assert not drafts.attach_files(src, sid, [video]).failed
        export_package(src, sid, pkgs / f"b{i}.qmpkg")
    src.close()
    new = inbox_import.import_paths(ctx, [pkgs])
    ids = [r.submission_id for r in new if r.submission_id]
    server = IntakeServer(tmp / "intake").start()
    try:
        with FaultProxy(server.port) as proxy:
            proxy.rate_up = 2**20
            save_token(outbox.set_endpoint(ctx, proxy.url), server.district_token())
            dialog = coordinator.batch_dialog(ids)
            dialog.resize(980, 560)
            dialog.ui.startButton.click()
            pump(5.0)
            shoot(dialog, "coordinator-batch-upload-zh_CN.png")
            dialog.pause()
            while dialog.task is not None:
                pump(0.2)
            dialog.close()
    finally:
        server.stop()
    window.close()
    ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
