"""The desktop app: Qt windows, dialogs, item models and background tasks.

This package is the only one that imports Qt widgets; it calls the same services as the
command line.  Layouts live in ``forms/*.ui`` and are compiled to ``ui/forms/ui_*.py``.
"""
