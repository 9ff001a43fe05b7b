"""The first-run wizard (pytest-qt, offscreen) and the service under it, on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from qmclient.core.report import Unit
from qmclient.resources import campaigns_dir
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.first_run import (
    CampaignChoice,
    FirstRunError,
    apply_campaign_choice,
    endpoint_url,
    finish,
    needs_first_run,
)
from qmclient.services.settings import ENDPOINT
from qmclient.store.models import Setting
from qmclient.ui.first_run import PAGE_CAMPAIGN, PAGE_FINISH, PAGE_UNIT, FirstRunWizard

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def chinese(qapp):  # type: ignore[no-untyped-def]
    from qmclient.ui.i18n import install_translators

    installed = install_translators(qapp, "zh_CN")
    yield
    for tr in installed:
        qapp.removeTranslator(tr)


def _next_campaign_file(tmp_path: Path) -> Path:
    src = (campaigns_dir() / "jinan-2022-quality-month.toml").read_text(encoding="utf-8")
    text = src.replace('id = "jinan-2022-quality-month"', 'id = "jinan-2023-quality-month"', 1)
    assert text != src
    path = tmp_path / "2023.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_service_finish_stores_profile_and_campaign(ctx: AppContext, tmp_path: Path) -> None:
    assert needs_first_run(ctx)
    path = _next_campaign_file(tmp_path)
    campaign = finish(
        ctx, Unit(name="历下区市场监管局", kind="district"), CampaignChoice("file", str(path))
    )
    assert campaign is not None and campaign.id == "jinan-2023-quality-month"
    assert ctx.campaigns.default().id == "jinan-2023-quality-month"
    assert drafts.get_profile(ctx) == Unit(name="历下区市场监管局", kind="district")
    assert not needs_first_run(ctx)


@pytest.mark.parametrize(
    "choice",
    [
        CampaignChoice("file", "/no/such/campaign.toml"),
        CampaignChoice("endpoint", "ftp://example.cn"),
        CampaignChoice("endpoint", "not a url"),
        CampaignChoice("bundled-typo", "x"),
    ],
)
def test_a_bad_campaign_choice_changes_nothing(ctx: AppContext, choice: CampaignChoice) -> None:
    with pytest.raises(FirstRunError) as err:
        finish(ctx, Unit(name="某单位"), choice)
    assert err.value.message_zh
    assert drafts.get_profile(ctx) is None and needs_first_run(ctx)
    assert endpoint_url(ctx) == ""


def test_a_broken_campaign_file_is_refused_with_its_reason(ctx: AppContext, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x"\ntitle = \n', encoding="utf-8")
    with pytest.raises(FirstRunError) as err:
        apply_campaign_choice(ctx, CampaignChoice("file", str(broken)))
    zh, en = err.value.message_zh, err.value.message_en
    assert zh.startswith(f"活动定义文件 {broken}：") and "TOML" in zh and "第 2 行" in zh
    assert zh.count("活动定义文件") == 1  # named once, not wrapped in a second prefix
    assert str(broken) in en and "line 2" in en


def test_wizard_walks_through_and_saves(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    w = FirstRunWizard(ctx, "zh_CN")
    qtbot.addWidget(w)
    w.show()
    assert w.currentId() == PAGE_UNIT
    assert not w.button(QWizard.WizardButton.NextButton).isEnabled()  # a name is needed
    w.ui.nameEdit.setText("济南某某有限公司")
    assert w.button(QWizard.WizardButton.NextButton).isEnabled()
    w.ui.creditCodeEdit.setText("91350100M000100Y44")  # wrong check character
    w.next()
    assert w.currentId() == PAGE_UNIT and "统一社会信用代码" in w.ui.unitProblemLabel.text()
    w.ui.creditCodeEdit.setText("91350100M000100Y43")
    w.ui.districtCombo.setCurrentIndex(w.ui.districtCombo.findText("历下区"))
    w.next()
    assert w.currentId() == PAGE_CAMPAIGN
    w.ui.endpointRadio.setChecked(True)
    w.ui.endpointEdit.setText("intake.example.cn")
    w.next()
    assert w.currentId() == PAGE_CAMPAIGN and "https://" in w.ui.campaignInfoLabel.text()
    w.ui.endpointEdit.setText("https://intake.example.cn/qm")
    w.next()
    assert w.currentId() == PAGE_FINISH
    assert "济南某某有限公司" in w.ui.summaryLabel.text() and "历下区" in w.ui.summaryLabel.text()
    w.accept()
    unit = drafts.get_profile(ctx)
    assert unit is not None and unit.credit_code == "91350100M000100Y43" and unit.district
    assert endpoint_url(ctx) == "https://intake.example.cn/qm"
    assert not needs_first_run(ctx)


def test_later_changes_nothing_but_is_remembered(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    w = FirstRunWizard(ctx, "zh_CN")
    qtbot.addWidget(w)
    w.show()
    w.ui.nameEdit.setText("不会保存")
    w.button(QWizard.WizardButton.CustomButton1).click()
    assert w.skipped and not w.isVisible()
    assert drafts.get_profile(ctx) is None
    assert not needs_first_run(ctx)  # not forced on every start
    with ctx.store.read() as s:
        assert s.get(Setting, ENDPOINT.name) is None


def test_wizard_shows_the_existing_profile(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    drafts.save_profile(ctx, Unit(name="已有单位", kind="department", phone="13800138000"))
    w = FirstRunWizard(ctx, "zh_CN")
    qtbot.addWidget(w)
    assert w.ui.nameEdit.text() == "已有单位" and w.ui.phoneEdit.text() == "13800138000"
    assert w.unit().kind == "department"


def test_later_is_not_offered_on_the_last_page(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    w = FirstRunWizard(ctx, "zh_CN")
    qtbot.addWidget(w)
    w.show()
    later = w.button(QWizard.WizardButton.CustomButton1)
    assert later.isVisible() and later.text() == "以后再说"
    w.ui.nameEdit.setText("某单位")
    w.next()
    w.next()
    assert w.currentId() == PAGE_FINISH and not later.isVisible()
    w.back()
    assert later.isVisible()
