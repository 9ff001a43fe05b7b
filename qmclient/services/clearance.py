"""May this report go out?  The one answer for sending and exporting alike.

A report goes out — to the intake server or as files for e-mail — only when the shared
checks (:mod:`qmclient.core.validation`, plus what only this machine knows: stored files
gone from disk) find no error.  Warnings do not stop it; the face asking (window or
command line) has them confirmed once.  Exporting may still go on with errors when the
user asks for a **draft** explicitly; every output then says 草稿.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qmclient.core.validation import Finding
from qmclient.core.work import QmError
from qmclient.services import clock, drafts
from qmclient.services.context import AppContext

SHOWN = 8  # findings named in a message; the checks panel lists them all


@dataclass(frozen=True)
class Clearance:
    """The findings of one report at one moment, split as going out needs them."""

    submission_id: int
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def may_go_out(self) -> bool:
        return not self.errors


def clearance(ctx: AppContext, submission_id: int, now: dt.datetime | None = None) -> Clearance:
    """What stands between this report and going out (judged by the server's clock when
    it is known)."""
    findings = drafts.validate_submission(ctx, submission_id, now or clock.now(ctx))
    return Clearance(submission_id, tuple(findings))


class NotCleared(QmError):
    """The report has errors; it goes out only once they are fixed (or, for an export, as
    an explicit draft).  ``findings`` are the errors, first one first."""

    code = "not-cleared"

    def __init__(self, findings: list[Finding], *, what_zh: str, what_en: str) -> None:
        self.findings = findings
        zh_lines = "\n".join(f"• {f.message_zh}" for f in findings[:SHOWN])
        en_lines = "\n".join(f"• {f.message_en}" for f in findings[:SHOWN])
        more = len(findings) - SHOWN
        if more > 0:
            zh_lines += f"\n• ……另有 {more} 项"
            en_lines += f"\n• … and {more} more"
        super().__init__(
            zh=f"报告还有 {len(findings)} 项必须修改的问题，暂不能{what_zh}：\n{zh_lines}\n"
            "请先修改（“检查”面板可逐项定位）",
            en=f"the report still has {len(findings)} problem(s) to fix before it can be "
            f"{what_en}:\n{en_lines}\nfix them first (the checks panel goes to each one)",
        )
