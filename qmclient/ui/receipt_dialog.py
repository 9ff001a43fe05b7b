"""The receipt a unit can show: the office's signed answer to a revision it received.

:class:`ReceiptDialog` shows the receipt number, the server's time of receipt, on time or
late, the report and its files with their SHA-256, and the signature checked offline
against the office's public key (named by its key id and fingerprint).  It prints, saves
as PDF and exports the receipt (``.json`` exact, ``.txt`` for people); the printed page and
the PDF are the same document as the one shown (:func:`receipt_html`).

It opens after a send the user started (:mod:`qmclient.ui.sending`) and from the report
(the banner's *Receipt…* button, 报送 ▸ 查看回执).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qmclient.core.sizes import size_text
from qmclient.services import drafts, receipts
from qmclient.services.context import AppContext
from qmclient.sync.errors import SyncError

GOOD, BAD, LATE = "#2e7d32", "#c62828", "#ef6c00"


def _when(text: Any) -> str:
    """``2022-09-28T14:03:05.12+08:00`` as ``2022-09-28 14:03:05 (UTC+08:00)``."""
    try:
        when = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return str(text or "")
    zone = when.strftime("%z")
    zone = f" (UTC{zone[:3]}:{zone[3:]})" if zone else ""
    return when.strftime("%Y-%m-%d %H:%M:%S") + zone


class ReceiptDialog(QDialog):
    def __init__(self, ctx: AppContext, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.zh = language.startswith("zh")
        self.submission_id: int | None = None
        self.receipt: dict[str, Any] | None = None
        self.check: receipts.ReceiptCheck | None = None
        self.setWindowTitle(self.tr("Receipt"))
        self.setObjectName("receiptDialog")
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.number_label = QLabel(self)
        self.number_label.setObjectName("receiptNumber")
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.number_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.number_label.setFont(font)
        self.timing_label = QLabel(self)
        self.timing_label.setObjectName("receiptTiming")
        head.addWidget(self.number_label, 1)
        head.addWidget(self.timing_label)
        layout.addLayout(head)
        self.signature_label = QLabel(self)
        self.signature_label.setObjectName("receiptSignature")
        self.signature_label.setWordWrap(True)
        self.signature_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.signature_label)
        self.body = QTextBrowser(self)
        self.body.setOpenLinks(False)
        layout.addWidget(self.body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.pdf_button = QPushButton(self.tr("Save as &PDF…"), self)
        self.export_button = QPushButton(self.tr("&Export…"), self)
        for b in (self.print_button, self.pdf_button, self.export_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("Close"))
        self.print_button.clicked.connect(self.print_receipt)
        self.pdf_button.clicked.connect(self.choose_pdf)
        self.export_button.clicked.connect(self.export)
        layout.addWidget(buttons)

    # ------------------------------------------------------------------ content
    def show_for(self, submission_id: int) -> bool:
        """Fill the dialog with the receipt of ``submission_id``; ``False`` if none."""
        receipt = receipts.receipt_of(self.ctx, submission_id)
        if receipt is None:
            return False
        self.submission_id, self.receipt = submission_id, receipt
        self.check = receipts.verify_receipt(self.ctx, receipt)
        number = str(receipt.get("receipt_number", ""))
        self.setWindowTitle(self.tr("Receipt %1").replace("%1", number))
        self.number_label.setText(self.tr("Receipt %1").replace("%1", number))
        timing, colour = self.timing()
        self.timing_label.setText(timing)
        self.timing_label.setStyleSheet(
            f"color: white; background: {colour}; border-radius: 4px; padding: 3px 10px;"
        )
        text, colour = self.signature()
        self.signature_label.setText(text)
        self.signature_label.setStyleSheet(
            f"color: {colour}; border: 1px solid {colour}; border-radius: 4px; padding: 6px;"
        )
        self.body.setHtml(self.details_html())
        return True

    def timing(self) -> tuple[str, str]:
        assert self.receipt is not None
        if self.receipt.get("on_time"):
            return self.tr("On time"), GOOD
        hours = int(self.receipt.get("late_by_s") or 0) / 3600
        if hours >= 48:
            late = self.tr("%n day(s)", "", round(hours / 24))
        else:
            late = self.tr("%1 hour(s)").replace("%1", f"{max(hours, 0.1):.1f}")
        return self.tr("Late by about %1").replace("%1", late), LATE

    def signature(self) -> tuple[str, str]:
        """What the signature check found, naming the key; and its colour."""
        check = self.check
        assert check is not None
        key = ""
        if check.key_id:
            key = self.tr("Key %1").replace("%1", check.key_id)
            if check.fingerprint:
                key += self.tr(", fingerprint %1").replace("%1", check.fingerprint)
        texts = {
            "valid": self.tr(
                "✔ Signature valid: issued by the office and not altered since. Checked on "
                "this computer against the office's public key (%1), received when this "
                "computer connected to the intake server."
            ),
            "invalid": self.tr(
                "✘ Signature INVALID: this receipt was altered or was not issued by the "
                "office (checked against the office's key %1). Do not rely on it; ask the "
                "office."
            ),
            "unsigned": self.tr("This receipt carries no signature; ask the office for a new one."),
            "unknown-key": self.tr(
                "The signature cannot be checked: this computer does not have the office's "
                "key %1. Connect to the intake server (Send ▸ Connect to the intake server), "
                "then open the receipt again."
            ),
        }
        colour = GOOD if check.valid else (BAD if check.state == "invalid" else LATE)
        return texts[check.state].replace("%1", key or "—"), colour

    def rows(self) -> list[tuple[str, str]]:
        r = self.receipt
        assert r is not None and self.submission_id is not None
        unit: dict[str, Any] = r["unit"] if isinstance(r.get("unit"), dict) else {}
        by: dict[str, Any] = r["submitted_by"] if isinstance(r.get("submitted_by"), dict) else {}
        title = ""
        with contextlib.suppress(drafts.NotFoundError):
            title = drafts.load_report(self.ctx, self.submission_id).title
        rows = [
            (self.tr("Receipt number"), str(r.get("receipt_number", ""))),
            (self.tr("Report"), title or self.tr("(untitled report)")),
            (self.tr("Revision"), str(r.get("revision", ""))),
            (self.tr("Unit"), str(unit.get("name", ""))),
        ]
        if by.get("name") and by.get("name") != unit.get("name"):
            rows.append((self.tr("Sent on its behalf by"), str(by["name"])))
        rows += [
            (self.tr("Received (server time)"), _when(r.get("received_at_local", ""))),
            (self.tr("Deadline"), _when(r.get("due", ""))),
            (self.tr("On time or late"), self.timing()[0]),
            (self.tr("Report SHA-256"), str(r.get("report_sha256", ""))),
            (self.tr("Report number (UUID)"), str(r.get("submission_uuid", ""))),
        ]
        return rows

    def details_html(self) -> str:
        esc = html.escape
        cells = "".join(
            f"<tr><th align='left' style='padding:3px 12px 3px 0; color:#555'>{esc(k)}</th>"
            f"<td style='padding:3px 0'>{esc(v)}</td></tr>"
            for k, v in self.rows()
        )
        assert self.receipt is not None and self.submission_id is not None
        files = receipts.receipt_files(self.ctx, self.submission_id, self.receipt)
        total = sum(f.size for f in files)
        file_rows = "".join(
            f"<tr><td>{i}</td><td>{esc(f.name or '—')}</td><td>{esc(f.media_type)}</td>"
            f"<td align='right'>{esc(size_text(f.size))}</td>"
            f"<td><code style='font-size:small'>{esc(f.sha256)}</code></td></tr>"
            for i, f in enumerate(files, 1)
        )
        heading = (
            self.tr("Files (%1, %2)").replace("%1", str(len(files))).replace("%2", size_text(total))
        )
        names = (self.tr("File"), self.tr("Type"), self.tr("Size"))
        head = "".join(f"<th>{esc(n)}</th>" for n in ("#", *names, "SHA-256"))
        return (
            f"<table cellspacing='0'>{cells}</table>"
            f"<h3 style='margin-top:14px'>{esc(heading)}</h3>"
            "<table cellspacing='0' cellpadding='3' border='1' "
            "style='border-collapse:collapse; border-color:#ccc' width='100%'>"
            f"<tr style='background:#f2f2f2'>{head}</tr>{file_rows}</table>"
        )

    def receipt_html(self) -> str:
        """The whole receipt as one document: what is printed and saved as PDF."""
        esc = html.escape
        timing, colour = self.timing()
        sign, sign_colour = self.signature()
        title = self.tr("Receipt for a Quality Month report")
        return (
            "<html><body style='font-size:10pt'>"
            f"<h2>{esc(title)}</h2>"
            f"<p style='font-size:14pt'><b>{esc(self.number_label.text())}</b> &nbsp; "
            f"<span style='color:{colour}'><b>{esc(timing)}</b></span></p>"
            f"<p style='color:{sign_colour}'>{esc(sign)}</p>"
            f"{self.details_html()}</body></html>"
        )

    # ------------------------------------------------------------------ actions
    def document(self) -> QTextDocument:
        doc = QTextDocument(self)
        doc.setHtml(self.receipt_html())
        return doc

    def save_pdf(self, path: Path) -> Path:
        """The receipt as an A4 PDF (Qt's printer), for filing or showing."""
        from PySide6.QtGui import QPageSize
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setOutputFileName(str(path))
        self.document().print_(printer)
        return path

    def choose_pdf(self) -> None:
        if self.receipt is None:
            return
        name = self.tr("receipt") + f"-{self.receipt.get('receipt_number', self.submission_id)}"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the receipt as PDF"), f"{name}.pdf", "PDF (*.pdf)"
        )
        if path:
            self.save_pdf(Path(path))

    def print_receipt(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.document().print_(printer)

    def export(self) -> None:
        if self.submission_id is None or self.receipt is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the receipt"),
            self.tr("receipt") + f"-{self.receipt.get('receipt_number', self.submission_id)}.json",
            self.tr("Receipt, checkable offline (*.json);;Text (*.txt)"),
        )
        if not path:
            return
        try:
            receipts.export_receipt(
                self.ctx, self.submission_id, Path(path), "zh" if self.zh else "en"
            )
        except (SyncError, drafts.NotFoundError) as err:
            QMessageBox.warning(
                self, self.tr("Export the receipt"), err.message_zh if self.zh else err.message_en
            )
