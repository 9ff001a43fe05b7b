"""The live checks of the report shown in the main window: run after each save on a
worker thread, shown in the checks panel, and a finding leads to its field.

A part of :class:`~qmclient.ui.main_window.MainWindow` (its methods run on the window).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from qmclient.ui.parts import Part

if TYPE_CHECKING:
    from qmclient.core.validation import Finding
    from qmclient.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class WindowChecks(Part):
    def _after_save(self: MainWindow) -> None:
        # while files are coming in, the check waits for the end of the import: each check
        # reads the whole report, and would slow the import down
        if not self.importer.busy():
            self._validate_timer.start()

    def validate_now(self: MainWindow, show: bool = False) -> list[Finding]:
        from qmclient.services import drafts

        submission_id = self.editor.submission_id
        if submission_id is None:
            self.findings = []
            self.panel.show_findings(None)
            return []
        self.editor.flush()
        self._check_serial += 1  # a background check started before is now out of date
        self.findings = drafts.validate_submission(self.store_ctx, submission_id, self.clock())
        self.panel.show_findings(self.findings)
        if show:
            self.ui.validationDock.show()
            self.ui.validationDock.raise_()
            errors = sum(1 for f in self.findings if f.severity == "error")
            self.statusBar().showMessage(
                self.tr("%n problem(s) to fix.", "", errors)
                if errors
                else self.tr("Nothing is missing."),
                8000,
            )
        return self.findings

    def validate_later(self: MainWindow) -> None:
        """The live check after an edit: saved text first (on the write executor: the
        check is asked again when the store announces it), then the checks on a worker
        thread; requests made meanwhile are merged into one more run."""
        if self.ctx is None:  # the checks start once the store is attached
            return
        submission_id = self.editor.submission_id
        if submission_id is None:
            self.validate_now()
            return
        if self._checking:
            self._check_again = True
            return
        if self.editor.pending:  # saved first, off the GUI thread; its announcement asks again
            self.editor.autosave.save_later()
            return
        self._checking = True
        self._check_serial += 1
        serial, ctx, now = self._check_serial, self.store_ctx, self.clock()

        def check(_task: Any) -> list[Finding]:
            from qmclient.services import drafts

            return drafts.validate_submission(ctx, submission_id, now)

        def show(findings: list[Finding] | None, error: BaseException | None) -> None:
            self._checking = False
            current = serial == self._check_serial and submission_id == self.editor.submission_id
            if findings is not None and current:
                self.findings = findings
                self.panel.show_findings(findings)
            elif error is not None:
                log.warning("checking the report failed: %r", error)
            if self._check_again:
                self._check_again = False
                self.validate_later()

        self.checker.run_task(check, show)

    def jump_to(self: MainWindow, finding: Finding, *, open_editor: bool = False) -> bool:
        return bool(self.editor.focus_path(finding.path, finding.ref, open_editor=open_editor))
