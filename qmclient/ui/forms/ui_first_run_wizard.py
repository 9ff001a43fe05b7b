# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'first_run_wizard.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton, QSizePolicy, QSpacerItem, QVBoxLayout, QWizard, QWizardPage)

class Ui_FirstRunWizard(object):
    def setupUi(self, FirstRunWizard):
        if not FirstRunWizard.objectName():
            FirstRunWizard.setObjectName(u"FirstRunWizard")
        FirstRunWizard.resize(640, 500)
        FirstRunWizard.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        FirstRunWizard.setOptions(QWizard.WizardOption.NoBackButtonOnStartPage|QWizard.WizardOption.HaveCustomButton1)
        self.unitPage = QWizardPage()
        self.unitPage.setObjectName(u"unitPage")
        self.unitForm = QFormLayout(self.unitPage)
        self.unitForm.setObjectName(u"unitForm")
        self.unitForm.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.unitForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kindLabel = QLabel(self.unitPage)
        self.kindLabel.setObjectName(u"kindLabel")

        self.unitForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.kindLabel)

        self.kindCombo = QComboBox(self.unitPage)
        self.kindCombo.setObjectName(u"kindCombo")

        self.unitForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.kindCombo)

        self.districtLabel = QLabel(self.unitPage)
        self.districtLabel.setObjectName(u"districtLabel")

        self.unitForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.districtLabel)

        self.districtCombo = QComboBox(self.unitPage)
        self.districtCombo.setObjectName(u"districtCombo")

        self.unitForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.districtCombo)

        self.nameLabel = QLabel(self.unitPage)
        self.nameLabel.setObjectName(u"nameLabel")

        self.unitForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.nameEdit = QLineEdit(self.unitPage)
        self.nameEdit.setObjectName(u"nameEdit")
        self.nameEdit.setMaxLength(200)

        self.unitForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.nameEdit)

        self.creditCodeLabel = QLabel(self.unitPage)
        self.creditCodeLabel.setObjectName(u"creditCodeLabel")

        self.unitForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.creditCodeLabel)

        self.creditCodeEdit = QLineEdit(self.unitPage)
        self.creditCodeEdit.setObjectName(u"creditCodeEdit")
        self.creditCodeEdit.setMaxLength(18)

        self.unitForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.creditCodeEdit)

        self.contactLabel = QLabel(self.unitPage)
        self.contactLabel.setObjectName(u"contactLabel")

        self.unitForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.contactLabel)

        self.contactEdit = QLineEdit(self.unitPage)
        self.contactEdit.setObjectName(u"contactEdit")

        self.unitForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.contactEdit)

        self.phoneLabel = QLabel(self.unitPage)
        self.phoneLabel.setObjectName(u"phoneLabel")

        self.unitForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.phoneLabel)

        self.phoneEdit = QLineEdit(self.unitPage)
        self.phoneEdit.setObjectName(u"phoneEdit")

        self.unitForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.phoneEdit)

        self.emailLabel = QLabel(self.unitPage)
        self.emailLabel.setObjectName(u"emailLabel")

        self.unitForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.emailLabel)

        self.emailEdit = QLineEdit(self.unitPage)
        self.emailEdit.setObjectName(u"emailEdit")

        self.unitForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.emailEdit)

        self.unitProblemLabel = QLabel(self.unitPage)
        self.unitProblemLabel.setObjectName(u"unitProblemLabel")
        self.unitProblemLabel.setWordWrap(True)
        self.unitProblemLabel.setStyleSheet(u"color: #b3261e;")

        self.unitForm.setWidget(7, QFormLayout.ItemRole.SpanningRole, self.unitProblemLabel)

        FirstRunWizard.addPage(self.unitPage)
        self.campaignPage = QWizardPage()
        self.campaignPage.setObjectName(u"campaignPage")
        self.campaignLayout = QVBoxLayout(self.campaignPage)
        self.campaignLayout.setObjectName(u"campaignLayout")
        self.bundledRadio = QRadioButton(self.campaignPage)
        self.bundledRadio.setObjectName(u"bundledRadio")
        self.bundledRadio.setChecked(True)

        self.campaignLayout.addWidget(self.bundledRadio)

        self.bundledCombo = QComboBox(self.campaignPage)
        self.bundledCombo.setObjectName(u"bundledCombo")

        self.campaignLayout.addWidget(self.bundledCombo)

        self.fileRadio = QRadioButton(self.campaignPage)
        self.fileRadio.setObjectName(u"fileRadio")

        self.campaignLayout.addWidget(self.fileRadio)

        self.fileRow = QHBoxLayout()
        self.fileRow.setObjectName(u"fileRow")
        self.fileEdit = QLineEdit(self.campaignPage)
        self.fileEdit.setObjectName(u"fileEdit")

        self.fileRow.addWidget(self.fileEdit)

        self.browseButton = QPushButton(self.campaignPage)
        self.browseButton.setObjectName(u"browseButton")

        self.fileRow.addWidget(self.browseButton)


        self.campaignLayout.addLayout(self.fileRow)

        self.endpointRadio = QRadioButton(self.campaignPage)
        self.endpointRadio.setObjectName(u"endpointRadio")

        self.campaignLayout.addWidget(self.endpointRadio)

        self.endpointEdit = QLineEdit(self.campaignPage)
        self.endpointEdit.setObjectName(u"endpointEdit")
        self.endpointEdit.setPlaceholderText(u"https://")

        self.campaignLayout.addWidget(self.endpointEdit)

        self.campaignInfoLabel = QLabel(self.campaignPage)
        self.campaignInfoLabel.setObjectName(u"campaignInfoLabel")
        self.campaignInfoLabel.setWordWrap(True)

        self.campaignLayout.addWidget(self.campaignInfoLabel)

        self.campaignSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.campaignLayout.addItem(self.campaignSpacer)

        FirstRunWizard.addPage(self.campaignPage)
        self.finishPage = QWizardPage()
        self.finishPage.setObjectName(u"finishPage")
        self.finishLayout = QVBoxLayout(self.finishPage)
        self.finishLayout.setObjectName(u"finishLayout")
        self.summaryLabel = QLabel(self.finishPage)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setWordWrap(True)
        self.summaryLabel.setTextFormat(Qt.TextFormat.RichText)

        self.finishLayout.addWidget(self.summaryLabel)

        self.laterLabel = QLabel(self.finishPage)
        self.laterLabel.setObjectName(u"laterLabel")
        self.laterLabel.setWordWrap(True)

        self.finishLayout.addWidget(self.laterLabel)

        self.finishSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.finishLayout.addItem(self.finishSpacer)

        FirstRunWizard.addPage(self.finishPage)
