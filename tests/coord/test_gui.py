"""The inbox panel and the batch dialog in the real main window (offscreen, zh_CN)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from test_batch_upload import received_packages, server_listing

from qmclient.services import inbox, inbox_import, outbox
from qmclient.services.context import AppContext
from qmclient.sync.tokens import save_token
from qmclient.ui.coordinator import install
from qmclient.ui.i18n import install_translators
from qmclient.ui.main_window import MainWindow
from qmclient.ui.settings import AppSettings


@pytest.fixture
def window(qtbot: Any, qapp: QApplication, coord: AppContext, tmp_path: Path) -> Any:
    translators = install_translators(qapp, "zh_CN")
    settings = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w = MainWindow(coord, settings, "zh_CN")
    install(w)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    for t in translators:
        qapp.removeTranslator(t)


def drop(widget: Any, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)


def test_drop_check_read_only_and_batch(
    window: Any, qtbot: Any, coord: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    c = window.coordinator
    assert c.dock.isVisible()  # the profile is a district's
    assert c.menu.title() == "区县汇总(&D)"
    folder = received_packages(tmp_path, 3)
    (folder / "坏包.qmpkg").write_bytes(b"junk")
    drop(c.panel, [folder])
    qtbot.waitUntil(lambda: len(c.panel.model.rows) == 4, timeout=30_000)
    labels = [c.panel.model.data(c.panel.model.index(i, 0)) for i in range(4)]
    assert sorted(labels) == ["● 已隔离", "● 新报告", "● 新报告", "● 新报告"]
    # filter: only the quarantined
    c.panel.ui.filterCombo.setCurrentIndex(4)
    assert c.panel.proxy.rowCount() == 1
    c.panel.ui.filterCombo.setCurrentIndex(0)
    # open an imported report: read only, with the banner
    rows = [r for r in c.panel.model.rows if r.submission_id]
    c.panel.openSubmission.emit(rows[0].submission_id)
    assert window.editor.submission_id == rows[0].submission_id
    assert not c.banner.isHidden() and "只读" in c.banner.text()
    edits = window.editor.findChildren(QLineEdit)
    assert edits and all(e.isReadOnly() for e in edits)
    assert not window.ui.actionAddActivity.isEnabled()
    # check two, then batch upload the checked ones
    for r in rows[:2]:
        inbox.check_item(coord, r.id)
    c.panel.refresh()
    save_token(outbox.set_endpoint(coord, intake.base_url), intake.district_token())
    dialog = c.batch_dialog()
    assert dialog.ids == sorted(r.submission_id for r in rows[:2])
    dialog.ui.startButton.click()
    qtbot.waitUntil(lambda: dialog.task is None and bool(dialog.items), timeout=60_000)
    assert [i.state for i in dialog.items] == ["received", "received"]
    texts = [dialog.ui.itemsTable.item(r, 1).text() for r in range(2)]
    assert texts == ["已送达", "已送达"]
    assert len(server_listing(intake, intake.district_token())) == 2
    dialog.close()


def test_packages_dropped_on_the_window_go_to_the_inbox(
    window: Any, qtbot: Any, tmp_path: Path
) -> None:
    from qmclient.ui.coordinator import for_inbox

    folder = received_packages(tmp_path, 2)
    photo = tmp_path / "media" / "p0.jpg"
    assert for_inbox([folder]) and for_inbox(sorted(folder.iterdir()))
    assert not for_inbox([photo]) and not for_inbox([photo.parent / "nothing"])
    c = window.coordinator
    before = window.model.rowCount()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    targets = c._drop_targets
    media = window.editor.ui.mediaView
    assert window in targets and media in targets  # every widget that takes drops
    # offscreen Qt does not route a synthetic drop through filters, so call the filter as
    # Qt would for a drop on the photo list
    assert c.eventFilter(media, event) is True
    qtbot.waitUntil(lambda: len(c.panel.model.rows) == 2, timeout=30_000)
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 2, timeout=10_000)
    assert not window.import_reports  # nothing was offered to the report as media


def test_unit_imports_a_return_note_from_the_menu(
    window: Any, coord: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from district import enterprise

    from qmclient.export.returnnote import ReturnNote, write_note
    from qmclient.services import drafts
    from qmclient.store.models import SubmissionRevision, utcnow
    from qmclient.ui import coordinator as coordinator_ui

    sid = enterprise(coord, tmp_path, 7)
    drafts.freeze(coord, sid)
    report = drafts.load_report(coord, sid)
    note = write_note(
        tmp_path / "notes",
        ReturnNote(
            report.uuid, report.revision, report.unit.name, "请补充照片说明", "李四", utcnow()
        ),
    )
    shown: list[str] = []
    monkeypatch.setattr(
        coordinator_ui.QFileDialog, "getOpenFileName", lambda *a, **k: (str(note), "")
    )
    monkeypatch.setattr(
        coordinator_ui.QMessageBox, "information", lambda _p, _t, text: shown.append(text)
    )
    window.coordinator.import_note()
    assert shown and "请补充照片说明" in shown[0]
    assert window.editor.submission_id == sid
    with coord.store.read() as s:
        rev = s.query(SubmissionRevision).one()
        assert rev.remote_status == "returned" and "请补充照片说明" in rev.remote_comment


def test_batch_dialog_pauses_and_resumes(
    window: Any, qtbot: Any, coord: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    from netfault import FaultProxy

    folder = received_packages(tmp_path, 3, video_mib=4)
    rows = inbox_import.import_paths(coord, [folder])
    ids = [r.submission_id for r in rows if r.submission_id]
    token = intake.district_token()
    with FaultProxy(intake.port) as proxy:
        proxy.rate_up = 2 << 20  # slow: the pause lands mid-batch
        save_token(outbox.set_endpoint(coord, proxy.url), token)
        dialog = window.coordinator.batch_dialog(ids)
        dialog.ui.startButton.click()
        qtbot.waitUntil(lambda: proxy.stats.bytes_up > 2 << 20, timeout=30_000)
        dialog.ui.cancelButton.click()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)
        states = [i.state for i in dialog.items]
        assert "stopped" in states, states
        assert dialog.ui.startButton.text() == "再试一次"
        proxy.rate_up = None
        dialog.ui.startButton.click()
        qtbot.waitUntil(lambda: dialog.task is None and bool(dialog.items), timeout=60_000)
        assert [i.state for i in dialog.items] == ["received"] * 3
        assert dialog.ui.statusLabel.text() == "全部 3 份报告已送达。"
    assert len(server_listing(intake, token)) == 3
    dialog.close()
