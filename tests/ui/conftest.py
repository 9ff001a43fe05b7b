"""Fixtures for driving the real main window offscreen: settings in a temp file, the
zh_CN translation installed, helpers for real drops and modal dialogs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from qmclient.services.context import AppContext
from qmclient.ui.i18n import install_translators
from qmclient.ui.settings import AppSettings

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session", autouse=True)
def zh_translation(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "zh_CN")
    yield
    for t in translators:
        qapp.removeTranslator(t)


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(qtbot: Any, settings: AppSettings) -> Iterator[Callable[[AppContext], Any]]:
    from qmclient.ui.main_window import MainWindow

    opened: list[MainWindow] = []

    def make(context: AppContext) -> MainWindow:
        window = MainWindow(context, settings, "zh_CN")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        opened.append(window)
        return window

    yield make
    for window in opened:
        if window.isVisible():
            window.close()


@pytest.fixture
def window(make_window: Callable[[AppContext], Any], ctx: AppContext) -> Any:
    return make_window(ctx)
