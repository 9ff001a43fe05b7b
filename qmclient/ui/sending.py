"""Sending from the desktop: Submit, the transfers panel, receipts and the office's verdict.

:func:`install_sending` adds a *Send* menu and a *Transfers* dock to the main window.
Sending runs :class:`~qmclient.services.outbox.OutboxSender` on a worker thread; its
progress events arrive here by signal, so the window never blocks.  Pause stops the
transfer within a second (what the server has is kept); *Send now* resumes from there.
A timer resumes, without being asked, what was interrupted when the app was closed and
what waits for its next attempt after a network or server failure.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QTreeWidgetItem,
    QWidget,
)

from qmclient.core.sizes import size_text
from qmclient.services import clock, drafts, outbox
from qmclient.sync.control import TransferControl
from qmclient.sync.errors import SyncError
from qmclient.ui.changes import OUTBOX_TABLES
from qmclient.ui.forms.ui_transfers_panel import Ui_TransfersPanel
from qmclient.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from qmclient.ui.receipt_dialog import ReceiptDialog

log = logging.getLogger(__name__)
RETRY_CHECK_MS = 60_000  # how often queued reports waiting for a retry are looked at
FIRST_CHECK_MS = 3_000  # after start: resume what was interrupted


class TransfersPanel(QWidget):
    """Per-file and total progress, speed, time left; pause, send now, take out of queue."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_TransfersPanel()
        self.ui.setupUi(self)
        self.zh = language.startswith("zh")
        self.rows: dict[str, QTreeWidgetItem] = {}
        header = self.ui.filesTree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.set_running(False)

    def set_running(self, running: bool) -> None:
        self.ui.pauseButton.setEnabled(running)
        self.ui.resumeButton.setEnabled(not running)

    def show_event(self, e: outbox.SendEvent) -> None:
        if e.stage in ("connecting", "verifying", "uploading", "finalising"):
            self.ui.messageLabel.clear()
        if e.stage == "connecting":
            self.ui.stateLabel.setText(self.tr("Connecting to the intake server…"))
            self.ui.filesTree.clear()
            self.rows.clear()
            self.ui.totalBar.setValue(0)
            return
        if e.file is not None:
            row = self.rows.get(e.file.sha256)
            if row is None:
                row = QTreeWidgetItem([e.file.name, "", size_text(e.file.total)])
                self.rows[e.file.sha256] = row
                self.ui.filesTree.addTopLevelItem(row)
            pct = 100 * e.file.done // e.file.total if e.file.total else 100
            row.setText(1, f"{pct}%")
        if e.bytes_total:
            self.ui.totalBar.setValue(int(1000 * e.bytes_done / e.bytes_total))
            self.ui.totalBar.setMaximum(1000)
        if e.stage == "verifying":
            self.ui.stateLabel.setText(self.tr("Checking the files before sending…"))
        elif e.stage == "uploading":
            self.ui.stateLabel.setText(
                self.tr("Sending report %1: file %2 of %3")
                .replace("%1", str(e.submission_id))
                .replace("%2", str(min(e.files_done + 1, e.files_total)))
                .replace("%3", str(e.files_total))
            )
            left = ""
            if e.eta_s is not None:
                minutes, seconds = divmod(int(e.eta_s), 60)
                left = self.tr("%1 left").replace("%1", f"{minutes}:{seconds:02d}")
            self.ui.speedLabel.setText(
                f"{size_text(e.bytes_done)} / {size_text(e.bytes_total)}   "
                f"{size_text(e.bytes_per_s)}/s   {left}"
            )
        elif e.stage == "finalising":
            self.ui.stateLabel.setText(self.tr("Asking the office for the receipt…"))
        elif e.stage == "received" and e.receipt is not None:
            self.ui.totalBar.setValue(self.ui.totalBar.maximum())
            self.ui.stateLabel.setText(
                self.tr("Report %1 was received. Receipt number: %2")
                .replace("%1", str(e.submission_id))
                .replace("%2", str(e.receipt.get("receipt_number", "")))
            )
            self.ui.speedLabel.clear()
        elif e.stage == "cancelled":
            self.ui.stateLabel.setText(
                self.tr("Paused. What was sent is kept; Send now continues from there.")
            )
        elif e.error is not None:
            text = e.error.message_zh if self.zh else e.error.message_en
            self.ui.messageLabel.setText(text)
            self.ui.messageLabel.setStyleSheet("color: #c62828")

    def show_queue(self, rows: list[outbox.QueueRow]) -> None:
        view = self.ui.queueList
        view.clear()
        for r in rows:
            state = self.tr("needs you") if r.state == outbox.HELD else self.tr("queued")
            title = r.title or self.tr("(untitled report)")
            text = f"{title}  ·  {state}"
            message = r.error_zh if self.zh else r.error_en
            item = QListWidgetItem(text + (f"\n{message}" if message else ""))
            item.setData(Qt.ItemDataRole.UserRole, r.submission_id)
            view.addItem(item)
        if not rows:
            view.addItem(QListWidgetItem(self.tr("Nothing is waiting.")))


