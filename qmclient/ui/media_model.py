"""The photos and videos of one report, as the items of a thumbnail grid.

Captions are edited in place (``setData``), items are reordered by dragging inside the
grid, and files dropped from the file manager are handed on by :attr:`filesDropped`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
    QIcon,
    QImage,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import QPlainTextEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from qmclient.core.report import MediaRef
from qmclient.core.sizes import size_text
from qmclient.ui.formatting import duration
from qmclient.ui.icons import icon

MEDIA_MIME = "application/x-qmclient-media"
SHA_ROLE = Qt.ItemDataRole.UserRole + 1
ICON_SIZE = 160
Index = QModelIndex | QPersistentModelIndex


def local_paths(mime: QMimeData) -> list[Path]:
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


def file_drop(event: QDropEvent) -> list[Path]:
    """The local files a drag carries, the drag accepted for them; ``[]`` (and the drag
    left to the widget) when it carries none, as when text is dragged."""
    paths = local_paths(event.mimeData())
    if paths:
        event.acceptProposedAction()
    return paths


class FileDropCatcher(QObject):
    """Files dropped on a line edit are added to the report (``dropped``), not typed into
    it as ``file:///…`` text; dragged text still goes in as text."""

    dropped = Signal(list)  # [Path, ...]

    def watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            assert isinstance(event, QDropEvent)
            paths = file_drop(event)
            if paths:
                if kind == QEvent.Type.Drop:
                    self.dropped.emit(paths)
                return True
        return super().eventFilter(watched, event)


class FileDropTextEdit(QPlainTextEdit):
    """The same for a text area (the summary, a promoted widget of the editor's form).
    Its drops arrive on its viewport; catching them here, not with an event filter on
    the viewport, keeps Python from asking for the viewport: the first such request of a
    process makes PySide build every widget class of QtWidgets (some 40 ms) to learn
    which one the viewport is."""

    filesDropped = Signal(list)  # [Path, ...]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not file_drop(event):
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not file_drop(event):
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = file_drop(event)
        if paths:
            self.filesDropped.emit(paths)
        else:
            super().dropEvent(event)


