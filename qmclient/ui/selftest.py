"""``qmclient --self-test``: prove that this installation (or bundle) works, then exit.

Starts Qt offscreen, loads the translations, opens a store (a temporary data folder
unless one is given — a given one is only read: the draft is made in a copy), loads
the campaign, creates a draft with a photo, validates it, builds the first-run wizard
and the main window (saved as a PNG with ``--screenshot FILE``), and makes and checks a
backup.  Prints one line per step; exit status 0 when all pass,
1 with the failing step and why.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any


class _Steps:
    def __init__(self, zh: bool) -> None:
        self.zh = zh
        self.t0 = time.perf_counter()

    def run(self, zh: str, en: str, fn: Callable[[], Any]) -> Any:
        label = zh if self.zh else en
        try:
            result = fn()
        except Exception as exc:
            detail = getattr(exc, "message_zh" if self.zh else "message_en", None) or str(exc)
            print(f"FAIL {label}: {type(exc).__name__}: {detail}", file=sys.stderr)
            if os.environ.get("QMCLIENT_DEBUG"):
                traceback.print_exc()
            raise _Failed() from None
        note = f" — {result}" if isinstance(result, str) and result else ""
        print(f"ok   {label}{note}")
        return result


class _Failed(Exception):
    pass


def translation_files(language: str) -> list[Path]:
    from qmclient.resources import resources_dir

    folder = resources_dir() / "translations"
    return sorted(folder.glob(f"*_{language}.qm")) if folder.is_dir() else []


def run_self_test(
    data_dir: str | None = None, lang: str | None = None, screenshot: str | None = None
) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _windows_fonts_for_offscreen()
    language = "en" if (lang or "").startswith("en") else "zh_CN"
    steps = _Steps(language == "zh_CN")
    with tempfile.TemporaryDirectory(prefix="qmclient-selftest-") as tmp:
        try:
            _run(steps, Path(tmp), data_dir, language, screenshot)
        except _Failed:
            print("自检失败" if steps.zh else "self-test FAILED", file=sys.stderr)
            return 1
    took = time.perf_counter() - steps.t0
    print(f"自检通过（{took:.1f} 秒）" if steps.zh else f"self-test passed ({took:.1f} s)")
    return 0


# The English names Windows' fonts also carry (Qt's offscreen platform sees only those).
_ENGLISH_NAMES = {
    "方正小标宋简体": "FZXiaoBiaoSong-B05S",
    "仿宋_GB2312": "FangSong_GB2312",
    "黑体": "SimHei",
    "楷体_GB2312": "KaiTi_GB2312",
}


def _windows_fonts_for_offscreen() -> None:
    """On Windows, Qt's offscreen platform reads fonts only from $QT_QPA_FONTDIR (by
    default a ``fonts`` folder beside Qt's libraries, which PySide6 does not have), so it
    would see no font at all: point it at the system's font folder."""
    if sys.platform == "win32" and not os.environ.get("QT_QPA_FONTDIR"):
        windir = os.environ.get("SYSTEMROOT") or os.environ.get("WINDIR") or r"C:\Windows"
        os.environ["QT_QPA_FONTDIR"] = os.path.join(windir, "Fonts")


def _windows_font_files() -> int:
    """What the offscreen platform misses on Windows: font collections (``.ttc``, e.g.
    微软雅黑 and 宋体; Qt 6.9 reads only single fonts from its font folder) and the fonts
    installed for this user only (Windows 10 1809+ keeps them apart). Added to Qt's list:
    the window draws Chinese with them, and the Word report may use them."""
    from PySide6.QtGui import QFontDatabase

    if sys.platform != "win32":
        return 0
    system = Path(os.environ.get("QT_QPA_FONTDIR", ""))
    user = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
    files = [f for f in system.glob("*") if f.suffix.lower() == ".ttc"] if system.name else []
    if user.is_dir():
        files += [f for f in user.iterdir() if f.suffix.lower() in {".ttf", ".ttc", ".otf"}]
    return sum(QFontDatabase.addApplicationFont(str(f)) >= 0 for f in files)


def _platform_facts() -> str:
    """The OS, glibc, Qt, the fonts that can draw Chinese, and which of the Word
    report's fonts this computer has (a missing one is replaced by Word, so the report
    looks different: a fact, not a fault)."""
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QFontDatabase

    from qmclient.core import platforminfo
    from qmclient.export.docx_style import FONT_BODY, FONT_H1, FONT_H2, FONT_TITLE

    facts = platforminfo.current()
    _windows_font_files()
    families = set(QFontDatabase.families())
    fonts = [
        f"{name} {'✓' if {name, _ENGLISH_NAMES.get(name)} & families else '✗'}"
        for name in (FONT_TITLE, FONT_BODY, FONT_H1, FONT_H2)
    ]
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    shown = ", ".join(chinese[:2]) + (", …" if len(chinese) > 2 else "")
    return (
        f"{facts.describe()}; Qt {qVersion()}; Chinese fonts: {len(chinese)}"
        f"{f' ({shown})' if chinese else ' (Chinese shows as boxes)'}; fonts: {', '.join(fonts)}"
    )


