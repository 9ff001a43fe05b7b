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

# Strings of Qt's own dialogs whose current source text Qt's zh_CN catalogue does not
# carry: Qt's file dialog now says "&Look in:" and "Files of &type:" (with mnemonics),
# qtbase_zh_CN.qm still translates only "Look in:" and "Files of type:" — so those two
# labels stayed English in an otherwise Chinese dialog.  Checked for every Qt dialog the
# app opens by tests/ui/test_qt_dialogs_chinese.py.
QT_GAPS: dict[str, dict[tuple[str, str], str]] = {
    "zh_CN": {
        ("QFileDialog", "&Look in:"): "查找范围(&L)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    }
}


class GapTranslator(QTranslator):
    """Answers only for the strings in its table (Qt's catalogue gaps), passes on the rest."""

    def __init__(self, table: dict[tuple[str, str], str], parent: QCoreApplication) -> None:
        super().__init__(parent)
        self.table = table

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null string) lets Qt ask the next translator; "" would be an answer
        return self.table.get((context, source))

    def isEmpty(self) -> bool:
        return not self.table


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
    gaps = GapTranslator(QT_GAPS.get(language, {}), app)
    if not gaps.isEmpty():
        app.installTranslator(gaps)
        installed.append(gaps)
    return installed


def is_chinese(language: str) -> bool:
    return language.startswith("zh")


_current = "en"


def current_language() -> str:
    """The language the translators were installed for (``en`` before that)."""
    return _current
