# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'transfers_panel.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QProgressBar, QPushButton, QTreeWidget, QVBoxLayout)

class Ui_TransfersPanel(object):
    def setupUi(self, TransfersPanel):
        if not TransfersPanel.objectName():
            TransfersPanel.setObjectName(u"TransfersPanel")
        TransfersPanel.resize(380, 520)
        self.panelLayout = QVBoxLayout(TransfersPanel)
        self.panelLayout.setObjectName(u"panelLayout")
        self.stateLabel = QLabel(TransfersPanel)
        self.stateLabel.setObjectName(u"stateLabel")
        self.stateLabel.setWordWrap(True)

        self.panelLayout.addWidget(self.stateLabel)

        self.totalBar = QProgressBar(TransfersPanel)
        self.totalBar.setObjectName(u"totalBar")
        self.totalBar.setValue(0)

        self.panelLayout.addWidget(self.totalBar)

        self.speedLabel = QLabel(TransfersPanel)
        self.speedLabel.setObjectName(u"speedLabel")
        self.speedLabel.setText(u"")

        self.panelLayout.addWidget(self.speedLabel)

        self.filesTree = QTreeWidget(TransfersPanel)
        self.filesTree.setObjectName(u"filesTree")
        self.filesTree.setRootIsDecorated(False)
        self.filesTree.setUniformRowHeights(True)

        self.panelLayout.addWidget(self.filesTree)

        self.messageLabel = QLabel(TransfersPanel)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setText(u"")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.panelLayout.addWidget(self.messageLabel)

        self.buttonsLayout = QHBoxLayout()
        self.buttonsLayout.setObjectName(u"buttonsLayout")
        self.pauseButton = QPushButton(TransfersPanel)
        self.pauseButton.setObjectName(u"pauseButton")

        self.buttonsLayout.addWidget(self.pauseButton)

        self.resumeButton = QPushButton(TransfersPanel)
        self.resumeButton.setObjectName(u"resumeButton")

        self.buttonsLayout.addWidget(self.resumeButton)

        self.cancelButton = QPushButton(TransfersPanel)
        self.cancelButton.setObjectName(u"cancelButton")

        self.buttonsLayout.addWidget(self.cancelButton)


        self.panelLayout.addLayout(self.buttonsLayout)

        self.queueTitle = QLabel(TransfersPanel)
        self.queueTitle.setObjectName(u"queueTitle")

        self.panelLayout.addWidget(self.queueTitle)

        self.queueList = QListWidget(TransfersPanel)
        self.queueList.setObjectName(u"queueList")
        self.queueList.setWordWrap(True)

        self.panelLayout.addWidget(self.queueList)


        self.retranslateUi(TransfersPanel)

        QMetaObject.connectSlotsByName(TransfersPanel)
    # setupUi

    def retranslateUi(self, TransfersPanel):
        self.stateLabel.setText(QCoreApplication.translate("TransfersPanel", u"Nothing is being sent.", None))
        ___qtreewidgetitem = self.filesTree.headerItem()
        ___qtreewidgetitem.setText(2, QCoreApplication.translate("TransfersPanel", u"Size", None))
        ___qtreewidgetitem.setText(1, QCoreApplication.translate("TransfersPanel", u"Sent", None))
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("TransfersPanel", u"File", None))
        self.pauseButton.setText(QCoreApplication.translate("TransfersPanel", u"&Pause", None))
        self.resumeButton.setText(QCoreApplication.translate("TransfersPanel", u"&Send now", None))
        self.cancelButton.setText(QCoreApplication.translate("TransfersPanel", u"&Take out of queue", None))
        self.queueTitle.setText(QCoreApplication.translate("TransfersPanel", u"Waiting to be sent", None))
        pass
    # retranslateUi

