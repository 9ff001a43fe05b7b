"""The steps of one export counted on its :class:`~qmclient.core.work.Work`: ``done`` of
``total`` steps with the file being made; a cancel ends the export with an
:class:`~qmclient.export.errors.ExportError` (code ``cancelled``)."""

from __future__ import annotations

import contextlib

from qmclient.core.work import Cancelled, Work
from qmclient.export.errors import ExportError


class ExportSteps:
    """Steps of one export reported on its :class:`Work`; a cancel ends it with an
    :class:`ExportError` (code ``cancelled``)."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self.done = 0
        self.total = 1

    def check(self) -> None:
        if self.work.cancelled:
            raise ExportError(
                "cancelled",
                zh="已取消导出，未留下任何文件",
                en="export cancelled; no file was left",
            )

    def step(self, label: str, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        with contextlib.suppress(Cancelled):  # answered just below, as an ExportError
            self.work.progress(self.done, self.total, label)
        self.check()
