"""The office's answer above the report it is about, and the checks for new answers.

:class:`VerdictBanner` sits at the top of the editor page: a returned report shows the
office's comment and a button that opens the next revision with one click; an accepted one
says so.  :class:`VerdictWatcher` asks the server (one conditional request for all sent
reports) when the window starts, after a send, and every 30 minutes while it is open; a
change shows in the banner, in the status bar and as a desktop notification where the
system has a tray.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSystemTrayIcon, QWidget

from qmclient.services import connection, drafts, verdicts
from qmclient.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
POLL_MS = 30 * 60 * 1000
FIRST_POLL_MS = 4_000

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
        layout.addWidget(self.label, 1)
        layout.addWidget(self.forward)
        layout.addWidget(self.button)
        self.submission_id: int | None = None
        self.hide()

    def show_for(self, submission_id: int | None) -> None:
        self.submission_id = submission_id
        banner = verdicts.banner_for(self.main.ctx, submission_id) if submission_id else None
        if banner is None or banner.status == "received":
            self.hide()
            return
        self.setStyleSheet(f"#verdictBanner {{{STYLES[banner.status]}}}")
        self.forward.setVisible(banner.status == "returned" and self._via_inbox(submission_id))
        if banner.status == "returned":
            text = self.tr("The office returned revision %1 for revision.").replace(
                "%1", str(banner.revision)
            )
            if banner.comment:
                text += " " + self.tr("The office says: %1").replace("%1", banner.comment)
            if banner.revision_started:
                text += " " + self.tr("You are editing revision %1; send it when ready.").replace(
                    "%1", str(banner.current_revision)
                )
                self.button.hide()
            else:
                self.button.setText(
                    self.tr("Start revision %1").replace("%1", str(banner.revision + 1))
                )
                self.button.show()
        else:
            text = (
                self.tr("The office accepted revision %1 (receipt %2).")
                .replace("%1", str(banner.revision))
                .replace("%2", banner.receipt_number or "—")
            )
            self.button.hide()
        self.label.setText(text)
        self.show()

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

    def start_revision(self) -> None:
        sid = self.submission_id
        if sid is None:
            return
        drafts.start_revision(self.main.ctx, sid)  # the list and the editor hear of it
        self.main.select_submission(sid)
        self.show_for(sid)


class VerdictWatcher(QObject):
    """Asks for the office's verdicts and shows what changed."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.runner = TaskRunner(self, max_threads=1)
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
            return
        self.again = False
        ctx = self.window.ctx
        self.runner.run_task(lambda _t: verdicts.poll_verdicts(ctx), self._polled)

    def _polled(self, result: Any, error: BaseException | None) -> None:
        if self.again:
            QTimer.singleShot(0, self.poll)
        if error is not None:  # offline or not connected: asked again later
            log.info("verdicts not fetched: %s", error)
            return
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

    def close(self) -> None:
        self.timer.stop()
        self.runner.close(5000)
        if self.tray is not None:
            self.tray.hide()
