# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'proxy_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject)
from PySide6.QtWidgets import (QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QRadioButton, QSizePolicy, QSpacerItem, QVBoxLayout)

class Ui_ProxyDialog(object):
    def setupUi(self, ProxyDialog):
        if not ProxyDialog.objectName():
            ProxyDialog.setObjectName(u"ProxyDialog")
        ProxyDialog.resize(520, 300)
        self.proxyLayout = QVBoxLayout(ProxyDialog)
        self.proxyLayout.setObjectName(u"proxyLayout")
        self.systemRadio = QRadioButton(ProxyDialog)
        self.systemRadio.setObjectName(u"systemRadio")
        self.systemRadio.setChecked(True)

        self.proxyLayout.addWidget(self.systemRadio)

        self.manualRadio = QRadioButton(ProxyDialog)
        self.manualRadio.setObjectName(u"manualRadio")

        self.proxyLayout.addWidget(self.manualRadio)

        self.manualForm = QFormLayout()
        self.manualForm.setObjectName(u"manualForm")
        self.manualForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.addressLabel = QLabel(ProxyDialog)
        self.addressLabel.setObjectName(u"addressLabel")

        self.manualForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.addressLabel)

        self.addressEdit = QLineEdit(ProxyDialog)
        self.addressEdit.setObjectName(u"addressEdit")
        self.addressEdit.setPlaceholderText(u"http://proxy.example.cn:8080")

        self.manualForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.addressEdit)

        self.userLabel = QLabel(ProxyDialog)
        self.userLabel.setObjectName(u"userLabel")

        self.manualForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.userEdit = QLineEdit(ProxyDialog)
        self.userEdit.setObjectName(u"userEdit")

        self.manualForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.userEdit)

        self.passwordLabel = QLabel(ProxyDialog)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.manualForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(ProxyDialog)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.manualForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.passwordEdit)


        self.proxyLayout.addLayout(self.manualForm)

        self.noteLabel = QLabel(ProxyDialog)
        self.noteLabel.setObjectName(u"noteLabel")
        self.noteLabel.setWordWrap(True)

        self.proxyLayout.addWidget(self.noteLabel)

        self.problemLabel = QLabel(ProxyDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setStyleSheet(u"color: #b3261e;")

        self.proxyLayout.addWidget(self.problemLabel)

        self.proxySpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.proxyLayout.addItem(self.proxySpacer)

        self.buttonBox = QDialogButtonBox(ProxyDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.proxyLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.addressLabel.setBuddy(self.addressEdit)
        self.userLabel.setBuddy(self.userEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ProxyDialog)

        QMetaObject.connectSlotsByName(ProxyDialog)
    # setupUi

    def retranslateUi(self, ProxyDialog):
        ProxyDialog.setWindowTitle(QCoreApplication.translate("ProxyDialog", u"Network proxy", None))
        self.systemRadio.setText(QCoreApplication.translate("ProxyDialog", u"Use the system's proxy settings", None))
        self.manualRadio.setText(QCoreApplication.translate("ProxyDialog", u"Use this proxy server:", None))
        self.addressLabel.setText(QCoreApplication.translate("ProxyDialog", u"Address", None))
        self.userLabel.setText(QCoreApplication.translate("ProxyDialog", u"User name (if needed)", None))
        self.passwordLabel.setText(QCoreApplication.translate("ProxyDialog", u"Password", None))
        self.noteLabel.setText(QCoreApplication.translate("ProxyDialog", u"The password is kept in the system's keyring, never in qmclient's files. Leave it empty to keep the one already saved.", None))
    # retranslateUi

