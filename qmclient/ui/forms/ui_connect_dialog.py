# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'connect_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QCheckBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout)

class Ui_ConnectDialog(object):
    def setupUi(self, ConnectDialog):
        if not ConnectDialog.objectName():
            ConnectDialog.setObjectName(u"ConnectDialog")
        ConnectDialog.resize(600, 300)
        self.connectLayout = QVBoxLayout(ConnectDialog)
        self.connectLayout.setObjectName(u"connectLayout")
        self.introLabel = QLabel(ConnectDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.connectLayout.addWidget(self.introLabel)

        self.fileButton = QPushButton(ConnectDialog)
        self.fileButton.setObjectName(u"fileButton")

        self.connectLayout.addWidget(self.fileButton)

        self.connectForm = QFormLayout()
        self.connectForm.setObjectName(u"connectForm")
        self.connectForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.endpointLabel = QLabel(ConnectDialog)
        self.endpointLabel.setObjectName(u"endpointLabel")

        self.connectForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.endpointLabel)

        self.endpointEdit = QLineEdit(ConnectDialog)
        self.endpointEdit.setObjectName(u"endpointEdit")
        self.endpointEdit.setPlaceholderText(u"https://intake.example.cn")

        self.connectForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.endpointEdit)

        self.codeLabel = QLabel(ConnectDialog)
        self.codeLabel.setObjectName(u"codeLabel")

        self.connectForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.codeLabel)

        self.codeEdit = QLineEdit(ConnectDialog)
        self.codeEdit.setObjectName(u"codeEdit")
        self.codeEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.codeEdit.setPlaceholderText(u"qmt_\u2026")

        self.connectForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.codeEdit)


        self.connectLayout.addLayout(self.connectForm)

        self.resultLabel = QLabel(ConnectDialog)
        self.resultLabel.setObjectName(u"resultLabel")
        self.resultLabel.setWordWrap(True)
        self.resultLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.connectLayout.addWidget(self.resultLabel)

        self.takeOverCheck = QCheckBox(ConnectDialog)
        self.takeOverCheck.setObjectName(u"takeOverCheck")

        self.connectLayout.addWidget(self.takeOverCheck)

        self.problemLabel = QLabel(ConnectDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setStyleSheet(u"color: #b3261e;")

        self.connectLayout.addWidget(self.problemLabel)

        self.connectSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.connectLayout.addItem(self.connectSpacer)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.disconnectButton = QPushButton(ConnectDialog)
        self.disconnectButton.setObjectName(u"disconnectButton")

        self.buttonRow.addWidget(self.disconnectButton)

        self.buttonBox = QDialogButtonBox(ConnectDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.buttonRow.addWidget(self.buttonBox)


        self.connectLayout.addLayout(self.buttonRow)

#if QT_CONFIG(shortcut)
        self.endpointLabel.setBuddy(self.endpointEdit)
        self.codeLabel.setBuddy(self.codeEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ConnectDialog)

        QMetaObject.connectSlotsByName(ConnectDialog)
    # setupUi

    def retranslateUi(self, ConnectDialog):
        ConnectDialog.setWindowTitle(QCoreApplication.translate("ConnectDialog", u"Connect to the intake server", None))
        self.introLabel.setText(QCoreApplication.translate("ConnectDialog", u"Open the connection file (.qmconnect) the office gave you, or type the server's address and paste your unit's connection code.", None))
        self.fileButton.setText(QCoreApplication.translate("ConnectDialog", u"Open a connection file\u2026", None))
        self.endpointLabel.setText(QCoreApplication.translate("ConnectDialog", u"Server address", None))
        self.codeLabel.setText(QCoreApplication.translate("ConnectDialog", u"Connection code", None))
        self.takeOverCheck.setText(QCoreApplication.translate("ConnectDialog", u"Use the unit's details as the office has them", None))
        self.disconnectButton.setText(QCoreApplication.translate("ConnectDialog", u"Disconnect", None))
    # retranslateUi

