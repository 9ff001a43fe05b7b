# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'editor.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListView, QPushButton, QSizePolicy, QSpacerItem, QTabWidget, QTableView, QVBoxLayout, QWidget)

from qmclient.ui.media_model import (FileDropTextEdit)

class Ui_Editor(object):
    def setupUi(self, Editor):
        if not Editor.objectName():
            Editor.setObjectName(u"Editor")
        Editor.resize(900, 700)
        self.editorLayout = QVBoxLayout(Editor)
        self.editorLayout.setObjectName(u"editorLayout")
        self.titleLayout = QHBoxLayout()
        self.titleLayout.setObjectName(u"titleLayout")
        self.titleLabel = QLabel(Editor)
        self.titleLabel.setObjectName(u"titleLabel")

        self.titleLayout.addWidget(self.titleLabel)

        self.titleEdit = QLineEdit(Editor)
        self.titleEdit.setObjectName(u"titleEdit")

        self.titleLayout.addWidget(self.titleEdit)


        self.editorLayout.addLayout(self.titleLayout)

        self.statusLabel = QLabel(Editor)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setText(u"-")
        self.statusLabel.setWordWrap(True)

        self.editorLayout.addWidget(self.statusLabel)

        self.tabs = QTabWidget(Editor)
        self.tabs.setObjectName(u"tabs")
        self.tabOverview = QWidget()
        self.tabOverview.setObjectName(u"tabOverview")
        self.overviewLayout = QHBoxLayout(self.tabOverview)
        self.overviewLayout.setObjectName(u"overviewLayout")
        self.unitGroup = QGroupBox(self.tabOverview)
        self.unitGroup.setObjectName(u"unitGroup")
        self.unitGroupLayout = QVBoxLayout(self.unitGroup)
        self.unitGroupLayout.setObjectName(u"unitGroupLayout")
        self.unitForm = QFormLayout()
        self.unitForm.setObjectName(u"unitForm")
        self.unitForm.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.unitForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kindLabel = QLabel(self.unitGroup)
        self.kindLabel.setObjectName(u"kindLabel")

        self.unitForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.kindLabel)

        self.kindCombo = QComboBox(self.unitGroup)
        self.kindCombo.setObjectName(u"kindCombo")

        self.unitForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.kindCombo)

        self.districtLabel = QLabel(self.unitGroup)
        self.districtLabel.setObjectName(u"districtLabel")

        self.unitForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.districtLabel)

        self.districtCombo = QComboBox(self.unitGroup)
        self.districtCombo.setObjectName(u"districtCombo")

        self.unitForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.districtCombo)

        self.nameLabel = QLabel(self.unitGroup)
        self.nameLabel.setObjectName(u"nameLabel")

        self.unitForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.nameEdit = QLineEdit(self.unitGroup)
        self.nameEdit.setObjectName(u"nameEdit")

        self.unitForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.nameEdit)

        self.creditCodeLabel = QLabel(self.unitGroup)
        self.creditCodeLabel.setObjectName(u"creditCodeLabel")

        self.unitForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.creditCodeLabel)

        self.creditCodeEdit = QLineEdit(self.unitGroup)
        self.creditCodeEdit.setObjectName(u"creditCodeEdit")
        self.creditCodeEdit.setMaxLength(18)

        self.unitForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.creditCodeEdit)

        self.contactLabel = QLabel(self.unitGroup)
        self.contactLabel.setObjectName(u"contactLabel")

        self.unitForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.contactLabel)

        self.contactEdit = QLineEdit(self.unitGroup)
        self.contactEdit.setObjectName(u"contactEdit")

        self.unitForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.contactEdit)

        self.phoneLabel = QLabel(self.unitGroup)
        self.phoneLabel.setObjectName(u"phoneLabel")

        self.unitForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.phoneLabel)

        self.phoneEdit = QLineEdit(self.unitGroup)
        self.phoneEdit.setObjectName(u"phoneEdit")

        self.unitForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.phoneEdit)

        self.emailLabel = QLabel(self.unitGroup)
        self.emailLabel.setObjectName(u"emailLabel")

        self.unitForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.emailLabel)

        self.emailEdit = QLineEdit(self.unitGroup)
        self.emailEdit.setObjectName(u"emailEdit")

        self.unitForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.emailEdit)


        self.unitGroupLayout.addLayout(self.unitForm)

        self.useProfileButton = QPushButton(self.unitGroup)
        self.useProfileButton.setObjectName(u"useProfileButton")

        self.unitGroupLayout.addWidget(self.useProfileButton)

        self.unitSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.unitGroupLayout.addItem(self.unitSpacer)


        self.overviewLayout.addWidget(self.unitGroup)

        self.summaryGroup = QGroupBox(self.tabOverview)
        self.summaryGroup.setObjectName(u"summaryGroup")
        self.summaryLayout = QVBoxLayout(self.summaryGroup)
        self.summaryLayout.setObjectName(u"summaryLayout")
        self.summaryEdit = FileDropTextEdit(self.summaryGroup)
        self.summaryEdit.setObjectName(u"summaryEdit")

        self.summaryLayout.addWidget(self.summaryEdit)

        self.summaryCountLabel = QLabel(self.summaryGroup)
        self.summaryCountLabel.setObjectName(u"summaryCountLabel")
        self.summaryCountLabel.setText(u"0")
        self.summaryCountLabel.setAlignment(Qt.AlignmentFlag.AlignRight)

        self.summaryLayout.addWidget(self.summaryCountLabel)


        self.overviewLayout.addWidget(self.summaryGroup)

        self.overviewLayout.setStretch(0, 1)
        self.overviewLayout.setStretch(1, 1)
        self.tabs.addTab(self.tabOverview, "")
        self.tabActivities = QWidget()
        self.tabActivities.setObjectName(u"tabActivities")
        self.activitiesLayout = QVBoxLayout(self.tabActivities)
        self.activitiesLayout.setObjectName(u"activitiesLayout")
        self.activityButtons = QHBoxLayout()
        self.activityButtons.setObjectName(u"activityButtons")
        self.addActivityButton = QPushButton(self.tabActivities)
        self.addActivityButton.setObjectName(u"addActivityButton")

        self.activityButtons.addWidget(self.addActivityButton)

        self.editActivityButton = QPushButton(self.tabActivities)
        self.editActivityButton.setObjectName(u"editActivityButton")

        self.activityButtons.addWidget(self.editActivityButton)

        self.removeActivityButton = QPushButton(self.tabActivities)
        self.removeActivityButton.setObjectName(u"removeActivityButton")

        self.activityButtons.addWidget(self.removeActivityButton)

        self.activityUpButton = QPushButton(self.tabActivities)
        self.activityUpButton.setObjectName(u"activityUpButton")

        self.activityButtons.addWidget(self.activityUpButton)

        self.activityDownButton = QPushButton(self.tabActivities)
        self.activityDownButton.setObjectName(u"activityDownButton")

        self.activityButtons.addWidget(self.activityDownButton)

        self.activitySpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.activityButtons.addItem(self.activitySpacer)


        self.activitiesLayout.addLayout(self.activityButtons)

        self.activitiesView = QTableView(self.tabActivities)
        self.activitiesView.setObjectName(u"activitiesView")
        self.activitiesView.setAlternatingRowColors(True)
        self.activitiesView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.activitiesView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.activitiesView.setWordWrap(False)

        self.activitiesLayout.addWidget(self.activitiesView)

        self.tabs.addTab(self.tabActivities, "")
        self.tabMedia = QWidget()
        self.tabMedia.setObjectName(u"tabMedia")
        self.mediaLayout = QVBoxLayout(self.tabMedia)
        self.mediaLayout.setObjectName(u"mediaLayout")
        self.mediaButtons = QHBoxLayout()
        self.mediaButtons.setObjectName(u"mediaButtons")
        self.addMediaButton = QPushButton(self.tabMedia)
        self.addMediaButton.setObjectName(u"addMediaButton")

        self.mediaButtons.addWidget(self.addMediaButton)

        self.openMediaButton = QPushButton(self.tabMedia)
        self.openMediaButton.setObjectName(u"openMediaButton")

        self.mediaButtons.addWidget(self.openMediaButton)

        self.removeMediaButton = QPushButton(self.tabMedia)
        self.removeMediaButton.setObjectName(u"removeMediaButton")

        self.mediaButtons.addWidget(self.removeMediaButton)

        self.mediaLeftButton = QPushButton(self.tabMedia)
        self.mediaLeftButton.setObjectName(u"mediaLeftButton")