#if QT_CONFIG(shortcut)
        self.kindLabel.setBuddy(self.kindCombo)
        self.districtLabel.setBuddy(self.districtCombo)
        self.nameLabel.setBuddy(self.nameEdit)
        self.creditCodeLabel.setBuddy(self.creditCodeEdit)
        self.contactLabel.setBuddy(self.contactEdit)
        self.phoneLabel.setBuddy(self.phoneEdit)
        self.emailLabel.setBuddy(self.emailEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(FirstRunWizard)

        QMetaObject.connectSlotsByName(FirstRunWizard)
    # setupUi

    def retranslateUi(self, FirstRunWizard):
        FirstRunWizard.setWindowTitle(QCoreApplication.translate("FirstRunWizard", u"Set up qmclient", None))
        self.unitPage.setTitle(QCoreApplication.translate("FirstRunWizard", u"Your unit", None))
        self.unitPage.setSubTitle(QCoreApplication.translate("FirstRunWizard", u"Who is reporting? These details are filled into every new report. Only the unit name is needed now; you can complete the rest later.", None))
        self.kindLabel.setText(QCoreApplication.translate("FirstRunWizard", u"Unit type", None))
        self.districtLabel.setText(QCoreApplication.translate("FirstRunWizard", u"District", None))
        self.nameLabel.setText(QCoreApplication.translate("FirstRunWizard", u"Unit name", None))
        self.creditCodeLabel.setText(QCoreApplication.translate("FirstRunWizard", u"Unified social credit code", None))
        self.contactLabel.setText(QCoreApplication.translate("FirstRunWizard", u"Contact person", None))
        self.phoneLabel.setText(QCoreApplication.translate("FirstRunWizard", u"Phone", None))
        self.emailLabel.setText(QCoreApplication.translate("FirstRunWizard", u"E-mail", None))
        self.campaignPage.setTitle(QCoreApplication.translate("FirstRunWizard", u"Campaign", None))
        self.campaignPage.setSubTitle(QCoreApplication.translate("FirstRunWizard", u"Which campaign are you reporting for? The lead office publishes it with its notice.", None))
        self.bundledRadio.setText(QCoreApplication.translate("FirstRunWizard", u"A campaign that came with qmclient", None))
        self.fileRadio.setText(QCoreApplication.translate("FirstRunWizard", u"A campaign file from the lead office (.toml)", None))
        self.fileEdit.setPlaceholderText(QCoreApplication.translate("FirstRunWizard", u"Campaign file", None))
        self.browseButton.setText(QCoreApplication.translate("FirstRunWizard", u"Choose\u2026", None))
        self.endpointRadio.setText(QCoreApplication.translate("FirstRunWizard", u"The lead office's endpoint (address from its notice)", None))
        self.finishPage.setTitle(QCoreApplication.translate("FirstRunWizard", u"Ready", None))
        self.finishPage.setSubTitle(QCoreApplication.translate("FirstRunWizard", u"qmclient works offline: start drafting now, and send or export the report when it is complete.", None))
        self.laterLabel.setText(QCoreApplication.translate("FirstRunWizard", u"You can run this set-up again at any time from Help \u25b8 Set up qmclient.", None))
    # retranslateUi

