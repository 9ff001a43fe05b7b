"""The report list sorts in its model (one key per row), keeps the selection, and filters."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.ui.submission_model import ID_ROLE, SubmissionModel


def _titles(window: Any) -> list[str]:
    proxy = window.proxy
    return [proxy.index(r, SubmissionModel.TITLE).data() for r in range(proxy.rowCount())]


def test_sorting_by_a_header_and_keeping_the_selection(window: Any, ctx: AppContext) -> None:
    ids = {t: drafts.create_draft(ctx, title=t) for t in ("乙报告", "甲报告", "丙报告")}
    window.refresh_list(select=ids["甲报告"])
    view = window.ui.submissionsView
    assert _titles(window)[0] == "丙报告"  # newest change first, as read from the store

    view.sortByColumn(SubmissionModel.TITLE, Qt.SortOrder.AscendingOrder)
    assert _titles(window) == sorted(ids)
    assert view.currentIndex().data(ID_ROLE) == ids["甲报告"]  # the selection followed

    view.sortByColumn(SubmissionModel.TITLE, Qt.SortOrder.DescendingOrder)
    assert _titles(window) == sorted(ids, reverse=True)

    drafts.update_fields(ctx, ids["乙报告"], {"title": "丁报告"})
    window.refresh_list()
    assert _titles(window) == sorted(["甲报告", "丙报告", "丁报告"], reverse=True)

    window.ui.filterEdit.setText("丙")
    assert _titles(window) == ["丙报告"]


def test_the_list_moves_like_a_list(qtbot: Any, window: Any, ctx: AppContext) -> None:
    """Home and End go to the first and last report (a table's own keys would go to the
    first and last column); the arrows go from report to report; Tab leaves the list."""
    ids = [drafts.create_draft(ctx, title=f"报告{i}") for i in range(5)]
    window.refresh_list(select=ids[2])
    view = window.ui.submissionsView
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().data(ID_ROLE) == ids[0]  # the oldest, at the bottom
    assert window.editor.submission_id == ids[0]
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().data(ID_ROLE) == ids[-1]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().data(ID_ROLE) == ids[-2]
    assert window.editor.submission_id == ids[-2]
    assert not view.tabKeyNavigation()  # Tab moves the focus on, not from cell to cell