#if QT_CONFIG(tooltip)
        self.mediaLeftButton.setToolTip(u"Alt+Left")
#endif // QT_CONFIG(tooltip)

        self.mediaButtons.addWidget(self.mediaLeftButton)

        self.mediaRightButton = QPushButton(self.tabMedia)
        self.mediaRightButton.setObjectName(u"mediaRightButton")
#if QT_CONFIG(tooltip)
        self.mediaRightButton.setToolTip(u"Alt+Right")
#endif // QT_CONFIG(tooltip)

        self.mediaButtons.addWidget(self.mediaRightButton)

        self.mediaSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.mediaButtons.addItem(self.mediaSpacer)

        self.mediaHintLabel = QLabel(self.tabMedia)
        self.mediaHintLabel.setObjectName(u"mediaHintLabel")
        self.mediaHintLabel.setWordWrap(True)
        self.mediaHintLabel.setStyleSheet(u"color: #616161;")

        self.mediaButtons.addWidget(self.mediaHintLabel)


        self.mediaLayout.addLayout(self.mediaButtons)

        self.mediaView = QListView(self.tabMedia)
        self.mediaView.setObjectName(u"mediaView")
        self.mediaView.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.mediaView.setViewMode(QListView.ViewMode.IconMode)
        self.mediaView.setResizeMode(QListView.ResizeMode.Adjust)
        self.mediaView.setUniformItemSizes(False)
        self.mediaView.setWordWrap(True)

        self.mediaLayout.addWidget(self.mediaView)

        self.tabs.addTab(self.tabMedia, "")

        self.editorLayout.addWidget(self.tabs)