def _run(
    steps: _Steps, tmp: Path, data_dir: str | None, language: str, screenshot: str | None
) -> None:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QCoreApplication, QTranslator
    from PySide6.QtGui import QColor, QGuiApplication, QImage
    from PySide6.QtWidgets import QApplication

    from qmclient import __version__

    def qt() -> str:
        app = QApplication.instance() or QApplication([sys.argv[0], "-platform", "offscreen"])
        assert isinstance(app, QGuiApplication)
        return f"qmclient {__version__}, PySide6 {pyside_version}, {app.platformName()}"

    steps.run("启动 Qt", "start Qt", qt)
    app = QCoreApplication.instance()
    assert app is not None
    steps.run("运行环境", "platform", _platform_facts)

    def translations() -> str:
        files = translation_files("zh_CN")
        if not files:
            raise RuntimeError("no zh_CN translation (*.qm) in resources/translations")
        for f in files:
            if not QTranslator().load(str(f)):
                raise RuntimeError(f"{f.name} cannot be loaded")
        from qmclient.ui.i18n import install_translators

        loaded = [Path(t.filePath()) for t in install_translators(app, language)]
        if language != "en" and not any(p.name.startswith("qtbase_") for p in loaded):
            raise RuntimeError("Qt's own zh_CN translation (qtbase_zh_CN.qm) is missing")
        if language != "en" and QCoreApplication.translate("FirstRunWizard", "Later") == "Later":
            raise RuntimeError("the translation does not translate")
        return ", ".join(p.name for p in loaded if p.name) or "en"

    steps.run("加载翻译", "load translations", translations)

    from qmclient.services import drafts
    from qmclient.services.backup import check_archive, create_backup
    from qmclient.services.context import open_context

    work_dir = tmp / "data"
    given_media: list[Path] = []  # the given folder's photos and videos, only read
    if data_dir:
        from qmclient.store.database import DB_NAME

        def open_given() -> str:
            ctx = open_context(data_dir)
            try:
                result = ctx.store.integrity_check()
                if result != "ok":
                    raise RuntimeError(f"integrity_check: {result}")
                work_dir.mkdir()
                ctx.store.backup_to(work_dir / DB_NAME)
                given_media.append(ctx.media.root)
                return str(ctx.data_dir)
            finally:
                ctx.close()

        steps.run("打开数据文件夹", "open the data folder", open_given)

    ctx = steps.run("打开数据库", "open the store", lambda: open_context(work_dir))
    try:
        campaign = steps.run("加载活动定义", "load the campaign", lambda: ctx.campaigns.default())
        print(f"     {campaign.id}: {campaign.title}")

        made: list[int] = []

        def draft() -> str:
            sid = drafts.create_draft(ctx)
            made.append(sid)
            drafts.update_fields(ctx, sid, {"summary": "自检 self-test"})
            photo = tmp / "photo.png"
            img = QImage(64, 48, QImage.Format.Format_RGB32)
            img.fill(QColor("#d9342b"))
            if not img.save(str(photo)):  # PNG, by the name
                raise RuntimeError("Qt cannot write a PNG")
            result = drafts.attach_files(ctx, sid, [photo], caption="自检")
            if result.failed or not result.added:
                raise RuntimeError(f"attaching a photo failed: {result.failed}")
            if not ctx.media.verify(result.added[0].sha256):
                raise RuntimeError("the stored photo does not match its hash")
            findings = drafts.validate_submission(ctx, sid)
            codes = sorted({f.code for f in findings})
            if not findings:
                raise RuntimeError("an incomplete draft passed validation")
            return f"#{sid}, {len(findings)} findings ({', '.join(codes[:3])}…)"

        steps.run("新建并检查草稿", "create and validate a draft", draft)

        def wizard() -> str:
            from qmclient.ui.first_run import FirstRunWizard

            w = FirstRunWizard(ctx, language)
            title = w.windowTitle()
            shot = w.grab()
            w.deleteLater()
            if shot.isNull():
                raise RuntimeError("the wizard could not be drawn")
            return title

        steps.run("显示首次设置向导", "build the first-run wizard", wizard)

        def main_window() -> str:
            from PySide6.QtCore import QSettings

            from qmclient.store.media import MediaStore
            from qmclient.ui.main_window import MainWindow
            from qmclient.ui.settings import AppSettings

            settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
            shown = ctx  # a given folder's reports with their own photos (read, not written)
            if given_media:
                shown = dataclasses.replace(ctx, media=MediaStore(given_media[0]))
                for sid in made:  # only the folder's own reports in the list (of the copy)
                    drafts.delete_submission(ctx, sid)
            w = MainWindow(shown, settings, language)
            w.resize(1200, 800)
            w.show()
            theirs = [r.id for r in drafts.list_submissions(ctx) if r.id not in made]
            if theirs:  # a given folder: its own report, not the self-test's draft
                w.select_submission(theirs[0])
            w.checker.wait()  # the live check's worker, then its answer, then the panel
            app.processEvents()
            w.validate_now()
            app.processEvents()
            shot = w.grab()
            title = w.windowTitle()
            if w.editor.report is not None:
                title = (
                    f"{title}: {w.editor.report.title}, {len(w.findings)} findings, "
                    f"{w.model.rowCount()} in the list"
                )
            w.close()
            w.deleteLater()
            if shot.isNull():
                raise RuntimeError("the main window could not be drawn")
            if screenshot and not shot.save(screenshot, "PNG"):
                raise RuntimeError(f"the picture of the window cannot be saved to {screenshot}")
            return title or "ok"

        steps.run("显示主窗口", "build the main window", main_window)

        def backup() -> str:
            archive = tmp / "backup.zip"
            made = create_backup(ctx.data_dir, archive)
            info = check_archive(archive)
            if info.files != made.files:
                raise RuntimeError("the backup does not hold every file")
            return f"{info.files} files"

        steps.run("备份并校验", "back up and check the backup", backup)
    finally:
        ctx.close()
