"""A 423 upload-locked says what really happens: another transfer of the file is still in
progress (or the server still holds it); nothing is damaged; it is retried by itself.

The lock is real: the test holds the server's own lease on the upload (its row in the
server's database), as a transfer still writing it would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from intake.protocol import auth, create_upload, make_report, put
from intake_server import IntakeServer
from mediafactory import make_jpeg
from tus_helpers import sha256_of

from qmclient.sync.backoff import Backoff
from qmclient.sync.errors import SyncError
from qmclient.sync.filechunks import UploadTarget
from qmclient.sync.http import HttpClient, HttpSettings
from qmclient.sync.resume import MemoryResume, ResumePoint
from qmclient.sync.tus import TusUploader
from qmintake.db import Database, sqlite_url
from qmintake.leases import Lease


def test_locked_upload_is_told_truthfully(intake: IntakeServer, tmp_path: Path) -> None:
    photo = make_jpeg(tmp_path / "现场.jpg", seed=3)
    token = intake.unit_token()
    assert put(intake, token, make_report([photo])).status_code == 201
    location = create_upload(intake, token, photo).headers["Location"]
    db = Database(intake.db_url or sqlite_url(intake.data_dir))
    lease = Lease(db, f"upload:{location.rsplit('/', 1)[-1]}", 300, "another-transfer")
    assert lease.take()  # as a transfer still writing it would
    try:
        problem = requests.patch(
            location,
            data=b"x",
            headers={
                **auth(token),
                "Tus-Resumable": "1.0.0",
                "Upload-Offset": "0",
                "Content-Type": "application/offset+octet-stream",
            },
            timeout=10,
        ).json()
        assert problem["code"] == "upload-locked"
        assert "in progress" in problem["title"] and "进行" in problem["title_zh"]
        assert "damaged" not in problem["title"].replace("nothing is damaged", "")

        resume = MemoryResume()
        resume.save(ResumePoint(location, 0, None))
        uploader = TusUploader(
            HttpClient(HttpSettings(connect_timeout_s=5, read_timeout_s=10)),
            intake.url("/api/v1/uploads/"),
            headers=auth(token),
            backoff=Backoff(base_s=0.01, cap_s=0.05),
            max_stalls=1,
        )
        target = UploadTarget(photo, photo.stat().st_size, sha256_of(photo), "现场.jpg")
        with pytest.raises(SyncError) as info:
            uploader.upload(target, resume)
    finally:
        lease.release()
        db.close()
    err = info.value
    assert err.code == "upload-locked" and err.retryable
    assert "另一次传输仍在进行" in err.message_zh and "没有损坏" in err.message_zh
    assert "自动重试" in err.message_zh
    assert "still in progress" in err.message_en and "Nothing is damaged" in err.message_en
    assert "受损" not in err.message_zh and "damaged in transit" not in err.message_en
