"""The office's answer above the report it is about, and the checks for new answers.

:class:`VerdictBanner` sits at the top of the editor page: a returned report shows the
office's comment and a button that opens the next revision with one click; an accepted or
received one says so, with its receipt number and a button that opens the receipt.
:class:`VerdictWatcher` asks the server (one conditional request for all sent reports) when
the window starts, when it comes back online, after a send, and every 30 minutes while it
is open; a change shows in the banner, in the status bar and as a desktop notification
where the system has a tray.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSystemTrayIcon, QWidget

from qmclient.services import connection, drafts, verdicts
from qmclient.sync.errors import SyncError
from qmclient.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
POLL_MS = 30 * 60 * 1000
FIRST_POLL_MS = 4_000
PROBE_MS = 60_000  # while offline: how often to try the server again

STYLES = {
    "returned": "background: #fff4e5; border: 1px solid #f0b45a; border-radius: 4px;",
    "accepted": "background: #e8f5e9; border: 1px solid #81c784; border-radius: 4px;",
    "received": "background: #e8f0fe; border: 1px solid #8ab4f8; border-radius: 4px;",
}


class VerdictBanner(QFrame):
    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main = window
        self.setObjectName("verdictBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.start_revision)
        self.forward = QPushButton(self.tr("Forward to the unit…"), self)
        self.forward.clicked.connect(self.forward_return)
        self.receipt_button = QPushButton(self.tr("Receipt…"), self)
        self.receipt_button.clicked.connect(self.open_receipt)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.forward)
        layout.addWidget(self.receipt_button)
        layout.addWidget(self.button)
        self.submission_id: int | None = None
        self.hide()

    def show_for(self, submission_id: int | None) -> None:
        self.submission_id = submission_id
        banner = verdicts.banner_for(self.main.ctx, submission_id) if submission_id else None
        if banner is None or (banner.status == "received" and not banner.receipt_number):
            self.hide()
            return
        self.setStyleSheet(f"#verdictBanner {{{STYLES[banner.status]}}}")
        self.forward.setVisible(banner.status == "returned" and self._via_inbox(submission_id))
        self.receipt_button.setVisible(bool(banner.receipt_number))
        if banner.status == "returned":
            text = self.tr("The office returned revision %1 for revision.").replace(
                "%1", str(banner.revision)
            )
            if banner.comment:
                text = _joined(text, self.tr("The office says: %1").replace("%1", banner.comment))
            if banner.revision_started:
                text = _joined(text, self._editing(banner.current_revision))
                self.button.hide()
            else:
                self.button.setText(
                    self.tr("Start revision %1").replace("%1", str(banner.revision + 1))
                )
                self.button.show()
        elif banner.status == "accepted":
            text = (
                self.tr("The office accepted revision %1 (receipt %2).")
                .replace("%1", str(banner.revision))
                .replace("%2", banner.receipt_number or "—")
            )
            self.button.hide()
        else:
            text = (
                self.tr("Revision %1 was received by the office: receipt %2.")
                .replace("%1", str(banner.revision))
                .replace("%2", banner.receipt_number)
            )
            if banner.revision_started:
                text = _joined(text, self._editing(banner.current_revision))
            self.button.hide()
        self.label.setText(text)
        self.show()

    def _editing(self, revision: int) -> str:
        return self.tr("You are editing revision %1; send it when ready.").replace(
            "%1", str(revision)
        )

    def _via_inbox(self, submission_id: int | None) -> bool:
        """A report the coordinator received from a unit (its inbox holds it)."""
        from sqlalchemy import select

        from qmclient.store.models import InboxItem

        with self.main.ctx.store.read() as s:
            q = select(InboxItem.id).where(InboxItem.submission_id == submission_id)
            return s.scalars(q).first() is not None

    def forward_return(self) -> None:
        """Pass the office's return on to the unit: a .qmnote with the office's comment."""
        if self.submission_id is None:
            return
        note = verdicts.forward_return(self.main.ctx, self.submission_id)
        if note is not None:
            self.main.statusBar().showMessage(
                self.tr("The return note for the unit is in %1; send it to the unit.").replace(
                    "%1", str(note)
                ),
                30_000,
            )
            self.forward.hide()

    def open_receipt(self) -> None:
        if self.submission_id is not None:
            self.main.sending.show_receipt(self.submission_id)

    def start_revision(self) -> None:
        sid = self.submission_id
        if sid is None:
            return
        drafts.start_revision(self.main.ctx, sid)  # the list and the editor hear of it
        self.main.select_submission(sid)
        self.show_for(sid)


class VerdictWatcher(QObject):
    """Asks for the office's verdicts and shows what changed.

    It asks at start, after a send, every 30 minutes, and when the computer comes back
    online: a check that fails for the network or the server marks it offline (a note in
    the status bar); from then on it asks again when the system reports the network
    reachable (``QNetworkInformation``, where the platform has a backend) and, whatever
    the platform, every :data:`PROBE_MS` — the first answer that arrives is the coming
    online, and brings the verdicts missed meanwhile."""

    cameOnline = Signal()
    wentOffline = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.runner = TaskRunner(self, max_threads=1)
        self.offline = False
        self.probe = QTimer(self, interval=PROBE_MS)
        self.probe.timeout.connect(self.poll)
        self.reachability: Any = None  # QNetworkInformation, loaded when first offline
        self.offline_label = QLabel(window)
        self.offline_label.setObjectName("offlineLabel")
        self.offline_label.setStyleSheet("color: #c62828")
        self.offline_label.hide()
        window.statusBar().addPermanentWidget(self.offline_label)
        self.banner = VerdictBanner(window)
        window.ui.editorPageLayout.insertWidget(0, self.banner)
        window.submissionChanged.connect(lambda sid: self.banner.show_for(sid or None))
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(window.windowIcon(), self)
            self.tray.show()
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        QTimer.singleShot(FIRST_POLL_MS, self.poll)
        self.last: list[verdicts.Verdict] = []
        self.again = False

    def poll(self) -> None:
        if self.runner.busy():  # asked while a check runs: one more right after it
            self.again = True
            return
        if not connection.state(self.window.ctx).connected:
            if self.offline:  # disconnected meanwhile: nothing to wait for
                self.offline = False
                self.probe.stop()
                self.offline_label.hide()
            return
        self.again = False
        ctx = self.window.ctx
        self.runner.run_task(lambda _t: verdicts.poll_verdicts(ctx), self._polled)

    def _polled(self, result: Any, error: BaseException | None) -> None:
        if self.again:
            QTimer.singleShot(0, self.poll)
        if error is not None:  # offline or not connected: asked again later
            log.info("verdicts not fetched: %s", error)
            if not isinstance(error, SyncError) or (error.retryable and error.unreached):
                self.went_offline()
            return
        if self.offline:
            self._back_online()
        changes = [v for v in result or [] if v.status in ("returned", "accepted")]
        self.last = changes
        if not changes:
            return
        # the list and the editor have heard of the new statuses (announced when the poll
        # ended, before this callback)
        current = self.window.current_submission_id()
        self.banner.show_for(current)
        for v in changes:
            title = v.title or self.tr("(untitled report)")
            if v.status == "returned":
                text = self.tr("The office returned “%1” for revision.").replace("%1", title)
                if v.comment:
                    text += " " + v.comment
            else:
                text = self.tr("The office accepted “%1”.").replace("%1", title)
            self.window.statusBar().showMessage(text, 30_000)
            if self.tray is not None:
                self.tray.showMessage(self.tr("The office's verdict"), text)

    # -------------------------------------------------------------- offline / online

    def went_offline(self) -> None:
        """The network or the server failed a request: ask again when it is back."""
        if self.offline:
            return
        self.offline = True
        self.offline_label.setText(
            self.tr(
                "The intake server cannot be reached; the office's answers are fetched when it is back."
            )
        )
        self.offline_label.show()
        self.probe.start()
        self._watch_reachability()
        self.wentOffline.emit()

    def _back_online(self) -> None:
        self.offline = False
        self.probe.stop()
        self.offline_label.hide()
        self.window.statusBar().showMessage(
            self.tr("Connected again: the office's answers were fetched."), 10_000
        )
        self.cameOnline.emit()

    def _watch_reachability(self) -> None:
        """The system's word on the network, where Qt has a backend for it (NetworkManager,
        GLib, Windows' Network List Manager, macOS' path monitor)."""
        if self.reachability is not None:
            return
        from PySide6.QtNetwork import QNetworkInformation

        try:
            if not QNetworkInformation.loadDefaultBackend():
                return
        except RuntimeError:
            return
        info = QNetworkInformation.instance()
        if info is None:
            return
        self.reachability = info
        info.reachabilityChanged.connect(self.reachability_changed)

    def reachability_changed(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        reachable = (
            QNetworkInformation.Reachability.Site,
            QNetworkInformation.Reachability.Online,
        )
        if self.offline and reachability in reachable:  # an office on the intranet: Site
            self.poll()

    def close(self) -> None:
        self.probe.stop()
        self.timer.stop()
        self.runner.close(5000)
        if self.tray is not None:
            self.tray.hide()


def _joined(first: str, second: str) -> str:
    """Two sentences in a row: a space after a Latin full stop, none after 。 or ："""
    return first + ("" if first.endswith(("。", "：", "；", "！", "？")) else " ") + second
