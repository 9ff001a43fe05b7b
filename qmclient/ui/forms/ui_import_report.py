# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_report.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject)
from PySide6.QtWidgets import (QAbstractItemView, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout)

class Ui_ImportReport(object):
    def setupUi(self, ImportReport):
        if not ImportReport.objectName():
            ImportReport.setObjectName(u"ImportReport")
        ImportReport.resize(760, 420)
        self.importLayout = QVBoxLayout(ImportReport)
        self.importLayout.setObjectName(u"importLayout")
        self.summaryLabel = QLabel(ImportReport)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setText(u"-")
        self.summaryLabel.setWordWrap(True)

        self.importLayout.addWidget(self.summaryLabel)

        self.problemsTable = QTableWidget(ImportReport)
        if (self.problemsTable.columnCount() < 2):
            self.problemsTable.setColumnCount(2)
        __qtablewidgetitem = QTableWidgetItem()
        self.problemsTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.problemsTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        self.problemsTable.setObjectName(u"problemsTable")
        self.problemsTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problemsTable.setAlternatingRowColors(True)
        self.problemsTable.setWordWrap(True)
        self.problemsTable.setColumnCount(2)

        self.importLayout.addWidget(self.problemsTable)

        self.buttonBox = QDialogButtonBox(ImportReport)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.importLayout.addWidget(self.buttonBox)


        self.retranslateUi(ImportReport)

        QMetaObject.connectSlotsByName(ImportReport)
    # setupUi

    def retranslateUi(self, ImportReport):
        ImportReport.setWindowTitle(QCoreApplication.translate("ImportReport", u"Files that were not added", None))
        ___qtablewidgetitem = self.problemsTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("ImportReport", u"File", None))
        ___qtablewidgetitem1 = self.problemsTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("ImportReport", u"Problem", None))
    # retranslateUi