class Sending(QObject):
    """The Send menu and the transfers dock of one main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.zh = window.zh
        self.runner = TaskRunner(self, max_threads=1)
        self.control: TransferControl | None = None
        self.paused = False
        self.last_outcomes: list[outbox.SendOutcome] = []
        self.asked: set[int] = set()  # reports the user submitted: their receipt is shown
        self.receipt_dialog: ReceiptDialog | None = None
        self.panel = TransfersPanel(window.language)
        self.dock = QDockWidget(self.tr("Transfers"), window)
        self.dock.setObjectName("transfersDock")
        self.dock.setWidget(self.panel)
        window.add_panel(self.dock)
        self.menu = QMenu(self.tr("&Send"), window)
        self.connect_action = self._action(
            self.tr("&Connect to the intake server…"), lambda: self.connect_server()
        )
        self.menu.addSeparator()
        self.submit_action = self._action(self.tr("&Submit this report…"), self.submit)
        self.submit_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.sync_action = self._action(self.tr("Send &queued reports now"), self.start)
        self.pause_action = self._action(self.tr("&Pause sending"), self.pause)
        self.menu.addSeparator()
        self.status_action = self._action(self.tr("Ask the office's &verdict"), self.check_status)
        self.receipt_action = self._action(self.tr("Show the &receipt…"), self.show_receipt)
        window.insert_menu(self.menu)
        self.panel.ui.pauseButton.clicked.connect(self.pause)
        # a lambda: clicked(bool) would land in start(include_waiting=...) as False
        self.panel.ui.resumeButton.clicked.connect(lambda: self.start())
        self.panel.ui.cancelButton.clicked.connect(self.take_out)
        self.refresh_queue()  # the first fill; then it follows the store's changes
        window.changes.changed.connect(self.store_changed)
        from qmclient.ui.verdict_banner import VerdictWatcher

        self.verdicts = VerdictWatcher(window)
        self.verdicts.cameOnline.connect(self.background_pass)  # what waits goes on at once
        # what waits for a retry (or was interrupted when the app closed) goes on by itself
        self.retry_timer = QTimer(self, interval=RETRY_CHECK_MS)
        # the soonest retry's moment; precise: a coarse timer may fire up to 5 % early
        self.due_timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self.due_timer.timeout.connect(self.background_pass)
        self.retry_timer.timeout.connect(self.background_pass)
        self.retry_timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self.background_pass)

    def _action(self, text: str, slot: Any) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    @property
    def running(self) -> bool:
        return self.control is not None

    def _say(self, error: SyncError) -> str:
        return error.message_zh if self.zh else error.message_en

    @Slot(object)
    def store_changed(self, tables: frozenset[str]) -> None:
        """The store's announcement (``window.changes``): the queue changed."""
        if tables & OUTBOX_TABLES:
            self.refresh_queue()

    def refresh_queue(self) -> None:
        self.panel.show_queue(outbox.outbox_rows(self.ctx))

    def connect_server(self, file: Path | None = None) -> bool:
        """The dialog 连接报送服务器 (filled from ``file``); ``True`` when connected."""
        from qmclient.services import connection
        from qmclient.ui.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self.ctx, self.window.language, self.window, file)
        dialog.exec()
        connected = connection.state(self.ctx).connected
        if connected:
            self.verdicts.poll()
        return connected

    # -------------------------------------------------------------- submit

    def submit(self) -> bool:
        """Check, freeze, queue and start sending the report shown; ``False`` if refused."""
        sid = self.window.current_submission_id()
        if sid is None or not self.window.flush_edits():
            return False
        from qmclient.services import connection

        findings = drafts.validate_submission(self.ctx, sid, clock.now(self.ctx))
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            lines = "\n".join(f"• {f.message_zh if self.zh else f.message_en}" for f in errors[:8])
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("The report cannot be submitted yet"),
                self.tr("Fix these problems first:") + "\n\n" + lines,
                parent=self.window,
            )
            go = box.addButton(
                self.tr("&Go to the first problem"), QMessageBox.ButtonRole.AcceptRole
            )
            box.addButton(QMessageBox.StandardButton.Close)
            box.exec()
            if box.clickedButton() is go:
                self.window.jump_to(errors[0])
            return False
        if not connection.state(self.ctx).connected and not self.connect_server():
            return False
        warnings = [f for f in findings if f.severity == "warning"]
        if warnings:
            lines = "\n".join(
                f"• {f.message_zh if self.zh else f.message_en}" for f in warnings[:8]
            )
            answer = QMessageBox.question(
                self.window,
                self.tr("Submit the report?"),
                self.tr("Please note:") + "\n\n" + lines + "\n\n" + self.tr("Submit it anyway?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            queued = outbox.queue_submission(self.ctx, sid)
        except outbox.SubmitRefused:
            return False
        except SyncError as err:
            QMessageBox.warning(
                self.window, self.tr("The report cannot be submitted yet"), self._say(err)
            )
            return False
        log.info("submission %s revision %s queued", sid, queued.revision)
        self.asked.add(sid)
        self.window.select_submission(sid)  # the list, queue and editor heard of it
        self.dock.show()
        self.start()
        return True

    # -------------------------------------------------------------- sending

    def background_pass(self) -> bool:
        """Send what is due without the user asking (retries, interrupted uploads)."""
        if self.running or self.paused:
            return False
        if not outbox.due_entries(self.ctx, include_waiting=False):
            self._retry_when_due()  # e.g. a timer that fired a moment early: look again then
            return False
        self.start(include_waiting=False)
        return True

    def _retry_when_due(self) -> None:
        """Look again when the soonest retry is due (e.g. 5 s after a 423), not only on the
        minute's check."""
        wait = outbox.next_retry_in(self.ctx)
        if wait is not None and wait * 1000 < RETRY_CHECK_MS:
            self.due_timer.start(int(wait * 1000) + 100)

    def start(self, include_waiting: bool = True) -> None:
        if self.running:
            return
        if include_waiting:  # the user asked: a pause ends
            self.paused = False
        control = TransferControl()
        self.control = control
        self.panel.set_running(True)
        ctx = self.ctx

        def work(task: Any) -> list[outbox.SendOutcome]:
            with outbox.OutboxSender(ctx, control=control, on_event=task.post) as sender:
                return sender.send_all(include_waiting=include_waiting)

        self.runner.run_task(work, self._finished, on_progress=self._progress)

    def _progress(self, value: Any) -> None:
        event = value
        if isinstance(event, outbox.SendEvent):
            self.panel.show_event(event)
            # the report's status changed (sending, received, back in the queue): the list,
            # the queue and the editor follow the store's announcement by themselves
            status_changed = event.stage not in ("uploading", "verifying", "finalising")
            if status_changed and event.submission_id == self.window.current_submission_id():
                self.verdicts.banner.show_for(event.submission_id)

    def _finished(self, result: Any, error: BaseException | None) -> None:
        self.control = None
        self.panel.set_running(False)
        self.last_outcomes = list(result or [])
        if error is not None:
            text = self._say(error) if isinstance(error, SyncError) else str(error)
            self.panel.ui.messageLabel.setText(text)
        failed = [o.error for o in self.last_outcomes if o.error is not None]
        if isinstance(error, SyncError):
            failed.append(error)
        if any(e.retryable and e.unreached for e in failed):
            self.verdicts.went_offline()  # the next answer from the server is "online"
        if any(e.retryable for e in failed):
            self._retry_when_due()
        received = [o for o in self.last_outcomes if o.ok]
        if received:
            self.verdicts.poll()
            self.window.statusBar().showMessage(
                self.tr("%n report(s) received by the office.", "", len(received)), 10000
            )
        mine = [o.submission_id for o in received if o.submission_id in self.asked]
        self.asked.difference_update(mine)
        if mine:  # the receipt of what the user sent, at once (the last one when several)
            self.show_receipt(mine[-1])

    def pause(self) -> None:
        """Stop sending until the user asks again (the timer does not resume it)."""
        self.paused = True
        if self.control is not None:
            self.control.cancel()

    def take_out(self) -> None:
        """Take the selected (or shown) queued report out of the queue, back to a draft."""
        item = self.panel.ui.queueList.currentItem()
        sid = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        sid = sid or self.window.current_submission_id()
        if sid is None or self.running:
            return
        try:
            outbox.unqueue(self.ctx, int(sid))
        except (ValueError, drafts.NotFoundError):
            return
        self.window.select_submission(int(sid))  # the list and the queue heard of it

    # -------------------------------------------------------------- after sending

    def check_status(self) -> None:
        sid = self.window.current_submission_id()
        if sid is None:
            return
        ctx = self.ctx

        def done(result: Any, error: BaseException | None) -> None:
            if isinstance(error, SyncError):
                QMessageBox.warning(self.window, self.tr("The office's verdict"), self._say(error))
                return
            if error is not None or result is None:
                return
            texts = {
                "open": self.tr("The office has not received this report completely yet."),
                "received": self.tr("Received; the office has not reviewed it yet."),
                "accepted": self.tr("Accepted by the office."),
                "returned": self.tr(
                    "Returned for revision. Edit the report (that starts revision %1) and "
                    "submit it again."
                ).replace("%1", str(result.latest_revision + 1)),
            }
            text = texts.get(result.status, result.status)
            if result.comment:
                text += "\n\n" + self.tr("The office says: %1").replace("%1", result.comment)
            QMessageBox.information(self.window, self.tr("The office's verdict"), text)

        self.runner.run_task(lambda _task: outbox.check_status(ctx, sid), done)

    def show_receipt(self, submission_id: int | None = None) -> ReceiptDialog | None:
        """The receipt dialog for ``submission_id`` (the report shown by default), or a
        word that there is no receipt yet; one dialog, reused."""
        from qmclient.ui.receipt_dialog import ReceiptDialog

        sid = submission_id or self.window.current_submission_id()
        if sid is None:
            return None
        if self.receipt_dialog is None:
            self.receipt_dialog = ReceiptDialog(self.ctx, self.window.language, self.window)
        if not self.receipt_dialog.show_for(sid):
            QMessageBox.information(
                self.window, self.tr("Receipt"), self.tr("This report has no receipt yet.")
            )
            return None
        self.receipt_dialog.show()
        self.receipt_dialog.raise_()
        self.receipt_dialog.activateWindow()
        return self.receipt_dialog


def install_sending(window: Any) -> Sending:
    """Add the Send menu and the Transfers panel to ``window`` (a MainWindow)."""
    sending = Sending(window)
    window.sending = sending
    return sending
