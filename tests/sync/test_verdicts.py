"""The office's verdicts reach every unit: sent directly, or uploaded by its district on its
behalf.  Real qmintake on 127.0.0.1; the office returns and accepts with its own command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reports import ready_submission

from qmclient.core import lifecycle
from qmclient.services import connection, drafts, inbox_import, outbox, verdicts
from qmclient.services.context import AppContext, open_context
from qmclient.services.packages import export_package
from qmclient.sync.api import IntakeClient
from qmclient.sync.http import HttpClient
from qmclient.sync.tokens import load_token


def _uuid(ctx: AppContext, sid: int) -> str:
    from qmclient.store.models import Submission

    with ctx.store.read() as s:
        sub = s.get(Submission, sid)
        assert sub is not None
        return sub.uuid


def _send(ctx: AppContext, sid: int) -> dict[str, Any]:
    outbox.queue_submission(ctx, sid)
    with outbox.OutboxSender(ctx) as s:
        [out] = s.send_all()
    assert out.ok, out.error
    assert out.receipt is not None
    return out.receipt


def test_return_reaches_the_unit_and_revision_2_is_received(
    ctx: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    connection.connect(ctx, intake.base_url, intake.unit_token())
    sid = ready_submission(ctx, tmp_path / "src")
    first = _send(ctx, sid)
    assert verdicts.poll_verdicts(ctx) == []  # received: nothing new to tell
    # nothing changed: the server answers 304 to the stored ETag
    endpoint = connection.state(ctx).endpoint
    http = HttpClient()
    try:
        client = IntakeClient(http, endpoint, load_token(endpoint))
        items, etag = client.submissions()
        assert items is not None and etag
        assert client.submissions(etag)[0] is None
    finally:
        http.close()

    intake.cli("return", _uuid(ctx, sid), "--comment", "请补充活动照片的说明文字")
    [v] = verdicts.poll_verdicts(ctx)
    assert (v.submission_id, v.status, v.revision) == (sid, "returned", 1)
    assert v.comment == "请补充活动照片的说明文字"
    assert drafts.status_of(ctx, sid) == lifecycle.RETURNED
    assert verdicts.poll_verdicts(ctx) == []  # told once

    drafts.update_fields(ctx, sid, {"summary": drafts.load_report(ctx, sid).summary + "（已补充）"})
    second = _send(ctx, sid)
    assert second["revision"] == 2 and second["receipt_number"] != first["receipt_number"]
    intake.cli("accept", _uuid(ctx, sid))
    [v] = verdicts.poll_verdicts(ctx)
    assert (v.status, v.revision) == ("accepted", 2)
    assert drafts.status_of(ctx, sid) == lifecycle.ACCEPTED


def test_a_report_the_district_uploaded_hears_the_office_too(
    ctx: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    # the enterprise drafts and hands its package to the district
    sid = ready_submission(ctx, tmp_path / "src")
    export_package(ctx, sid, tmp_path / "e.qmpkg")
    coord = open_context(tmp_path / "district")
    try:
        connection.connect(coord, intake.base_url, intake.district_token())
        [row] = inbox_import.import_paths(coord, [tmp_path / "e.qmpkg"])
        assert row.submission_id is not None
        _send(coord, row.submission_id)
        uuid = _uuid(coord, row.submission_id)
        assert uuid == _uuid(ctx, sid)
        intake.cli("return", uuid, "--comment", "照片与活动不符，请更换")
        # the coordinator's window hears it too, and forwards it with one click
        [seen] = verdicts.poll_verdicts(coord)
        assert (seen.submission_id, seen.status) == (row.submission_id, "returned")
        note = verdicts.forward_return(coord, row.submission_id)
        assert note is not None and note.suffix == ".qmnote"
        assert "照片与活动不符，请更换" in note.read_text(encoding="utf-8")
    finally:
        coord.close()

    # the enterprise connects with its own code and hears of it
    connection.connect(ctx, intake.base_url, intake.unit_token())
    [v] = verdicts.poll_verdicts(ctx)
    assert (v.submission_id, v.status, v.comment) == (sid, "returned", "照片与活动不符，请更换")
    assert drafts.status_of(ctx, sid) == lifecycle.RETURNED
    # another enterprise of the district sees nothing of it
    http = HttpClient()
    try:
        other = intake.unit_token(name="济南另一家有限公司", credit_code="")
        items, _ = IntakeClient(http, intake.base_url, other).submissions()
        assert items == []
        mine, _ = IntakeClient(http, intake.base_url, intake.unit_token()).submissions()
        assert mine is not None
        assert [i["submitted_by"]["kind"] for i in mine] == ["district"]
        assert json.dumps(mine, ensure_ascii=False).count("照片与活动不符") >= 1
    finally:
        http.close()
