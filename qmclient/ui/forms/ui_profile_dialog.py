# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'profile_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject)
from PySide6.QtWidgets import (QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout)

class Ui_ProfileDialog(object):
    def setupUi(self, ProfileDialog):
        if not ProfileDialog.objectName():
            ProfileDialog.setObjectName(u"ProfileDialog")
        ProfileDialog.resize(560, 420)
        self.profileLayout = QVBoxLayout(ProfileDialog)
        self.profileLayout.setObjectName(u"profileLayout")
        self.introLabel = QLabel(ProfileDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.profileLayout.addWidget(self.introLabel)

        self.unitForm = QFormLayout()
        self.unitForm.setObjectName(u"unitForm")
        self.unitForm.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.unitForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kindLabel = QLabel(ProfileDialog)
        self.kindLabel.setObjectName(u"kindLabel")

        self.unitForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.kindLabel)

        self.kindCombo = QComboBox(ProfileDialog)
        self.kindCombo.setObjectName(u"kindCombo")

        self.unitForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.kindCombo)

        self.districtLabel = QLabel(ProfileDialog)
        self.districtLabel.setObjectName(u"districtLabel")

        self.unitForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.districtLabel)

        self.districtCombo = QComboBox(ProfileDialog)
        self.districtCombo.setObjectName(u"districtCombo")

        self.unitForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.districtCombo)

        self.nameLabel = QLabel(ProfileDialog)
        self.nameLabel.setObjectName(u"nameLabel")

        self.unitForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.nameEdit = QLineEdit(ProfileDialog)
        self.nameEdit.setObjectName(u"nameEdit")

        self.unitForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.nameEdit)

        self.creditCodeLabel = QLabel(ProfileDialog)
        self.creditCodeLabel.setObjectName(u"creditCodeLabel")

        self.unitForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.creditCodeLabel)

        self.creditCodeEdit = QLineEdit(ProfileDialog)
        self.creditCodeEdit.setObjectName(u"creditCodeEdit")
        self.creditCodeEdit.setMaxLength(18)

        self.unitForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.creditCodeEdit)

        self.contactLabel = QLabel(ProfileDialog)
        self.contactLabel.setObjectName(u"contactLabel")

        self.unitForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.contactLabel)

        self.contactEdit = QLineEdit(ProfileDialog)
        self.contactEdit.setObjectName(u"contactEdit")

        self.unitForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.contactEdit)

        self.phoneLabel = QLabel(ProfileDialog)
        self.phoneLabel.setObjectName(u"phoneLabel")

        self.unitForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.phoneLabel)

        self.phoneEdit = QLineEdit(ProfileDialog)
        self.phoneEdit.setObjectName(u"phoneEdit")

        self.unitForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.phoneEdit)

        self.emailLabel = QLabel(ProfileDialog)
        self.emailLabel.setObjectName(u"emailLabel")

        self.unitForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.emailLabel)

        self.emailEdit = QLineEdit(ProfileDialog)
        self.emailEdit.setObjectName(u"emailEdit")

        self.unitForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.emailEdit)


        self.profileLayout.addLayout(self.unitForm)

        self.buttonBox = QDialogButtonBox(ProfileDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.profileLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.kindLabel.setBuddy(self.kindCombo)
        self.districtLabel.setBuddy(self.districtCombo)
        self.nameLabel.setBuddy(self.nameEdit)
        self.creditCodeLabel.setBuddy(self.creditCodeEdit)
        self.contactLabel.setBuddy(self.contactEdit)
        self.phoneLabel.setBuddy(self.phoneEdit)
        self.emailLabel.setBuddy(self.emailEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ProfileDialog)

        QMetaObject.connectSlotsByName(ProfileDialog)
    # setupUi

    def retranslateUi(self, ProfileDialog):
        ProfileDialog.setWindowTitle(QCoreApplication.translate("ProfileDialog", u"My unit", None))
        self.introLabel.setText(QCoreApplication.translate("ProfileDialog", u"Who is reporting? These details are filled into every new report; you can change them later in Edit \u25b8 My unit profile.", None))
        self.kindLabel.setText(QCoreApplication.translate("ProfileDialog", u"Unit type", None))
        self.districtLabel.setText(QCoreApplication.translate("ProfileDialog", u"District", None))
        self.nameLabel.setText(QCoreApplication.translate("ProfileDialog", u"Unit name", None))
        self.creditCodeLabel.setText(QCoreApplication.translate("ProfileDialog", u"Unified social credit code", None))
        self.contactLabel.setText(QCoreApplication.translate("ProfileDialog", u"Contact person", None))
        self.phoneLabel.setText(QCoreApplication.translate("ProfileDialog", u"Phone", None))
        self.emailLabel.setText(QCoreApplication.translate("ProfileDialog", u"E-mail", None))
    # retranslateUi

