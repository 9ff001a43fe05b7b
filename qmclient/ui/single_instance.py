"""One window per data folder: a second start brings the first window to the front.

The first instance takes the data folder's lock (:class:`~qmclient.store.lock.DataDirLock`)
and, once its window is up (painted, and the editor open), listens on a local socket named
after the folder.  A later instance cannot take the lock; it connects to that socket
(trying for a few seconds, the first may still be starting), asks the first to show
itself, and exits without opening the store.  Usage in ``run_app``::

    guard = claim_data_dir(data_dir, zh)   # None: another instance has the folder
    ...
    guard.activated.connect(lambda: bring_to_front(window))
    guard.listen()   # once the window is up: see run_app
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from qmclient.store.lock import DataDirLock, instance_key

if TYPE_CHECKING:  # QtNetwork loads after the first paint
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

HELLO = b"qmclient:activate\n"
CONNECT_MS = 2000
FIRST_STARTING_S = 5.0  # how long a later start waits for the first one to listen


class SingleInstance(QObject):
    activated = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.key = instance_key(data_dir)
        self.lock = DataDirLock(data_dir)
        self.server: QLocalServer | None = None
        self.handed_over = False  # a later instance: the first one was asked to show itself

    def start(self) -> bool:
        """``True``: this is the first instance (keep going; call :meth:`listen` soon).
        ``False``: another one owns the folder; it was asked to come to the front when it
        answered."""
        give_up = time.monotonic() + FIRST_STARTING_S
        while not self.lock.acquire():
            if self._notify_first():
                self.handed_over = True
                return False
            if time.monotonic() > give_up:
                return False
            time.sleep(0.1)  # the first instance listens once its window is up
        return True

    def listen(self) -> None:
        """Answer later starts from now on."""
        from PySide6.QtNetwork import QLocalServer

        if self.server is not None or not self.lock.held:
            return
        QLocalServer.removeServer(self.key)  # a socket left by a crashed instance
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(self.key):
            print(
                f"qmclient: cannot listen on {self.key}: {self.server.errorString()}",
                file=sys.stderr,
            )
        self.server.newConnection.connect(self._on_connection)

    def _notify_first(self) -> bool:
        from PySide6.QtNetwork import QLocalSocket

        sock = QLocalSocket()
        sock.connectToServer(self.key)
        if not sock.waitForConnected(CONNECT_MS):
            return False
        sock.write(HELLO)
        sock.flush()
        sock.waitForBytesWritten(CONNECT_MS)
        sock.disconnectFromServer()
        return True

    def _on_connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(conn.deleteLater)

    def _read(self, conn: QLocalSocket) -> None:
        if bytes(conn.readAll().data()).startswith(HELLO.strip()):
            self.activated.emit()

    def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.release()


def bring_to_front(window: QWidget) -> None:
    window.show()
    window.setWindowState(
        (window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
    )
    window.raise_()
    window.activateWindow()


def claim_data_dir(data_dir: str | None, zh: bool) -> SingleInstance | None:
    """For ``run_app``: the guard of this data folder, or ``None`` when another qmclient
    has it (that window was brought to the front, or the user was told why not)."""
    from PySide6.QtWidgets import QMessageBox

    from qmclient.store.location import resolve_data_dir

    guard = SingleInstance(resolve_data_dir(data_dir).absolute())
    if guard.start():
        return guard
    if not guard.handed_over:
        QMessageBox.information(
            None,
            "qmclient",
            "另一个 qmclient 程序（例如正在进行的恢复）正在使用该数据文件夹，请稍后再试。"
            if zh
            else "Another qmclient program (a restore, perhaps) is using this data folder; "
            "try again in a moment.",
        )
    return None
