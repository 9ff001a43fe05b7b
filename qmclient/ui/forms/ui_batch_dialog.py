# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'batch_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QSpacerItem, QTableWidget, QVBoxLayout)

class Ui_BatchDialog(object):
    def setupUi(self, BatchDialog):
        if not BatchDialog.objectName():
            BatchDialog.setObjectName(u"BatchDialog")
        BatchDialog.resize(820, 520)
        self.dialogLayout = QVBoxLayout(BatchDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.optionsRow = QHBoxLayout()
        self.optionsRow.setObjectName(u"optionsRow")
        self.endpointLabel = QLabel(BatchDialog)
        self.endpointLabel.setObjectName(u"endpointLabel")
        self.endpointLabel.setText(u"-")
        self.endpointLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.optionsRow.addWidget(self.endpointLabel)

        self.optionsSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.optionsRow.addItem(self.optionsSpacer)


        self.dialogLayout.addLayout(self.optionsRow)

        self.itemsTable = QTableWidget(BatchDialog)
        self.itemsTable.setObjectName(u"itemsTable")
        self.itemsTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.itemsTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.itemsTable.setAlternatingRowColors(True)
        self.itemsTable.setWordWrap(False)

        self.dialogLayout.addWidget(self.itemsTable)

        self.totalBar = QProgressBar(BatchDialog)
        self.totalBar.setObjectName(u"totalBar")
        self.totalBar.setValue(0)

        self.dialogLayout.addWidget(self.totalBar)

        self.statusLabel = QLabel(BatchDialog)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setText(u"-")
        self.statusLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.statusLabel)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonSpacer)

        self.startButton = QPushButton(BatchDialog)
        self.startButton.setObjectName(u"startButton")

        self.buttonRow.addWidget(self.startButton)

        self.cancelButton = QPushButton(BatchDialog)
        self.cancelButton.setObjectName(u"cancelButton")

        self.buttonRow.addWidget(self.cancelButton)

        self.closeButton = QPushButton(BatchDialog)
        self.closeButton.setObjectName(u"closeButton")

        self.buttonRow.addWidget(self.closeButton)


        self.dialogLayout.addLayout(self.buttonRow)


        self.retranslateUi(BatchDialog)

        self.startButton.setDefault(True)


        QMetaObject.connectSlotsByName(BatchDialog)
    # setupUi

    def retranslateUi(self, BatchDialog):
        BatchDialog.setWindowTitle(QCoreApplication.translate("BatchDialog", u"Batch upload", None))
        self.startButton.setText(QCoreApplication.translate("BatchDialog", u"Start", None))
        self.cancelButton.setText(QCoreApplication.translate("BatchDialog", u"Pause", None))
        self.closeButton.setText(QCoreApplication.translate("BatchDialog", u"Close", None))
    # retranslateUi

