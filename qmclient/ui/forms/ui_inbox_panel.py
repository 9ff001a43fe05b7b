# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'inbox_panel.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject)
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpacerItem, QTableView, QVBoxLayout)

class Ui_InboxPanel(object):
    def setupUi(self, InboxPanel):
        if not InboxPanel.objectName():
            InboxPanel.setObjectName(u"InboxPanel")
        InboxPanel.resize(900, 320)
        InboxPanel.setAcceptDrops(True)
        self.panelLayout = QVBoxLayout(InboxPanel)
        self.panelLayout.setObjectName(u"panelLayout")
        self.topRow = QHBoxLayout()
        self.topRow.setObjectName(u"topRow")
        self.filterLabel = QLabel(InboxPanel)
        self.filterLabel.setObjectName(u"filterLabel")

        self.topRow.addWidget(self.filterLabel)

        self.filterCombo = QComboBox(InboxPanel)
        self.filterCombo.setObjectName(u"filterCombo")

        self.topRow.addWidget(self.filterCombo)

        self.countsLabel = QLabel(InboxPanel)
        self.countsLabel.setObjectName(u"countsLabel")
        self.countsLabel.setText(u"-")

        self.topRow.addWidget(self.countsLabel)

        self.topSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.topRow.addItem(self.topSpacer)

        self.importButton = QPushButton(InboxPanel)
        self.importButton.setObjectName(u"importButton")

        self.topRow.addWidget(self.importButton)


        self.panelLayout.addLayout(self.topRow)

        self.itemsView = QTableView(InboxPanel)
        self.itemsView.setObjectName(u"itemsView")
        self.itemsView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.itemsView.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.itemsView.setAlternatingRowColors(True)
        self.itemsView.setSortingEnabled(True)
        self.itemsView.setWordWrap(False)
        self.itemsView.setAcceptDrops(True)

        self.panelLayout.addWidget(self.itemsView)

        self.hintLabel = QLabel(InboxPanel)
        self.hintLabel.setObjectName(u"hintLabel")
        self.hintLabel.setWordWrap(True)

        self.panelLayout.addWidget(self.hintLabel)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.checkButton = QPushButton(InboxPanel)
        self.checkButton.setObjectName(u"checkButton")

        self.buttonRow.addWidget(self.checkButton)

        self.returnButton = QPushButton(InboxPanel)
        self.returnButton.setObjectName(u"returnButton")

        self.buttonRow.addWidget(self.returnButton)

        self.showFileButton = QPushButton(InboxPanel)
        self.showFileButton.setObjectName(u"showFileButton")

        self.buttonRow.addWidget(self.showFileButton)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonSpacer)

        self.expectedButton = QPushButton(InboxPanel)
        self.expectedButton.setObjectName(u"expectedButton")

        self.buttonRow.addWidget(self.expectedButton)

        self.rollupButton = QPushButton(InboxPanel)
        self.rollupButton.setObjectName(u"rollupButton")

        self.buttonRow.addWidget(self.rollupButton)

        self.batchButton = QPushButton(InboxPanel)
        self.batchButton.setObjectName(u"batchButton")

        self.buttonRow.addWidget(self.batchButton)


        self.panelLayout.addLayout(self.buttonRow)


        self.retranslateUi(InboxPanel)

        QMetaObject.connectSlotsByName(InboxPanel)
    # setupUi

    def retranslateUi(self, InboxPanel):
        self.filterLabel.setText(QCoreApplication.translate("InboxPanel", u"Show:", None))
        self.importButton.setText(QCoreApplication.translate("InboxPanel", u"Import packages or mails\u2026", None))
        self.hintLabel.setText(QCoreApplication.translate("InboxPanel", u"Drop .qmpkg packages, .eml mails or whole folders here. Double-click a report to read it.", None))
        self.checkButton.setText(QCoreApplication.translate("InboxPanel", u"Mark checked", None))
        self.returnButton.setText(QCoreApplication.translate("InboxPanel", u"Return with comment\u2026", None))
        self.showFileButton.setText(QCoreApplication.translate("InboxPanel", u"Show file", None))
        self.expectedButton.setText(QCoreApplication.translate("InboxPanel", u"Expected units\u2026", None))
        self.rollupButton.setText(QCoreApplication.translate("InboxPanel", u"Roll-up export\u2026", None))
        self.batchButton.setText(QCoreApplication.translate("InboxPanel", u"Batch upload\u2026", None))
        pass
    # retranslateUi

