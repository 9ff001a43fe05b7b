"""The window's one shape for background work: Op (success, failure, progress after a
delay, widgets disabled while it runs), the injectable pool, and the store's change
announcements reaching the views before a task's callback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from qmclient.core.work import Progress, QmError, Work
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.ui.changes import SUBMISSION_TABLES, StoreChanges
from qmclient.ui.operations import Op
from qmclient.ui.tasks import SyncPool, TaskRunner, use_pool


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    w = QWidget()
    qtbot.addWidget(w)
    return w


@pytest.fixture
def sync_runner(parent: QWidget) -> Iterator[TaskRunner]:
    previous = use_pool(SyncPool)
    try:
        yield TaskRunner(parent)
    finally:
        use_pool(previous)


def test_a_synchronous_pool_runs_the_task_and_its_callback_at_once(
    parent: QWidget, sync_runner: TaskRunner
) -> None:
    seen: list[Any] = []
    button = QPushButton(parent)

    def op(work: Work) -> int:
        assert not button.isEnabled()  # disabled while it runs
        work.progress(1, 2, "half")
        return 42

    Op(parent, op).success(seen.append).on_progress(seen.append).disabling(button).run(sync_runner)
    assert seen[0] == Progress(1, 2, "half") and seen[1] == 42
    assert button.isEnabled()


def test_a_failure_goes_to_the_failure_handler(parent: QWidget, sync_runner: TaskRunner) -> None:
    failed: list[BaseException] = []
    succeeded: list[Any] = []

    def op(_work: Work) -> None:
        raise QmError(zh="磁盘已满", en="the disk is full", code="disk-full")

    Op(parent, op).success(succeeded.append).failure(failed.append).run(sync_runner)
    assert succeeded == [] and isinstance(failed[0], QmError)
    assert failed[0].message("zh_CN") == "磁盘已满"


def test_progress_appears_only_for_work_that_takes_a_while(qtbot: Any, parent: QWidget) -> None:
    runner = TaskRunner(parent)
    quick = Op(parent, lambda _w: 1).with_progress("…", delay_ms=300)
    quick.run(runner)
    qtbot.waitUntil(lambda: quick.task is not None and quick.task.done, timeout=10_000)
    qtbot.wait(400)  # the delay has passed: a finished op shows nothing
    assert quick.dialog is None

    release = threading.Event()
    slow = Op(parent, lambda _w: release.wait(20)).with_progress("正在备份…", delay_ms=50)
    slow.run(runner)
    qtbot.waitUntil(lambda: slow.dialog is not None, timeout=10_000)
    assert slow.dialog is not None and slow.dialog.labelText() == "正在备份…"
    release.set()
    qtbot.waitUntil(lambda: slow.task is not None and slow.task.done, timeout=10_000)
    assert slow.dialog is None
    runner.close()


def test_changes_reach_the_views_before_the_task_callback(
    qtbot: Any, parent: QWidget, ctx: AppContext
) -> None:
    """A worker's writes are announced on the GUI thread, and at the latest when the
    task ends, before its callback runs."""
    changes = StoreChanges(ctx.store, parent)
    heard: list[frozenset[str]] = []
    order: list[str] = []
    changes.changed.connect(lambda tables: (heard.append(tables), order.append("changed")))
    runner = TaskRunner(parent)
    task = runner.run_task(
        lambda _t: drafts.create_draft(ctx), lambda _r, _e: order.append("callback")
    )
    qtbot.waitUntil(lambda: task.done, timeout=10_000)
    assert order == ["changed", "callback"]
    assert heard[0] & SUBMISSION_TABLES
    runner.close()
    changes.close()
    drafts.create_draft(ctx)
    changes.flush()
    assert len(heard) == 1  # closed: no longer listening
