"""The desktop app's own settings (language, data folder, window layout) in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings


class AppSettings:
    """Typed access to QSettings; give a ``QSettings`` of your own in tests."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings if qsettings is not None else QSettings("qmclient", "qmclient")

    def _str(self, key: str, default: str = "") -> str:
        value = self.q.value(key, default)
        return str(value) if value is not None else default

    @property
    def language(self) -> str:
        return self._str("language", "auto")

    @language.setter
    def language(self, value: str) -> None:
        self.q.setValue("language", value)

    @property
    def data_dir(self) -> str:
        return self._str("data_dir")

    @data_dir.setter
    def data_dir(self, value: str) -> None:
        self.q.setValue("data_dir", value)

    @property
    def last_folder(self) -> str:
        return self._str("last_folder")

    @last_folder.setter
    def last_folder(self, value: str) -> None:
        self.q.setValue("last_folder", value)

    @property
    def profile_asked(self) -> bool:
        return self._str("profile_asked", "false").lower() in ("true", "1")

    @profile_asked.setter
    def profile_asked(self, value: bool) -> None:
        self.q.setValue("profile_asked", "true" if value else "false")

    def window_state(self, key: str) -> QByteArray | None:
        value = self.q.value(f"window/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_window_state(self, key: str, value: QByteArray) -> None:
        self.q.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self.q.sync()
