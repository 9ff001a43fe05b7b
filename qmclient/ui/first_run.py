"""The first-run wizard: the unit's profile, then the campaign, then what comes next.

The layout is ``forms/first_run_wizard.ui``.  "Later" closes it without changing anything
(the choice is remembered, so it is not forced on every start; the menu offers it again).
Everything it writes goes through :mod:`qmclient.services.first_run`.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QFileDialog, QWidget, QWizard

from qmclient.core.deadline import deadline_status
from qmclient.core.identifiers import credit_code_problem, is_valid_email, is_valid_phone
from qmclient.core.report import Unit
from qmclient.resources import resources_dir
from qmclient.services.context import AppContext
from qmclient.services.drafts import get_profile
from qmclient.services.first_run import (
    CampaignChoice,
    FirstRunError,
    check_endpoint_url,
    endpoint_url,
    finish,
    mark_skipped,
)
from qmclient.ui.forms.ui_first_run_wizard import Ui_FirstRunWizard

PAGE_UNIT, PAGE_CAMPAIGN, PAGE_FINISH = 0, 1, 2


def icon_pixmap(size: int) -> QPixmap:
    """The application icon at ``size`` pixels (an empty pixmap if it is missing).

    Drawn with QtSvg directly, so a bundle needs no SVG image plugin for it."""
    path = resources_dir() / "icons" / "qmclient.svg"
    renderer = QSvgRenderer(str(path)) if path.is_file() else None
    if renderer is None or not renderer.isValid():
        return QPixmap()
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return QPixmap.fromImage(image)


DEFAULT_KIND = "enterprise"


class FirstRunWizard(QWizard):
    def __init__(self, ctx: AppContext, language: str = "zh_CN", parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.zh = language.startswith("zh")
        self.ui = Ui_FirstRunWizard()
        self.ui.setupUi(self)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("Later"))
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, icon_pixmap(48))
        self.skipped = False
        self.customButtonClicked.connect(self._skip)
        self._fill()
        self.ui.unitPage.isComplete = self._unit_complete  # type: ignore[method-assign]
        self.ui.unitPage.validatePage = self._unit_valid  # type: ignore[method-assign]
        self.ui.campaignPage.validatePage = self._campaign_valid  # type: ignore[method-assign]
        self.ui.nameEdit.textChanged.connect(self.ui.unitPage.completeChanged)
        self.ui.browseButton.clicked.connect(self._browse)
        self.ui.fileEdit.textEdited.connect(lambda _t: self.ui.fileRadio.setChecked(True))
        self.ui.endpointEdit.textEdited.connect(lambda _t: self.ui.endpointRadio.setChecked(True))
        self.ui.bundledCombo.currentIndexChanged.connect(self._show_campaign)
        self.ui.bundledCombo.activated.connect(lambda _i: self.ui.bundledRadio.setChecked(True))
        self.currentIdChanged.connect(self._page_changed)
        self._page_changed(PAGE_UNIT)
        self._show_campaign()

    # ------------------------------------------------------------------ filling in

    def _name(self, zh: str, en: str) -> str:
        return zh if self.zh or not en else en

    def _fill(self) -> None:
        campaign = self.ctx.campaigns.default()
        for kind in campaign.submitter_kinds:
            self.ui.kindCombo.addItem(self._name(kind.name_zh, kind.name_en), kind.id)
        self.ui.districtCombo.addItem(self.tr("(none)"), "")
        for d in campaign.districts:
            self.ui.districtCombo.addItem(self._name(d.name_zh, d.name_en), d.id)
        # most units reporting are enterprises: that kind first chosen, not the campaign's first
        self.ui.kindCombo.setCurrentIndex(max(0, self.ui.kindCombo.findData(DEFAULT_KIND)))
        unit = get_profile(self.ctx)
        if unit is not None:
            self.ui.kindCombo.setCurrentIndex(max(0, self.ui.kindCombo.findData(unit.kind)))
            self.ui.districtCombo.setCurrentIndex(
                max(0, self.ui.districtCombo.findData(unit.district))
            )
            self.ui.nameEdit.setText(unit.name)
            self.ui.creditCodeEdit.setText(unit.credit_code)
            self.ui.contactEdit.setText(unit.contact_person)
            self.ui.phoneEdit.setText(unit.phone)
            self.ui.emailEdit.setText(unit.email)
        for c in self.ctx.campaigns.all():
            title = self._name(c.title, c.title_en)
            self.ui.bundledCombo.addItem(f"{title}（{c.due:%Y-%m-%d}）", c.id)
        self.ui.bundledCombo.setCurrentIndex(max(0, self.ui.bundledCombo.findData(campaign.id)))
        url = endpoint_url(self.ctx)
        if url:
            self.ui.endpointEdit.setText(url)

    def unit(self) -> Unit:
        u = self.ui
        return Unit(
            name=u.nameEdit.text().strip(),
            kind=str(u.kindCombo.currentData() or "enterprise"),
            district=str(u.districtCombo.currentData() or ""),
            credit_code=u.creditCodeEdit.text().strip().upper(),
            contact_person=u.contactEdit.text().strip(),
            phone=u.phoneEdit.text().strip(),
            email=u.emailEdit.text().strip(),
        )

    def choice(self) -> CampaignChoice:
        u = self.ui
        if u.fileRadio.isChecked():
            return CampaignChoice("file", u.fileEdit.text().strip())
        if u.endpointRadio.isChecked():
            return CampaignChoice("endpoint", u.endpointEdit.text().strip())
        return CampaignChoice("bundled", str(u.bundledCombo.currentData()))

    # ------------------------------------------------------------------ checks

    def _unit_complete(self) -> bool:
        return bool(self.ui.nameEdit.text().strip())

    def _unit_valid(self) -> bool:
        unit = self.unit()
        problems: list[str] = []
        if unit.credit_code and credit_code_problem(unit.credit_code):
            problems.append(
                self.tr(
                    "The unified social credit code is not valid (18 characters, check the last one)."
                )
            )
        if unit.phone and not is_valid_phone(unit.phone):
            problems.append(
                self.tr("The phone number is not valid (a mobile number or 0531 and 8 digits).")
            )
        if unit.email and not is_valid_email(unit.email):
            problems.append(self.tr("The e-mail address is not valid."))
        self.ui.unitProblemLabel.setText("\n".join(problems))
        return not problems

    def _campaign_valid(self) -> bool:
        choice = self.choice()
        try:
            if choice.kind == "file" and not choice.value:
                raise FirstRunError(en="", zh=self.tr("Choose the campaign file first."))
            if choice.kind == "endpoint":
                check_endpoint_url(choice.value)
        except FirstRunError as err:
            self.ui.campaignInfoLabel.setText(err.message_zh if self.zh else err.message_en)
            return False
        return True

    # ------------------------------------------------------------------ actions

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Campaign file"), "", self.tr("Campaign files (*.toml)")
        )
        if path:
            self.ui.fileEdit.setText(path)
            self.ui.fileRadio.setChecked(True)

    def _show_campaign(self) -> None:
        campaign_id = self.ui.bundledCombo.currentData()
        if not campaign_id:
            return
        c = self.ctx.campaigns.get(str(campaign_id))
        status = deadline_status(c, dt.datetime.now(dt.UTC))
        theme = self.tr("Theme")
        left = status.text_zh() if self.zh else status.text_en()
        self.ui.campaignInfoLabel.setText(f"{theme}：{c.theme}\n{left}")

    def _page_changed(self, page_id: int) -> None:
        B = QWizard.WizardButton
        if page_id == PAGE_FINISH:  # "Later" would throw away what was just entered
            self.setButtonLayout([B.Stretch, B.BackButton, B.FinishButton])
        else:
            self.setButtonLayout([B.CustomButton1, B.Stretch, B.BackButton, B.NextButton])
        if page_id != PAGE_FINISH:
            return
        unit, choice = self.unit(), self.choice()
        if choice.kind == "bundled":
            c = self.ctx.campaigns.get(choice.value)
            status = deadline_status(c, dt.datetime.now(dt.UTC))
            what = f"{self._name(c.title, c.title_en)}<br>{status.text_zh() if self.zh else status.text_en()}"
        elif choice.kind == "file":
            what = self.tr("From the file %1").replace("%1", choice.value)
        else:
            what = self.tr("From the endpoint %1; it is fetched at the first sync.").replace(
                "%1", choice.value
            )
        unit_word, campaign_word = self.tr("Unit"), self.tr("Campaign")
        self.ui.summaryLabel.setText(
            f"<p><b>{html.escape(unit_word)}</b>：{html.escape(unit.name)}"
            f"（{html.escape(self.ui.kindCombo.currentText())}"
            f"{'，' + html.escape(self.ui.districtCombo.currentText()) if unit.district else ''}）</p>"
            f"<p><b>{html.escape(campaign_word)}</b>：{what}</p>"
        )

    def _skip(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.reject()

    def reject(self) -> None:
        """ "Later" or closing the window: change nothing, and do not ask at every start."""
        mark_skipped(self.ctx)
        self.skipped = True
        super().reject()

    def accept(self) -> None:
        try:
            finish(self.ctx, self.unit(), self.choice())
        except FirstRunError as err:
            self.setStartId(PAGE_CAMPAIGN)
            self.back()
            self.ui.campaignInfoLabel.setText(err.message_zh if self.zh else err.message_en)
            return
        super().accept()
