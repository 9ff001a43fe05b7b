"""Thumbnails made on worker threads and handed to the GUI as ``QImage``."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from qmclient.media.thumbnails import ThumbnailCache
from qmclient.store.media import MediaError, MediaStore
from qmclient.ui.tasks import Task, TaskRunner


class ThumbnailLoader(QObject):
    ready = Signal(str, QImage)  # sha256, image
    failed = Signal(str, str)  # sha256, message (Chinese)

    def __init__(
        self, cache: ThumbnailCache, media: MediaStore, runner: TaskRunner, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.cache = cache
        self.media = media
        self.runner = runner
        self._pending: set[str] = set()

    def request(self, sha256: str, media_type: str) -> None:
        if sha256 in self._pending:
            return
        self._pending.add(sha256)
        cache, source = self.cache, self.media.path_for(sha256)

        def work(_task: Task) -> QImage:
            path = cache.ensure(sha256, source, media_type)
            image = QImage(str(path))
            if image.isNull():
                raise MediaError("damaged", path, en="preview unreadable", zh="预览图无法读取")
            return image

        def done(image: QImage | None, error: BaseException | None) -> None:
            self._pending.discard(sha256)
            if image is not None:
                self.ready.emit(sha256, image)
            else:
                message = getattr(error, "message_zh", "") or str(error)
                self.failed.emit(sha256, message)

        self.runner.run_task(work, done)

    def pending(self) -> int:
        return len(self._pending)
