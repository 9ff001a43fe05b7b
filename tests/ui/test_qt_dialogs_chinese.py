"""Every kind of Qt dialog the app opens speaks Chinese in zh_CN: file dialogs (open, save,
folder), message boxes with their standard buttons, the input and progress dialogs and the
wizard's buttons.  (The app opens no print or colour dialog.)"""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QTreeView,
    QWidget,
    QWizard,
    QWizardPage,
)

ENGLISH = re.compile(r"[A-Za-z]{2,}")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _english(dialog: QWidget) -> list[str]:
    """Visible texts with English words in them (paths and filters aside); and the dialog
    must show Chinese (an empty translation would pass the first check)."""
    found = []
    chinese = 0
    for w in dialog.findChildren(QWidget):
        if not w.isVisibleTo(dialog):
            continue
        texts = []
        if isinstance(w, QLabel | QAbstractButton):
            texts.append(w.text())
        if w.toolTip():
            texts.append(w.toolTip())
        if isinstance(w, QTreeView) and w.model() is not None:
            model = w.model()
            texts += [
                str(model.headerData(i, Qt.Orientation.Horizontal))
                for i in range(model.columnCount())
            ]
        found += [t for t in texts if ENGLISH.search(t.replace("&", ""))]
        chinese += sum(1 for t in texts if CHINESE.search(t))
    assert chinese >= 2, f"{type(dialog).__name__} shows no Chinese"
    return found


@pytest.mark.parametrize("mode", ["open", "save", "folder"])
def test_file_dialogs(qtbot: Any, mode: str, tmp_path: Any) -> None:
    # "Look in:" and "Files of type:" stayed English: Qt's catalogue lacks "&Look in:"
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "查找范围(&L)："
    # and every other string still comes from the catalogues behind it
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "查找范围："
    dialog = QFileDialog(None, "选择", str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
    else:
        dialog.setNameFilter("照片和视频 (*.jpg *.mp4)")
    dialog.show()
    assert _english(dialog) == []
    types = dialog.findChild(QComboBox, "fileTypeCombo")
    assert not ENGLISH.search(types.currentText().split("(")[0]), types.currentText()


def test_message_box_buttons(qtbot: Any) -> None:
    buttons = QMessageBox.StandardButton
    every = buttons.NoButton
    for b in (buttons.Yes, buttons.No, buttons.Ok, buttons.Cancel, buttons.Save,
              buttons.Discard, buttons.Close, buttons.Retry, buttons.Ignore, buttons.Abort,
              buttons.Open, buttons.Apply, buttons.Reset):  # fmt: skip
        every |= b
    box = QMessageBox(QMessageBox.Icon.Question, "标题", "正文", every)
    qtbot.addWidget(box)
    box.setDetailedText("详细信息")
    box.show()
    assert _english(box) == []


def test_input_progress_and_wizard(qtbot: Any) -> None:
    dialogs: list[QWidget] = []
    text = QInputDialog()
    text.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    dialogs.append(text)
    dialogs.append(QProgressDialog("正在处理…", "取消", 0, 10))
    wizard = QWizard()
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    dialogs.append(wizard)
    for d in dialogs:
        qtbot.addWidget(d)
        d.show()
        assert _english(d) == [], type(d).__name__
