"""Coming back online asks for the office's verdicts: a real qmintake on 127.0.0.1 is
stopped (the window's check fails and says so in the status bar), the office returns the
report meanwhile with its own command, the server comes back on the same port, and the
window hears of the return without anyone asking — waited for on the watcher's signals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reports import ready_submission
from test_gui_loop import uuid_of
from test_gui_sending import window  # noqa: F401  (a fixture)

from qmclient.core import lifecycle
from qmclient.services import connection, drafts, outbox
from qmclient.services.context import AppContext


def test_the_verdicts_come_when_the_server_is_back(
    qtbot: Any,
    window: Any,  # noqa: F811
    ctx: AppContext,
    intake: Any,
    memory_keyring: Any,
    tmp_path: Path,
) -> None:
    connection.connect(ctx, intake.base_url, intake.unit_token())
    sid = ready_submission(ctx, tmp_path / "src")
    outbox.queue_submission(ctx, sid)
    with outbox.OutboxSender(ctx) as sender:
        [sent] = sender.send_all()
    assert sent.ok
    window.refresh_list(select=sid)
    window.select_submission(sid)
    watcher = window.sending.verdicts
    qtbot.waitUntil(lambda: not watcher.runner.busy(), timeout=10000)
    assert not watcher.offline

    with qtbot.waitSignal(watcher.wentOffline, timeout=30000):
        intake.stop()
        watcher.poll()
    assert watcher.offline and watcher.offline_label.isVisible()
    assert "连不上" in watcher.offline_label.text() or "无法连接" in watcher.offline_label.text()
    # while it is down, the office returns the report (its command works on its database)
    intake.cli("return", uuid_of(ctx, sid), "--comment", "请补充活动成效的数字")
    assert drafts.status_of(ctx, sid) == lifecycle.RECEIVED  # nobody has told us yet

    watcher.probe.setInterval(200)  # the fallback's pace, quickened for the test
    with qtbot.waitSignal(watcher.cameOnline, timeout=60000):
        intake.start()
    # the first answer after the failure brought the return: banner, status, no offline note
    assert not watcher.offline and not watcher.offline_label.isVisible()
    assert not watcher.probe.isActive()
    assert drafts.status_of(ctx, sid) == lifecycle.RETURNED
    qtbot.waitUntil(lambda: "请补充活动成效的数字" in watcher.banner.label.text(), timeout=10000)
    assert watcher.banner.isVisible()


def test_reachability_coming_back_asks_at_once(
    qtbot: Any,
    window: Any,  # noqa: F811
    ctx: AppContext,
    intake: Any,
    memory_keyring: Any,
) -> None:
    """Where the system reports the network (``QNetworkInformation``), its word that the
    network is reachable again is enough: the check runs then, not at the next probe."""
    from PySide6.QtNetwork import QNetworkInformation

    connection.connect(ctx, intake.base_url, intake.unit_token())
    watcher = window.sending.verdicts
    qtbot.waitUntil(lambda: not watcher.runner.busy(), timeout=10000)
    with qtbot.waitSignal(watcher.wentOffline, timeout=30000):
        intake.stop()
        watcher.poll()
    watcher.probe.stop()  # only the system's word may bring it back now
    intake.start()
    watcher.reachability_changed(QNetworkInformation.Reachability.Disconnected)
    assert not watcher.runner.busy()  # not reachable: nothing asked
    with qtbot.waitSignal(watcher.cameOnline, timeout=30000):
        watcher.reachability_changed(QNetworkInformation.Reachability.Online)
    assert not watcher.offline
    # offline again, then disconnected: there is nothing left to wait for
    with qtbot.waitSignal(watcher.wentOffline, timeout=30000):
        intake.stop()
        watcher.poll()
    connection.disconnect(ctx)
    watcher.poll()
    assert not watcher.offline and not watcher.probe.isActive()
    assert not watcher.offline_label.isVisible()
