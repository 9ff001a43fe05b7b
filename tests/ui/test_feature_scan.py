"""Modules imported after PySide6 are classified without reading their source."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

import pytest

from qmclient.ui.feature_scan import skip_source_scan, uses_pyside


def test_classified_from_globals_not_source(tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "qm_uses_qt.py").write_text(
        "from PySide6.QtCore import QObject\n\nclass Thing(QObject):\n    pass\n", "utf-8"
    )
    (tmp_path / "qm_plain.py").write_text("import json\n\nVALUE = json.dumps([1])\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert skip_source_scan()
    feature = sys.modules["shibokensupport.feature"]

    def no_source(*_a: Any, **_k: Any) -> str:
        raise AssertionError("the source was read")

    monkeypatch.setattr(inspect, "getsource", no_source)
    # import statements (builtins.__import__, which PySide6 replaced), as modules do
    uses_qt = __import__("qm_uses_qt")
    plain = __import__("qm_plain")
    try:
        assert uses_pyside(uses_qt) and not uses_pyside(plain)
        assert feature.pyside_feature_dict["qm_uses_qt"] == 0  # "no feature", switchable
        assert feature.pyside_feature_dict["qm_plain"] == -1  # "ignore this module"
    finally:
        for name in ("qm_uses_qt", "qm_plain"):
            sys.modules.pop(name, None)
            feature.pyside_feature_dict.pop(name, None)


def test_odd_module_contents_do_not_break_imports() -> None:
    class Raises:
        def __getattr__(self, name: str) -> Any:
            raise RuntimeError(name)

    module = type(sys)("qm_odd")
    module.thing = Raises()  # type: ignore[attr-defined]
    assert uses_pyside(module) is False
    with pytest.raises(RuntimeError):
        _ = module.thing.anything  # type: ignore[attr-defined]
