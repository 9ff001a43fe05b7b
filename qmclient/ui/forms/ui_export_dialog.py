# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'export_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QRadioButton, QSizePolicy, QSpacerItem, QSpinBox, QTreeWidget, QVBoxLayout, QWidget)

class Ui_ExportDialog(object):
    def setupUi(self, ExportDialog):
        if not ExportDialog.objectName():
            ExportDialog.setObjectName(u"ExportDialog")
        ExportDialog.resize(760, 640)
        self.mainLayout = QVBoxLayout(ExportDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.folderLayout = QHBoxLayout()
        self.folderLayout.setObjectName(u"folderLayout")
        self.folderLabel = QLabel(ExportDialog)
        self.folderLabel.setObjectName(u"folderLabel")

        self.folderLayout.addWidget(self.folderLabel)

        self.folderEdit = QLineEdit(ExportDialog)
        self.folderEdit.setObjectName(u"folderEdit")

        self.folderLayout.addWidget(self.folderEdit)

        self.browseButton = QPushButton(ExportDialog)
        self.browseButton.setObjectName(u"browseButton")

        self.folderLayout.addWidget(self.browseButton)


        self.mainLayout.addLayout(self.folderLayout)

        self.whatBox = QGroupBox(ExportDialog)
        self.whatBox.setObjectName(u"whatBox")
        self.whatLayout = QGridLayout(self.whatBox)
        self.whatLayout.setObjectName(u"whatLayout")
        self.docxCheck = QCheckBox(self.whatBox)
        self.docxCheck.setObjectName(u"docxCheck")
        self.docxCheck.setChecked(True)

        self.whatLayout.addWidget(self.docxCheck, 0, 0, 1, 1)

        self.xlsxCheck = QCheckBox(self.whatBox)
        self.xlsxCheck.setObjectName(u"xlsxCheck")
        self.xlsxCheck.setChecked(True)

        self.whatLayout.addWidget(self.xlsxCheck, 0, 1, 1, 1)

        self.emlCheck = QCheckBox(self.whatBox)
        self.emlCheck.setObjectName(u"emlCheck")
        self.emlCheck.setChecked(True)

        self.whatLayout.addWidget(self.emlCheck, 1, 0, 1, 1)

        self.packageCheck = QCheckBox(self.whatBox)
        self.packageCheck.setObjectName(u"packageCheck")
        self.packageCheck.setChecked(True)

        self.whatLayout.addWidget(self.packageCheck, 1, 1, 1, 1)

        self.onePerRowCheck = QCheckBox(self.whatBox)
        self.onePerRowCheck.setObjectName(u"onePerRowCheck")

        self.whatLayout.addWidget(self.onePerRowCheck, 2, 0, 1, 2)


        self.mainLayout.addWidget(self.whatBox)

        self.mailBox = QGroupBox(ExportDialog)
        self.mailBox.setObjectName(u"mailBox")
        self.mailLayout = QGridLayout(self.mailBox)
        self.mailLayout.setObjectName(u"mailLayout")
        self.downscaleCheck = QCheckBox(self.mailBox)
        self.downscaleCheck.setObjectName(u"downscaleCheck")
        self.downscaleCheck.setChecked(True)

        self.mailLayout.addWidget(self.downscaleCheck, 0, 0, 1, 1)

        self.sideSpin = QSpinBox(self.mailBox)
        self.sideSpin.setObjectName(u"sideSpin")
        self.sideSpin.setMinimum(800)
        self.sideSpin.setMaximum(6000)
        self.sideSpin.setSingleStep(200)
        self.sideSpin.setValue(2000)

        self.mailLayout.addWidget(self.sideSpin, 0, 1, 1, 1)

        self.qualityLabel = QLabel(self.mailBox)
        self.qualityLabel.setObjectName(u"qualityLabel")

        self.mailLayout.addWidget(self.qualityLabel, 0, 2, 1, 1)

        self.qualitySpin = QSpinBox(self.mailBox)
        self.qualitySpin.setObjectName(u"qualitySpin")
        self.qualitySpin.setMinimum(30)
        self.qualitySpin.setMaximum(95)
        self.qualitySpin.setValue(85)

        self.mailLayout.addWidget(self.qualitySpin, 0, 3, 1, 1)

        self.videoLabel = QLabel(self.mailBox)
        self.videoLabel.setObjectName(u"videoLabel")

        self.mailLayout.addWidget(self.videoLabel, 1, 0, 1, 4)

        self.reencodeRadio = QRadioButton(self.mailBox)
        self.reencodeRadio.setObjectName(u"reencodeRadio")
        self.reencodeRadio.setChecked(True)

        self.mailLayout.addWidget(self.reencodeRadio, 2, 0, 1, 2)

        self.omitRadio = QRadioButton(self.mailBox)
        self.omitRadio.setObjectName(u"omitRadio")

        self.mailLayout.addWidget(self.omitRadio, 2, 2, 1, 2)


        self.mainLayout.addWidget(self.mailBox)

        self.previewLabel = QLabel(ExportDialog)
        self.previewLabel.setObjectName(u"previewLabel")

        self.mainLayout.addWidget(self.previewLabel)

        self.previewTree = QTreeWidget(ExportDialog)
        self.previewTree.setObjectName(u"previewTree")
        self.previewTree.setRootIsDecorated(False)
        self.previewTree.setUniformRowHeights(True)

        self.mainLayout.addWidget(self.previewTree)

        self.messageLabel = QLabel(ExportDialog)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.mainLayout.addWidget(self.messageLabel)

        self.progressBar = QProgressBar(ExportDialog)
        self.progressBar.setObjectName(u"progressBar")
        self.progressBar.setValue(0)

        self.mainLayout.addWidget(self.progressBar)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.openFolderButton = QPushButton(ExportDialog)
        self.openFolderButton.setObjectName(u"openFolderButton")

        self.buttonLayout.addWidget(self.openFolderButton)

        self.goToProblemButton = QPushButton(ExportDialog)
        self.goToProblemButton.setObjectName(u"goToProblemButton")

        self.buttonLayout.addWidget(self.goToProblemButton)

        self.draftCheck = QCheckBox(ExportDialog)
        self.draftCheck.setObjectName(u"draftCheck")

        self.buttonLayout.addWidget(self.draftCheck)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonLayout.addItem(self.buttonSpacer)

        self.exportButton = QPushButton(ExportDialog)
        self.exportButton.setObjectName(u"exportButton")

        self.buttonLayout.addWidget(self.exportButton)

        self.cancelButton = QPushButton(ExportDialog)
        self.cancelButton.setObjectName(u"cancelButton")

        self.buttonLayout.addWidget(self.cancelButton)

        self.closeButton = QPushButton(ExportDialog)
        self.closeButton.setObjectName(u"closeButton")

        self.buttonLayout.addWidget(self.closeButton)


        self.mainLayout.addLayout(self.buttonLayout)

#if QT_CONFIG(shortcut)
        self.folderLabel.setBuddy(self.folderEdit)
        self.qualityLabel.setBuddy(self.qualitySpin)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.folderEdit, self.browseButton)
        QWidget.setTabOrder(self.browseButton, self.docxCheck)
        QWidget.setTabOrder(self.docxCheck, self.xlsxCheck)
        QWidget.setTabOrder(self.xlsxCheck, self.emlCheck)
        QWidget.setTabOrder(self.emlCheck, self.packageCheck)
        QWidget.setTabOrder(self.packageCheck, self.downscaleCheck)
        QWidget.setTabOrder(self.downscaleCheck, self.sideSpin)
        QWidget.setTabOrder(self.sideSpin, self.qualitySpin)
        QWidget.setTabOrder(self.qualitySpin, self.reencodeRadio)
        QWidget.setTabOrder(self.reencodeRadio, self.omitRadio)
        QWidget.setTabOrder(self.omitRadio, self.onePerRowCheck)
        QWidget.setTabOrder(self.onePerRowCheck, self.previewTree)
        QWidget.setTabOrder(self.previewTree, self.goToProblemButton)
        QWidget.setTabOrder(self.goToProblemButton, self.draftCheck)
        QWidget.setTabOrder(self.draftCheck, self.exportButton)
        QWidget.setTabOrder(self.exportButton, self.cancelButton)
        QWidget.setTabOrder(self.cancelButton, self.closeButton)

        self.retranslateUi(ExportDialog)

        self.exportButton.setDefault(True)


        QMetaObject.connectSlotsByName(ExportDialog)
    # setupUi

    def retranslateUi(self, ExportDialog):
        ExportDialog.setWindowTitle(QCoreApplication.translate("ExportDialog", u"Export the report", None))
        self.folderLabel.setText(QCoreApplication.translate("ExportDialog", u"Save in folder", None))
        self.browseButton.setText(QCoreApplication.translate("ExportDialog", u"Browse\u2026", None))
        self.whatBox.setTitle(QCoreApplication.translate("ExportDialog", u"What to produce", None))
        self.docxCheck.setText(QCoreApplication.translate("ExportDialog", u"Word summary (.docx, official document format)", None))
        self.xlsxCheck.setText(QCoreApplication.translate("ExportDialog", u"Excel table of the activities (.xlsx)", None))
        self.emlCheck.setText(QCoreApplication.translate("ExportDialog", u"E-mail drafts (.eml, split to fit the mail size limit)", None))
        self.packageCheck.setText(QCoreApplication.translate("ExportDialog", u"Report package (.qmpkg, for the district or a backup)", None))
        self.onePerRowCheck.setText(QCoreApplication.translate("ExportDialog", u"Word: one photo a row, larger (default: two a row)", None))
        self.mailBox.setTitle(QCoreApplication.translate("ExportDialog", u"Photos and videos in the e-mails", None))
        self.downscaleCheck.setText(QCoreApplication.translate("ExportDialog", u"Make photos smaller, long side", None))
        self.sideSpin.setSuffix(QCoreApplication.translate("ExportDialog", u" px", None))
        self.qualityLabel.setText(QCoreApplication.translate("ExportDialog", u"JPEG quality", None))
        self.videoLabel.setText(QCoreApplication.translate("ExportDialog", u"A video too large for one e-mail:", None))
        self.reencodeRadio.setText(QCoreApplication.translate("ExportDialog", u"Re-encode it smaller", None))
        self.omitRadio.setText(QCoreApplication.translate("ExportDialog", u"Leave it out, with a note in the mail", None))
        self.previewLabel.setText(QCoreApplication.translate("ExportDialog", u"What will be produced", None))
        ___qtreewidgetitem = self.previewTree.headerItem()
        ___qtreewidgetitem.setText(2, QCoreApplication.translate("ExportDialog", u"Note", None))
        ___qtreewidgetitem.setText(1, QCoreApplication.translate("ExportDialog", u"Size", None))
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("ExportDialog", u"File", None))
        self.openFolderButton.setText(QCoreApplication.translate("ExportDialog", u"Open folder", None))
        self.goToProblemButton.setText(QCoreApplication.translate("ExportDialog", u"Go to the first problem", None))
        self.draftCheck.setText(QCoreApplication.translate("ExportDialog", u"Export as a draft (marked \u8349\u7a3f)", None))
        self.exportButton.setText(QCoreApplication.translate("ExportDialog", u"Export", None))
        self.cancelButton.setText(QCoreApplication.translate("ExportDialog", u"Cancel", None))
        self.closeButton.setText(QCoreApplication.translate("ExportDialog", u"Close", None))
    # retranslateUi

