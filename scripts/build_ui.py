#!/usr/bin/env python3
"""Regenerate what is built from the desktop app's sources, or check that it is current.

    python scripts/build_ui.py          # forms/*.ui -> qmclient/ui/forms/ui_*.py (pyside6-uic),
                                        # update the .ts files (pyside6-lupdate), compile .qm
    python scripts/build_ui.py --check  # exit 1 and say what is stale; changes nothing

The translations' sources are the hand-written modules of qmclient/ui and the .ui forms
(not the generated ui_*.py, which would repeat the forms' strings).
"""

from __future__ import annotations

import argparse
import ast
import filecmp
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"
GENERATED = ROOT / "qmclient" / "ui" / "forms"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e .)")
    return found


def uic(ui: Path, out: Path) -> None:
    subprocess.run([tool("pyside6-uic"), str(ui), "-o", str(out)], check=True)
    out.write_text(prune_imports(out.read_text(encoding="utf-8")), encoding="utf-8")


def prune_imports(code: str) -> str:
    """Keep only the Qt names a generated form uses.  pyside6-uic imports some thirty
    classes whatever the form holds, and PySide6 builds each class on its first import:
    the unused ones cost the main window a few milliseconds of its start-up."""
    tree = ast.parse(code)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    lines = code.splitlines(keepends=True)
    for node in reversed(tree.body):
        if not isinstance(node, ast.ImportFrom) or node.end_lineno is None:
            continue
        names = [alias.name for alias in node.names if alias.name in used]
        text = f"from {node.module} import ({', '.join(names)})\n" if names else ""
        lines[node.lineno - 1 : node.end_lineno] = [text]
    return "".join(lines)


def sources() -> list[str]:
    py = sorted(str(p) for p in (ROOT / "qmclient" / "ui").glob("*.py"))
    return py + sorted(str(p) for p in FORMS.glob("*.ui"))


def ts_path(lang: str) -> Path:
    return TRANSLATIONS / f"qmclient_{lang}.ts"


def lupdate(ts: Path) -> None:
    subprocess.run(
        [tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none", "-ts", str(ts)],
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def messages(ts: Path) -> dict[tuple[str, str, str], ET.Element]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            out[key] = message
    return out


def unfinished(ts: Path) -> list[tuple[str, str, str]]:
    bad = []
    for key, message in messages(ts).items():
        tr = message.find("translation")
        if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete"):
            bad.append(key)
            continue
        texts = [n.text for n in tr.iter("numerusform")] or [tr.text]
        if not all(t and t.strip() for t in texts):
            bad.append(key)
    return bad


def check() -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for ui in sorted(FORMS.glob("*.ui")):
            target = GENERATED / f"ui_{ui.stem}.py"
            fresh = tmpdir / target.name
            uic(ui, fresh)
            if not target.exists() or not filecmp.cmp(fresh, target, shallow=False):
                problems.append(f"{target.relative_to(ROOT)} is stale: run scripts/build_ui.py")
        for ui in sorted(GENERATED.glob("ui_*.py")):
            if not (FORMS / f"{ui.stem[3:]}.ui").exists():
                problems.append(f"{ui.relative_to(ROOT)} has no form in forms/")
        for lang in LANGUAGES:
            ts = ts_path(lang)
            copy = tmpdir / ts.name
            shutil.copyfile(ts, copy)
            lupdate(copy)
            if set(messages(copy)) != set(messages(ts)):
                new = set(messages(copy)) - set(messages(ts))
                gone = set(messages(ts)) - set(messages(copy))
                problems.append(
                    f"{ts.relative_to(ROOT)} is out of date ({len(new)} new, {len(gone)} gone "
                    f"strings, e.g. {sorted(new or gone)[:3]}): run scripts/build_ui.py"
                )
            missing = unfinished(ts)
            if missing:
                problems.append(
                    f"{ts.relative_to(ROOT)}: {len(missing)} untranslated, e.g. {missing[:3]}"
                )
            qm = ts.with_suffix(".qm")
            fresh_qm = tmpdir / qm.name
            lrelease(ts, fresh_qm)
            if not qm.exists() or not filecmp.cmp(fresh_qm, qm, shallow=False):
                problems.append(f"{qm.relative_to(ROOT)} is stale: run scripts/build_ui.py")
    return problems


def build() -> None:
    GENERATED.mkdir(parents=True, exist_ok=True)
    for ui in sorted(FORMS.glob("*.ui")):
        uic(ui, GENERATED / f"ui_{ui.stem}.py")
    for lang in LANGUAGES:
        ts = ts_path(lang)
        lupdate(ts)
        lrelease(ts, ts.with_suffix(".qm"))
        left = unfinished(ts)
        if left:
            print(f"{ts.name}: {len(left)} strings still to translate", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; change nothing")
    args = parser.parse_args()
    if args.check:
        problems = check()
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
