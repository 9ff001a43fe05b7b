"""The base of a big widget's parts: mixin classes, one module each, whose methods run on
the widget (the main window's report list, menus, files, checks and layout; the editor's
activities and photos tabs).

Their strings are translated in the context of the class whose method asks, as
``pyside6-lupdate`` files them: PySide's own ``tr`` tries the contexts of the instance's
classes in turn and stops at the first answer that differs from the source — for a
plural that is the first context already (``%n`` is filled in), so a part's plurals
would stay English.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication


class Part:
    def tr(self, sourceText: str, /, disambiguation: str | None = None, n: int = -1) -> str:
        """``sourceText`` translated in the context of the class of the calling method."""
        caller = sys._getframe(1).f_code.co_qualname.split(".", 1)[0]
        return QCoreApplication.translate(caller, sourceText, disambiguation, n)