#if QT_CONFIG(shortcut)
        self.titleLabel.setBuddy(self.titleEdit)
        self.kindLabel.setBuddy(self.kindCombo)
        self.districtLabel.setBuddy(self.districtCombo)
        self.nameLabel.setBuddy(self.nameEdit)
        self.creditCodeLabel.setBuddy(self.creditCodeEdit)
        self.contactLabel.setBuddy(self.contactEdit)
        self.phoneLabel.setBuddy(self.phoneEdit)
        self.emailLabel.setBuddy(self.emailEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(Editor)

        self.tabs.setCurrentIndex(0)


        QMetaObject.connectSlotsByName(Editor)
    # setupUi

    def retranslateUi(self, Editor):
        self.titleLabel.setText(QCoreApplication.translate("Editor", u"Title", None))
        self.titleEdit.setPlaceholderText(QCoreApplication.translate("Editor", u"Title of the activity summary", None))
        self.unitGroup.setTitle(QCoreApplication.translate("Editor", u"Reporting unit", None))
        self.kindLabel.setText(QCoreApplication.translate("Editor", u"Unit type", None))
        self.districtLabel.setText(QCoreApplication.translate("Editor", u"District", None))
        self.nameLabel.setText(QCoreApplication.translate("Editor", u"Unit name", None))
        self.creditCodeLabel.setText(QCoreApplication.translate("Editor", u"Unified social credit code", None))
        self.contactLabel.setText(QCoreApplication.translate("Editor", u"Contact person", None))
        self.phoneLabel.setText(QCoreApplication.translate("Editor", u"Phone", None))
        self.emailLabel.setText(QCoreApplication.translate("Editor", u"E-mail", None))
        self.useProfileButton.setText(QCoreApplication.translate("Editor", u"Fill in from my unit profile", None))
        self.summaryGroup.setTitle(QCoreApplication.translate("Editor", u"Activity summary", None))
        self.summaryEdit.setPlaceholderText(QCoreApplication.translate("Editor", u"How the Quality Month was organised, the main activities, what they achieved, and what comes next.", None))
        self.tabs.setTabText(self.tabs.indexOf(self.tabOverview), QCoreApplication.translate("Editor", u"Unit and summary", None))
        self.addActivityButton.setText(QCoreApplication.translate("Editor", u"Add activity\u2026", None))
        self.editActivityButton.setText(QCoreApplication.translate("Editor", u"Edit\u2026", None))
        self.removeActivityButton.setText(QCoreApplication.translate("Editor", u"Remove", None))
        self.activityUpButton.setText(QCoreApplication.translate("Editor", u"Move up", None))
        self.activityDownButton.setText(QCoreApplication.translate("Editor", u"Move down", None))
        self.tabs.setTabText(self.tabs.indexOf(self.tabActivities), QCoreApplication.translate("Editor", u"Activities", None))
        self.addMediaButton.setText(QCoreApplication.translate("Editor", u"Add\u2026", None))
        self.openMediaButton.setText(QCoreApplication.translate("Editor", u"Open", None))
        self.removeMediaButton.setText(QCoreApplication.translate("Editor", u"Remove", None))
        self.mediaLeftButton.setText(QCoreApplication.translate("Editor", u"Move earlier", None))
        self.mediaRightButton.setText(QCoreApplication.translate("Editor", u"Move later", None))
        self.mediaHintLabel.setText(QCoreApplication.translate("Editor", u"Drop photos, videos or folders here. F2 edits a caption; a double-click opens the file.", None))
        self.tabs.setTabText(self.tabs.indexOf(self.tabMedia), QCoreApplication.translate("Editor", u"Photos and videos", None))
        pass
    # retranslateUi

