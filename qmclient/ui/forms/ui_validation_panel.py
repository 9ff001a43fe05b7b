# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'validation_panel.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QMetaObject, Qt)
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QListView, QListWidget, QVBoxLayout)

class Ui_ValidationPanel(object):
    def setupUi(self, ValidationPanel):
        if not ValidationPanel.objectName():
            ValidationPanel.setObjectName(u"ValidationPanel")
        ValidationPanel.resize(360, 600)
        self.panelLayout = QVBoxLayout(ValidationPanel)
        self.panelLayout.setObjectName(u"panelLayout")
        self.summaryLabel = QLabel(ValidationPanel)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setText(u"-")
        self.summaryLabel.setWordWrap(True)

        self.panelLayout.addWidget(self.summaryLabel)

        self.findingsList = QListWidget(ValidationPanel)
        self.findingsList.setObjectName(u"findingsList")
        self.findingsList.setWordWrap(True)
        self.findingsList.setResizeMode(QListView.ResizeMode.Adjust)
        self.findingsList.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.findingsList.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.findingsList.setSpacing(2)

        self.panelLayout.addWidget(self.findingsList)


        self.retranslateUi(ValidationPanel)

        QMetaObject.connectSlotsByName(ValidationPanel)
    # setupUi

    def retranslateUi(self, ValidationPanel):
        pass
    # retranslateUi

