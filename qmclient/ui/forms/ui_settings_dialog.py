# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'settings_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject)
from PySide6.QtWidgets import (QComboBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout)

class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        SettingsDialog.resize(620, 260)
        self.settingsLayout = QVBoxLayout(SettingsDialog)
        self.settingsLayout.setObjectName(u"settingsLayout")
        self.settingsForm = QFormLayout()
        self.settingsForm.setObjectName(u"settingsForm")
        self.settingsForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.languageLabel = QLabel(SettingsDialog)
        self.languageLabel.setObjectName(u"languageLabel")

        self.settingsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.languageLabel)

        self.languageCombo = QComboBox(SettingsDialog)
        self.languageCombo.setObjectName(u"languageCombo")

        self.settingsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.languageCombo)

        self.dataDirLabel = QLabel(SettingsDialog)
        self.dataDirLabel.setObjectName(u"dataDirLabel")

        self.settingsForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.dataDirLabel)

        self.dataDirLayout = QHBoxLayout()
        self.dataDirLayout.setObjectName(u"dataDirLayout")
        self.dataDirEdit = QLineEdit(SettingsDialog)
        self.dataDirEdit.setObjectName(u"dataDirEdit")

        self.dataDirLayout.addWidget(self.dataDirEdit)

        self.browseButton = QPushButton(SettingsDialog)
        self.browseButton.setObjectName(u"browseButton")

        self.dataDirLayout.addWidget(self.browseButton)


        self.settingsForm.setLayout(1, QFormLayout.ItemRole.FieldRole, self.dataDirLayout)

        self.profileLabel = QLabel(SettingsDialog)
        self.profileLabel.setObjectName(u"profileLabel")

        self.settingsForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.profileLabel)

        self.profileButton = QPushButton(SettingsDialog)
        self.profileButton.setObjectName(u"profileButton")

        self.settingsForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.profileButton)


        self.settingsLayout.addLayout(self.settingsForm)

        self.noteLabel = QLabel(SettingsDialog)
        self.noteLabel.setObjectName(u"noteLabel")
        self.noteLabel.setWordWrap(True)

        self.settingsLayout.addWidget(self.noteLabel)

        self.settingsSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.settingsLayout.addItem(self.settingsSpacer)

        self.buttonBox = QDialogButtonBox(SettingsDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok|QDialogButtonBox.StandardButton.RestoreDefaults)

        self.settingsLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.languageLabel.setBuddy(self.languageCombo)
        self.dataDirLabel.setBuddy(self.dataDirEdit)
        self.profileLabel.setBuddy(self.profileButton)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(SettingsDialog)

        QMetaObject.connectSlotsByName(SettingsDialog)
    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", u"Settings", None))
        self.languageLabel.setText(QCoreApplication.translate("SettingsDialog", u"Language", None))
        self.dataDirLabel.setText(QCoreApplication.translate("SettingsDialog", u"Data folder", None))
        self.browseButton.setText(QCoreApplication.translate("SettingsDialog", u"Choose\u2026", None))
        self.profileLabel.setText(QCoreApplication.translate("SettingsDialog", u"Default unit", None))
        self.profileButton.setText(QCoreApplication.translate("SettingsDialog", u"Edit my unit profile\u2026", None))
        self.noteLabel.setText(QCoreApplication.translate("SettingsDialog", u"A new language or data folder takes effect when qmclient is started again.", None))
    # retranslateUi

