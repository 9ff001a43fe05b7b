"""Imports after PySide6 without reading every module's source.

Once ``PySide6.QtCore`` is imported, every module imported afterwards is passed to
``shibokensupport.feature.feature_imported``, which calls ``_mod_uses_pyside``: it reads
the module's *source file* (``inspect.getsource``) and searches it for "PySide6", to know
whether ``from __feature__ import snake_case`` may apply to it.  qmclient never uses
``__feature__``, and the source reading made loading the store behind the window
(SQLAlchemy is some 300 modules) about a fifth slower, and every dialog's first opening
with it.  :func:`skip_source_scan` answers the same question from the module's globals
instead: a module uses PySide6 when it holds a PySide6 module, class or function.
"""

from __future__ import annotations

import sys
from types import ModuleType


def uses_pyside(module: ModuleType) -> bool:
    """Whether ``module`` holds anything from PySide6 (the answer the source search gives
    for modules that import it)."""
    try:
        values = list(vars(module).values())
    except TypeError:
        return False
    for value in values:
        try:
            name = getattr(value, "__module__", None) or getattr(value, "__name__", "")
        except Exception:  # an object whose attributes raise: not PySide6's
            continue
        if isinstance(name, str) and name.startswith("PySide6"):
            return True
    return False


def skip_source_scan() -> bool:
    """Replace PySide6's source search with :func:`uses_pyside`; ``False`` when this
    PySide6 has no such search (nothing to do)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 - a private name
    return True
