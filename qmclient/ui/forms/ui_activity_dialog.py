# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'activity_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, QSize)
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QSizePolicy, QSpacerItem, QSpinBox, QVBoxLayout)

class Ui_ActivityDialog(object):
    def setupUi(self, ActivityDialog):
        if not ActivityDialog.objectName():
            ActivityDialog.setObjectName(u"ActivityDialog")
        ActivityDialog.resize(680, 640)
        self.activityLayout = QVBoxLayout(ActivityDialog)
        self.activityLayout.setObjectName(u"activityLayout")
        self.activityForm = QFormLayout()
        self.activityForm.setObjectName(u"activityForm")
        self.activityForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.focusLabel = QLabel(ActivityDialog)
        self.focusLabel.setObjectName(u"focusLabel")

        self.activityForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.focusLabel)

        self.focusCombo = QComboBox(ActivityDialog)
        self.focusCombo.setObjectName(u"focusCombo")

        self.activityForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.focusCombo)

        self.focusHintLabel = QLabel(ActivityDialog)
        self.focusHintLabel.setObjectName(u"focusHintLabel")
        self.focusHintLabel.setStyleSheet(u"color: #616161;")
        self.focusHintLabel.setText(u"")
        self.focusHintLabel.setWordWrap(True)

        self.activityForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.focusHintLabel)

        self.nameLabel = QLabel(ActivityDialog)
        self.nameLabel.setObjectName(u"nameLabel")

        self.activityForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.nameEdit = QLineEdit(ActivityDialog)
        self.nameEdit.setObjectName(u"nameEdit")

        self.activityForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.nameEdit)

        self.dateLabel = QLabel(ActivityDialog)
        self.dateLabel.setObjectName(u"dateLabel")

        self.activityForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.dateLabel)

        self.dateLayout = QHBoxLayout()
        self.dateLayout.setObjectName(u"dateLayout")
        self.startDateEdit = QDateEdit(ActivityDialog)
        self.startDateEdit.setObjectName(u"startDateEdit")
        self.startDateEdit.setCalendarPopup(True)
        self.startDateEdit.setDisplayFormat(u"yyyy-MM-dd")

        self.dateLayout.addWidget(self.startDateEdit)

        self.toLabel = QLabel(ActivityDialog)
        self.toLabel.setObjectName(u"toLabel")

        self.dateLayout.addWidget(self.toLabel)

        self.endDateEdit = QDateEdit(ActivityDialog)
        self.endDateEdit.setObjectName(u"endDateEdit")
        self.endDateEdit.setCalendarPopup(True)
        self.endDateEdit.setDisplayFormat(u"yyyy-MM-dd")

        self.dateLayout.addWidget(self.endDateEdit)

        self.dateSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.dateLayout.addItem(self.dateSpacer)


        self.activityForm.setLayout(3, QFormLayout.ItemRole.FieldRole, self.dateLayout)

        self.placeLabel = QLabel(ActivityDialog)
        self.placeLabel.setObjectName(u"placeLabel")

        self.activityForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.placeLabel)

        self.placeEdit = QLineEdit(ActivityDialog)
        self.placeEdit.setObjectName(u"placeEdit")

        self.activityForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.placeEdit)

        self.organiserLabel = QLabel(ActivityDialog)
        self.organiserLabel.setObjectName(u"organiserLabel")

        self.activityForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.organiserLabel)

        self.organiserEdit = QLineEdit(ActivityDialog)
        self.organiserEdit.setObjectName(u"organiserEdit")

        self.activityForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.organiserEdit)

        self.participantsLabel = QLabel(ActivityDialog)
        self.participantsLabel.setObjectName(u"participantsLabel")

        self.activityForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.participantsLabel)

        self.participantsSpin = QSpinBox(ActivityDialog)
        self.participantsSpin.setObjectName(u"participantsSpin")
        self.participantsSpin.setMaximumSize(QSize(180, 16777215))
        self.participantsSpin.setMinimum(-1)
        self.participantsSpin.setMaximum(10000000)
        self.participantsSpin.setValue(-1)

        self.activityForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.participantsSpin)

        self.descriptionLabel = QLabel(ActivityDialog)
        self.descriptionLabel.setObjectName(u"descriptionLabel")

        self.activityForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.descriptionLabel)

        self.descriptionEdit = QPlainTextEdit(ActivityDialog)
        self.descriptionEdit.setObjectName(u"descriptionEdit")

        self.activityForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.descriptionEdit)

        self.resultsLabel = QLabel(ActivityDialog)
        self.resultsLabel.setObjectName(u"resultsLabel")

        self.activityForm.setWidget(8, QFormLayout.ItemRole.LabelRole, self.resultsLabel)

        self.resultsEdit = QPlainTextEdit(ActivityDialog)
        self.resultsEdit.setObjectName(u"resultsEdit")

        self.activityForm.setWidget(8, QFormLayout.ItemRole.FieldRole, self.resultsEdit)


        self.activityLayout.addLayout(self.activityForm)

        self.buttonBox = QDialogButtonBox(ActivityDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.activityLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.focusLabel.setBuddy(self.focusCombo)
        self.nameLabel.setBuddy(self.nameEdit)
        self.dateLabel.setBuddy(self.startDateEdit)
        self.placeLabel.setBuddy(self.placeEdit)
        self.organiserLabel.setBuddy(self.organiserEdit)
        self.participantsLabel.setBuddy(self.participantsSpin)
        self.descriptionLabel.setBuddy(self.descriptionEdit)
        self.resultsLabel.setBuddy(self.resultsEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ActivityDialog)

        QMetaObject.connectSlotsByName(ActivityDialog)
    # setupUi

    def retranslateUi(self, ActivityDialog):
        ActivityDialog.setWindowTitle(QCoreApplication.translate("ActivityDialog", u"Activity", None))
        self.focusLabel.setText(QCoreApplication.translate("ActivityDialog", u"Focus area", None))
        self.nameLabel.setText(QCoreApplication.translate("ActivityDialog", u"Activity name", None))
        self.dateLabel.setText(QCoreApplication.translate("ActivityDialog", u"Dates", None))
        self.toLabel.setText(QCoreApplication.translate("ActivityDialog", u"to", None))
        self.placeLabel.setText(QCoreApplication.translate("ActivityDialog", u"Place", None))
        self.organiserLabel.setText(QCoreApplication.translate("ActivityDialog", u"Organiser", None))
        self.participantsLabel.setText(QCoreApplication.translate("ActivityDialog", u"Participants", None))
        self.descriptionLabel.setText(QCoreApplication.translate("ActivityDialog", u"What was done", None))
        self.resultsLabel.setText(QCoreApplication.translate("ActivityDialog", u"Results", None))
    # retranslateUi

