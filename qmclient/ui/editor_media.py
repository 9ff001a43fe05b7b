"""The photos and videos tab of the report editor: the thumbnail grid, captions, order,
removing (with undo), assigning to an activity and opening a file.

A part of :class:`~qmclient.ui.editor.Editor` (its methods run on the editor).
"""

from __future__ import annotations

import os
import shutil
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QImage, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QListView, QMenu, QMessageBox

from qmclient.ui.icons import icon
from qmclient.ui.media_model import ICON_SIZE, SHA_ROLE, MediaDelegate
from qmclient.ui.parts import Part

if TYPE_CHECKING:
    from qmclient.ui.editor import Editor


class EditorMedia(Part):
    def _setup_media(self: Editor) -> None:
        ui = self.ui
        view: QListView = ui.mediaView
        view.setModel(self.media)
        self.media_delegate = MediaDelegate(view)
        view.setItemDelegate(self.media_delegate)
        view.setUniformItemSizes(True)
        view.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        view.setGridSize(QSize(ICON_SIZE + 28, ICON_SIZE + 64))
        view.setMovement(QListView.Movement.Static)
        view.setDragEnabled(True)
        view.setAcceptDrops(True)  # and so its viewport
        view.setDropIndicatorShown(True)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        view.setDefaultDropAction(Qt.DropAction.MoveAction)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        view.doubleClicked.connect(lambda idx: self.open_media(idx.row()))
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._media_menu)
        ui.addMediaButton.clicked.connect(self.addFilesRequested)
        ui.addMediaButton.setIcon(icon("add-media"))
        ui.openMediaButton.clicked.connect(lambda: self.open_media())
        ui.removeMediaButton.clicked.connect(self.remove_selected_media)
        ui.mediaLeftButton.clicked.connect(lambda: self.move_media(-1))
        ui.mediaRightButton.clicked.connect(lambda: self.move_media(+1))
        for key, step in (("Alt+Left", -1), ("Alt+Right", +1)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, s=step: self.move_media(s))
            view.addAction(action)

    # ------------------------------------------------------------------ media
    def selected_media(self: Editor) -> list[str]:
        rows = sorted(i.row() for i in self.ui.mediaView.selectionModel().selectedIndexes())
        return [self.media.items[r].sha256 for r in rows if r < len(self.media.items)]

    def _select_media(self: Editor, shas: list[str]) -> None:
        selection = self.ui.mediaView.selectionModel()
        selection.clearSelection()
        for sha in shas:
            row = self.media.row_of(sha)
            if row >= 0:
                selection.select(self.media.index(row), QItemSelectionModel.SelectionFlag.Select)

    def _thumbnail_ready(self: Editor, sha: str, image: QImage) -> None:
        self.media.set_thumbnail(sha, image)

    def _caption_edited(self: Editor, sha: str, caption: str) -> None:
        if self.submission_id is not None and self.ctx is not None:
            from qmclient.services import drafts

            drafts.update_media(self.ctx, self.submission_id, sha, caption=caption)

    def _order_changed(self: Editor, shas: list[str]) -> None:
        if self.submission_id is not None and self.ctx is not None:
            from qmclient.services import drafts

            drafts.reorder_media(self.ctx, self.submission_id, shas)

    def move_media(self: Editor, step: int) -> None:
        selected = self.selected_media()
        if not selected or self.ctx is None:
            return
        order = self.media.shas()
        rows = [order.index(s) for s in selected]
        target = min(rows) - 1 if step < 0 else max(rows) + 2
        if target < 0 or target > len(order):
            return
        self.media.move_to(selected, target)
        self._select_media(selected)

    def remove_selected_media(self: Editor) -> None:
        shas = self.selected_media()
        if self.submission_id is None or self.ctx is None or not shas:
            return
        from qmclient.ui.undo_commands import RemoveMediaCommand

        text = self.tr("Remove %n photo(s) or video(s)", "", len(shas))
        self.undo.push(
            RemoveMediaCommand(self.ctx, self.submission_id, shas, self.changes.holding, text)
        )
        self.message.emit(self.tr("%n file(s) removed. Undo with Ctrl+Z.", "", len(shas)))

    def assign_media(self: Editor, shas: list[str], activity_id: str | None) -> None:
        if self.submission_id is None or self.ctx is None:
            return
        from qmclient.services import drafts

        with self.changes.holding():  # shown once, when all are assigned
            for sha in shas:
                drafts.update_media(self.ctx, self.submission_id, sha, activity_id=activity_id)

    def openable_path(self: Editor, sha: str) -> Path:
        """The stored file under its original name (a hard link, so nothing is copied)."""
        row = self.media.row_of(sha)
        name = self.media.items[row].original_name if row >= 0 else sha
        assert self.ctx is not None, "files are opened once the store is there"
        from qmclient.services import drafts

        stored = drafts.media_path(self.ctx, sha)
        dest = self.ctx.data_dir / "opened" / sha[:16] / (Path(name).name or sha)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(stored, dest)
            except OSError:
                try:
                    os.symlink(stored, dest)
                except OSError:
                    shutil.copyfile(stored, dest)
        return dest

    def open_media(self: Editor, row: int = -1) -> bool:
        shas = [self.media.items[row].sha256] if row >= 0 else self.selected_media()[:1]
        if not shas or self.ctx is None:
            return False
        try:
            path = self.openable_path(shas[0])
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Cannot open the file"), str(exc))
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _media_menu(self: Editor, pos: Any) -> None:
        shas = self.selected_media()
        if not shas or self.report is None or self.ctx is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self.open_media())
        index = self.ui.mediaView.indexAt(pos)
        if index.isValid():
            menu.addAction(self.tr("Edit caption"), lambda: self.ui.mediaView.edit(index))
        assign = menu.addMenu(self.tr("Belongs to activity"))
        assign.addAction(self.tr("(none)"), lambda: self.assign_media(shas, None))
        for n, a in enumerate(self.report.activities, 1):
            label = f"{n}. {a.name or self.tr('(no name)')}"
            assign.addAction(label, partial(self.assign_media, shas, a.id))
        menu.addSeparator()
        menu.addAction(self.tr("Move earlier"), lambda: self.move_media(-1))
        menu.addAction(self.tr("Move later"), lambda: self.move_media(+1))
        menu.addSeparator()
        menu.addAction(self.tr("Remove"), self.remove_selected_media)
        menu.popup(self.ui.mediaView.viewport().mapToGlobal(pos))

    def media_index_of(self: Editor, sha: str) -> Any:
        return self.media.index(self.media.row_of(sha))

    def sha_at(self: Editor, row: int) -> str:
        return str(self.media.data(self.media.index(row), SHA_ROLE))
