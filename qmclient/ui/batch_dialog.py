"""The batch upload dialog: N transfers at once, per-item and total progress, pause.

The work is :class:`qmclient.services.batch.BatchUploader` on a worker thread; its events
come back as task progress (queued to the GUI thread) and fill the table.  Pausing cancels
the transfers; what was sent stays sent and the rest resumes next time.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QCloseEvent, QColor
from PySide6.QtWidgets import QDialog, QHeaderView, QProgressBar, QTableWidgetItem, QWidget

from qmclient.core.sizes import size_text
from qmclient.services import batch, outbox
from qmclient.services.context import AppContext
from qmclient.sync.control import TransferControl
from qmclient.sync.errors import SyncError
from qmclient.ui.forms.ui_batch_dialog import Ui_BatchDialog
from qmclient.ui.tasks import Task, TaskRunner

COL_UNIT, COL_STATE, COL_PROGRESS, COL_NOTE = range(4)
STATE_COLOURS = {
    batch.RECEIVED: "#1e7e34",
    batch.FAILED: "#b02a37",
    batch.REFUSED: "#b02a37",
    batch.HELD: "#b8860b",
    batch.RETRYING: "#b8860b",
}


class BatchDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        submission_ids: list[int],
        language: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ids = submission_ids
        self.zh = language.startswith("zh")
        self.ui = Ui_BatchDialog()
        self.ui.setupUi(self)
        self.runner = TaskRunner(self, max_threads=1)
        self.control = TransferControl()
        self.task: Task | None = None
        self.items: list[batch.BatchItem] = []
        self.rows: dict[int, int] = {}
        self.share: dict[int, float] = {}  # submission id -> its share done, for the total
        table = self.ui.itemsTable
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels(
            [self.tr("Unit"), self.tr("State"), self.tr("Progress"), self.tr("Receipt or problem")]
        )
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(COL_NOTE, QHeaderView.ResizeMode.Stretch)
        table.setColumnWidth(COL_UNIT, 230)
        table.setColumnWidth(COL_STATE, 90)
        table.setColumnWidth(COL_PROGRESS, 180)
        try:
            endpoint = outbox.endpoint_for(self.ctx, self.ctx.campaigns.default())
            self.ui.endpointLabel.setText(self.tr("To: %1").replace("%1", endpoint))
        except SyncError as err:
            self.ui.endpointLabel.setText(err.message_zh if self.zh else err.message_en)
        self.ui.startButton.clicked.connect(self.start)
        self.ui.cancelButton.clicked.connect(self.pause)
        self.ui.closeButton.clicked.connect(self.close)
        self.ui.cancelButton.setEnabled(False)
        self._fill(batch_items_preview(ctx, submission_ids))
        self.ui.statusLabel.setText(self.tr("%n report(s) to send.", "", len(submission_ids)))

    def state_label(self, state: str) -> str:
        return {
            batch.WAITING: self.tr("Waiting"),
            batch.REFUSED: self.tr("Not sent"),
            batch.SENDING: self.tr("Sending"),
            batch.RECEIVED: self.tr("Received"),
            batch.RETRYING: self.tr("Retrying"),
            batch.FAILED: self.tr("Failed"),
            batch.HELD: self.tr("Needs you"),
            batch.STOPPED: self.tr("Paused"),
        }.get(state, state)

    def _fill(self, items: list[batch.BatchItem]) -> None:
        table = self.ui.itemsTable
        table.setRowCount(len(items))
        self.rows = {}
        for row, item in enumerate(items):
            self.rows[item.submission_id] = row
            table.setItem(row, COL_UNIT, QTableWidgetItem(item.unit_name))
            table.setItem(row, COL_STATE, QTableWidgetItem())
            table.setItem(row, COL_NOTE, QTableWidgetItem())
            bar = QProgressBar()
            bar.setTextVisible(True)
            table.setCellWidget(row, COL_PROGRESS, bar)
            self._show(item)

    def _show(self, item: batch.BatchItem) -> None:
        row = self.rows.get(item.submission_id)
        if row is None:
            return
        table = self.ui.itemsTable
        state = table.item(row, COL_STATE)
        assert state is not None
        state.setText(self.state_label(item.state))
        state.setForeground(QBrush(QColor(STATE_COLOURS.get(item.state, "#000000"))))
        bar = table.cellWidget(row, COL_PROGRESS)
        assert isinstance(bar, QProgressBar)
        if item.bytes_total:
            bar.setMaximum(1000)
            bar.setValue(int(1000 * item.bytes_done / item.bytes_total))
            bar.setFormat(f"{size_text(item.bytes_done)} / {size_text(item.bytes_total)}")
        elif item.state == batch.RECEIVED:
            bar.setMaximum(1)
            bar.setValue(1)
            bar.setFormat("100%")
        note = item.receipt_number and self.tr("Receipt %1").replace("%1", item.receipt_number)
        if not note:
            note = item.message_zh if self.zh else item.message_en
        cell = table.item(row, COL_NOTE)
        assert cell is not None
        cell.setText(note)
        cell.setToolTip(note)

    # -- running
    def start(self) -> None:
        self.ui.startButton.setEnabled(False)
        self.ui.cancelButton.setEnabled(True)
        self.control.reset()
        self.ui.statusLabel.setText(self.tr("Checking and queueing…"))

        def work(task: Task) -> list[batch.BatchItem]:
            items = batch.queue_batch(self.ctx, self.ids)
            for item in items:
                task.post(batch.BatchEvent(item, 0, len(items), 0, 0))
            # how many at once is the program's choice, from the reports' number and size
            return batch.BatchUploader(
                self.ctx, items, on_event=task.post, control=self.control
            ).run()

        self.task = self.runner.run_task(work, self._done, on_progress=self._event)

    def _event(self, event: Any) -> None:
        if not isinstance(event, batch.BatchEvent):
            return
        self._show(event.item)
        item = event.item
        if item.state == batch.RECEIVED:
            self.share[item.submission_id] = 1.0
        elif item.bytes_total:
            self.share[item.submission_id] = 0.99 * item.bytes_done / item.bytes_total
        bar = self.ui.totalBar
        bar.setMaximum(1000)
        bar.setValue(int(1000 * sum(self.share.values()) / max(event.items_total, 1)))
        self.ui.statusLabel.setText(
            self.tr("%1 of %2 reports done · %3 sent")
            .replace("%1", str(event.items_done))
            .replace("%2", str(event.items_total))
            .replace("%3", size_text(event.bytes_done))
        )

    def _done(self, items: list[batch.BatchItem] | None, error: BaseException | None) -> None:
        self.task = None
        self.ui.cancelButton.setEnabled(False)
        self.ui.startButton.setEnabled(True)
        self.ui.startButton.setText(self.tr("Try again"))
        if error is not None:
            self.ui.statusLabel.setText(str(error))
            return
        self.items = items or []
        for item in self.items:
            self._show(item)
        ok = sum(1 for i in self.items if i.state == batch.RECEIVED)
        if ok == len(self.items) and self.items:
            self.ui.statusLabel.setText(self.tr("All %n report(s) received.", "", len(self.items)))
            self.ui.totalBar.setMaximum(1)
            self.ui.totalBar.setValue(1)
            return
        self.ui.statusLabel.setText(
            self.tr("%1 of %2 reports received; the others keep their place in the queue.")
            .replace("%1", str(ok))
            .replace("%2", str(len(self.items)))
        )

    def pause(self) -> None:
        self.control.cancel()
        self.ui.statusLabel.setText(self.tr("Pausing…"))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.control.cancel()
        self.runner.close(30_000)
        event.accept()


def batch_items_preview(ctx: AppContext, ids: list[int]) -> list[batch.BatchItem]:
    """The rows shown before starting: unit names, nothing queued yet."""
    from qmclient.services import drafts

    names = {r.id: r.unit_name for r in drafts.list_submissions(ctx)}
    return [batch.BatchItem(i, names.get(i, str(i))) for i in ids]