class MediaDelegate(QStyledItemDelegate):
    """Every cell has the same size, so the grid needs no per-item measuring (which asks
    the model for every item's text and picture: slow with hundreds of photos)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(ICON_SIZE + 20, ICON_SIZE + 58)


class MediaModel(QAbstractListModel):
    captionEdited = Signal(str, str)  # sha256, caption
    orderChanged = Signal(list)  # [sha256, ...]
    filesDropped = Signal(list)  # [Path, ...]
    thumbnailWanted = Signal(str, str)  # sha256, media type

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[MediaRef] = []
        self.activity_names: dict[str, str] = {}
        self._pixmaps: dict[str, QPixmap] = {}
        self._broken: dict[str, str] = {}
        self._placeholder: QIcon | None = None

    # -- content
    def set_items(self, items: list[MediaRef], activity_names: dict[str, str]) -> None:
        """Show ``items``; files added at the end (an import in progress) are inserted, so
        the view keeps its scroll position and selection, anything else resets."""
        new = sorted(items, key=lambda m: m.position)
        old = self.shas()
        names_same = activity_names == self.activity_names
        if names_same and len(new) >= len(old) and [m.sha256 for m in new[: len(old)]] == old:
            changed = [i for i, m in enumerate(new[: len(old)]) if m != self.items[i]]
            for i in changed:
                self.items[i] = new[i]
                self.dataChanged.emit(self.index(i), self.index(i))
            if len(new) > len(old):
                self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
                self.items.extend(new[len(old) :])
                self.endInsertRows()
            return
        self.beginResetModel()
        self.items = new
        self.activity_names = activity_names
        self.endResetModel()

    def shas(self) -> list[str]:
        return [m.sha256 for m in self.items]

    def row_of(self, sha256: str) -> int:
        return next((i for i, m in enumerate(self.items) if m.sha256 == sha256), -1)

    def set_thumbnail(self, sha256: str, image: QImage) -> None:
        row = self.row_of(sha256)
        ref = self.items[row] if row >= 0 else None
        pixmap = self._framed(image)
        if ref is not None and ref.kind == "video":
            pixmap = self._with_video_badge(pixmap, ref.duration_s)
        self._pixmaps[sha256] = pixmap
        if row >= 0:
            idx = self.index(row)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])

    def set_broken(self, sha256: str, message: str) -> None:
        self._broken[sha256] = message
        row = self.row_of(sha256)
        if row >= 0:
            idx = self.index(row)
            self.dataChanged.emit(idx, idx)

    def has_thumbnail(self, sha256: str) -> bool:
        return sha256 in self._pixmaps

    @staticmethod
    def _framed(image: QImage) -> QPixmap:
        """The picture shrunk into a fixed square, centred and standing on its bottom
        edge, so the grid lines up and each caption sits right under its picture."""
        app = QGuiApplication.instance()
        ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        side = int(ICON_SIZE * ratio)
        scaled = image.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        canvas = QPixmap(side, side)
        canvas.fill(Qt.GlobalColor.transparent)
        painter = QPainter(canvas)
        painter.drawImage((side - scaled.width()) // 2, side - scaled.height(), scaled)
        painter.end()
        canvas.setDevicePixelRatio(ratio)
        return canvas

    @staticmethod
    def _with_video_badge(pixmap: QPixmap, seconds: float | None) -> QPixmap:
        out = QPixmap(pixmap)
        ratio = out.devicePixelRatio()
        side = int(out.width() / ratio)
        painter = QPainter(out)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = "► " + (duration(seconds) or "")
        font = QFont(painter.font())
        font.setPixelSize(max(12, side // 12))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        w = metrics.horizontalAdvance(text) + 12
        h = metrics.height() + 6
        box = QRect(8, side - h - 8, w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(QColor("white"))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.end()
        return out

    def _broken_icon(self) -> QIcon:
        return icon("error")

    def _placeholder_icon(self) -> QIcon:
        if self._placeholder is None:
            pm = QPixmap(QSize(ICON_SIZE, ICON_SIZE))
            pm.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pm)
            painter.setBrush(QColor("#eeeeee"))
            painter.setPen(QColor("#d0d0d0"))
            painter.drawRoundedRect(QRect(8, 24, ICON_SIZE - 16, ICON_SIZE - 48), 6, 6)
            painter.end()
            self._placeholder = QIcon(pm)
        return self._placeholder

    # -- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return (
            base
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        m = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = m.caption.strip() or self.tr("(no caption) %1").replace("%1", m.original_name)
            activity = self.activity_names.get(m.activity_id or "")
            return f"{text}\n【{activity}】" if activity else text
        if role == Qt.ItemDataRole.EditRole:
            return m.caption
        if role == SHA_ROLE:
            return m.sha256
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self._pixmaps.get(m.sha256)
            if pixmap is not None:
                return pixmap
            if m.sha256 in self._broken:
                return self._broken_icon()
            self.thumbnailWanted.emit(m.sha256, m.media_type)
            return self._placeholder_icon()
        if role == Qt.ItemDataRole.ForegroundRole and not m.caption.strip():
            return QBrush(QColor("#9e9e9e"))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [m.original_name, size_text(m.size)]
            if m.width and m.height:
                lines.append(f"{m.width} × {m.height}")
            if m.kind == "video" and m.duration_s is not None:
                lines.append(self.tr("Video, %1").replace("%1", duration(m.duration_s)))
            activity = self.activity_names.get(m.activity_id or "")
            if activity:
                lines.append(self.tr("Activity: %1").replace("%1", activity))
            if m.sha256 in self._broken:
                lines.append(self._broken[m.sha256])
            return "\n".join(lines)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        m = self.items[index.row()]
        text = str(value).strip()
        if text == m.caption:
            return False
        m.caption = text
        self.dataChanged.emit(index, index)
        self.captionEdited.emit(m.sha256, text)
        return True

    # -- drag and drop
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MEDIA_MIME, "text/uri-list"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        shas = [self.items[i.row()].sha256 for i in sorted(indexes, key=lambda i: i.row())]
        mime.setData(MEDIA_MIME, QByteArray("\n".join(shas).encode("ascii")))
        return mime

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(MEDIA_MIME) or bool(local_paths(data))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if data.hasFormat(MEDIA_MIME):
            moving = bytes(data.data(MEDIA_MIME).data()).decode("ascii").split("\n")
            target = parent.row() if parent.isValid() else (row if row >= 0 else len(self.items))
            self.move_to(moving, target)
            return False  # the items moved here; the view must not remove anything
        paths = local_paths(data)
        if paths:
            self.filesDropped.emit(paths)
            return True
        return False

    def move_to(self, shas: list[str], target_row: int) -> None:
        """Put the items ``shas`` (in their order) before the item now at ``target_row``."""
        moving = [m for m in self.items if m.sha256 in shas]
        if not moving:
            return
        anchor = self.items[target_row].sha256 if 0 <= target_row < len(self.items) else None
        rest = [m for m in self.items if m.sha256 not in shas]
        at = next((i for i, m in enumerate(rest) if m.sha256 == anchor), len(rest))
        new = rest[:at] + moving + rest[at:]
        if [m.sha256 for m in new] == self.shas():
            return
        self.beginResetModel()
        self.items = new
        for i, m in enumerate(self.items):
            m.position = i
        self.endResetModel()
        self.orderChanged.emit(self.shas())
