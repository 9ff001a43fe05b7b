"""Undoable structural edits: removing photos/videos and removing an activity.

Each step's writes are made inside ``hold()`` (:meth:`StoreChanges.holding`), so the
views hear of them once, when the step is complete."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from qmclient.core.report import Activity, MediaRef
from qmclient.services import drafts
from qmclient.services.context import AppContext

Hold = Callable[[], AbstractContextManager[None]]


class RemoveMediaCommand(QUndoCommand):
    def __init__(self, ctx: AppContext, submission_id: int, shas: list[str], hold: Hold, text: str):
        super().__init__(text)
        self.ctx = ctx
        self.submission_id = submission_id
        self.shas = shas
        self.hold = hold
        self.refs: list[MediaRef] = []

    def redo(self) -> None:
        with self.hold():
            self.refs = [drafts.remove_media(self.ctx, self.submission_id, s) for s in self.shas]

    def undo(self) -> None:
        with self.hold():
            for ref in self.refs:
                drafts.restore_media(self.ctx, self.submission_id, ref)


class RemoveActivityCommand(QUndoCommand):
    """Removing an activity unlinks its media; undo brings both back in place."""

    def __init__(
        self,
        ctx: AppContext,
        submission_id: int,
        activity: Activity,
        index: int,
        hold: Hold,
    ):
        text = QCoreApplication.translate("Undo", "Remove activity “%1”")
        super().__init__(text.replace("%1", activity.name))
        self.ctx = ctx
        self.submission_id = submission_id
        self.activity = activity
        self.index = index
        self.hold = hold
        self.linked: list[str] = []

    def redo(self) -> None:
        report = drafts.load_report(self.ctx, self.submission_id)
        self.linked = [m.sha256 for m in report.media if m.activity_id == self.activity.id]
        with self.hold():
            drafts.remove_activity(self.ctx, self.activity.id)

    def undo(self) -> None:
        data = {
            k: v
            for k, v in dataclasses.asdict(self.activity).items()
            if k in drafts.ACTIVITY_FIELDS
        }
        with self.hold():
            new_id = drafts.add_activity(self.ctx, self.submission_id, data)
            drafts.move_activity(self.ctx, new_id, self.index)
            for sha in self.linked:
                drafts.update_media(self.ctx, self.submission_id, sha, activity_id=new_id)
        self.activity = dataclasses.replace(self.activity, id=new_id)
