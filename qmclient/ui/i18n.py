"""Which language the window speaks, and loading its Qt translations.

English is the source language of every string; ``zh_CN`` is the complete translation and
the default wherever the system locale is Chinese or unknown (``C``/``POSIX``).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from qmclient.resources import resources_dir

LANGUAGES = ("zh_CN", "en")
ENV_LANG = "QMCLIENT_LANG"


def normalise(value: str | None) -> str | None:
    """``zh``, ``zh_CN``, ``zh-CN.UTF-8`` → ``zh_CN``; ``en*`` → ``en``; else ``None``."""
    if not value:
        return None
    low = value.strip().lower().replace("-", "_")
    if low.startswith("zh"):
        return "zh_CN"
    if low.startswith("en"):
        return "en"
    return None


def choose_language(
    requested: str | None = None, setting: str | None = None, system: str | None = None
) -> str:
    """The language to use: the command line, then ``$QMCLIENT_LANG``, the settings
    ("auto" means none), and last the system locale."""
    for candidate in (requested, os.environ.get(ENV_LANG), setting):
        chosen = normalise(candidate)
        if chosen:
            return chosen
    name = system if system is not None else QLocale.system().name()
    if not name or name in ("C", "POSIX") or name.lower().startswith("zh"):
        return "zh_CN"
    return "en"


def translations_dir() -> str:
    return str(resources_dir() / "translations")


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load qmclient's and Qt's own translations (standard buttons, dialogs)."""
    global _current
    _current = language
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    ours = QTranslator(app)
    if ours.load(f"qmclient_{language}", translations_dir()):
        app.installTranslator(ours)
        installed.append(ours)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for base in ("qtbase", "qt"):
        qt = QTranslator(app)
        if qt.load(f"{base}_{language}", qt_dir):
            app.installTranslator(qt)
            installed.append(qt)
            break
    return installed


def is_chinese(language: str) -> bool:
    return language.startswith("zh")


_current = "en"


def current_language() -> str:
    """The language the translators were installed for (``en`` before that)."""
    return _current
