"""The tus client against the official Node server (@tus/server + @tus/file-store)."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import time
from pathlib import Path

import pytest
import requests
from netfault import Fault, FaultPlan, FaultProxy, http_answer
from tus_helpers import NodeTus, make_file, sha256_of

from qmclient.core.work import Progress, Work
from qmclient.sync.backoff import Backoff
from qmclient.sync.control import FileProgress, TransferControl
from qmclient.sync.errors import Cancelled, SyncError
from qmclient.sync.filechunks import UploadTarget
from qmclient.sync.http import HttpClient, HttpSettings
from qmclient.sync.resume import MemoryResume, ResumePoint
from qmclient.sync.tus import SMALL_FILE, TusUploader

MiB = 1024 * 1024
FAST = Backoff(base_s=0.01, cap_s=0.05)


def target_for(path: Path, name: str = "活动视频.mp4") -> UploadTarget:
    return UploadTarget(path, path.stat().st_size, sha256_of(path), name, "video/mp4")


def uploader(url: str, **kw: object) -> TusUploader:
    http = HttpClient(HttpSettings(connect_timeout_s=2, read_timeout_s=3))
    kw.setdefault("chunk_size", 1 * MiB)
    kw.setdefault("backoff", FAST)
    return TusUploader(http, url, **kw)  # type: ignore[arg-type]


def server_offset(url: str) -> int:
    r = requests.head(url, headers={"Tus-Resumable": "1.0.0"}, timeout=5)
    return int(r.headers["Upload-Offset"])


class CheckedResume(MemoryResume):
    """Asserts the URL is stored before the server has any byte of the upload."""

    def save(self, point: ResumePoint) -> None:
        if point.url and self.point.url != point.url:
            assert server_offset(point.url) == point.offset
        super().save(point)


def test_chunked_upload_arrives_intact_with_sha256_in_metadata(
    node_tus: NodeTus, tmp_path: Path
) -> None:
    path = make_file(tmp_path / "v.mp4", 5 * MiB + 12345)
    t = target_for(path)
    seen: list[FileProgress] = []
    up = uploader(node_tus.creation_url, work=Work(lambda p: seen.append(p.detail)))
    resume = CheckedResume()
    url = up.upload(t, resume)
    assert sha256_of(node_tus.stored(url)) == t.sha256
    meta = node_tus.info(url)["metadata"]
    assert isinstance(meta, dict)
    assert meta["sha256"] == t.sha256 and meta["filename"] == "活动视频.mp4"
    # 6 PATCHes of at most 1 MiB each, one POST, one OPTIONS: nothing sent twice
    assert up.requests_sent == 1 + 1 + 6
    assert resume.point.offset == t.length
    assert seen[-1].done == t.length and seen[-1].total == t.length
    assert all(b.done >= a.done for a, b in itertools.pairwise(seen))


def test_small_file_goes_with_the_creation_request(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "p.jpg", 300_000)
    up = uploader(node_tus.creation_url)
    url = up.upload(target_for(path, "照片.jpg"), MemoryResume())
    assert sha256_of(node_tus.stored(url)) == sha256_of(path)
    assert up.requests_sent == 2  # OPTIONS + POST with the body


def test_a_file_up_to_one_chunk_goes_whole_with_the_creation_request(
    node_tus: NodeTus, tmp_path: Path
) -> None:
    """Past the small-file size but within one chunk: one POST carries it all (a kill
    re-sends it whole: never more than one chunk)."""
    assert 6 * MiB > SMALL_FILE
    path = make_file(tmp_path / "v.mp4", 6 * MiB)
    up = uploader(node_tus.creation_url, chunk_size=8 * MiB)
    resume = MemoryResume()
    url = up.upload(target_for(path), resume)
    assert sha256_of(node_tus.stored(url)) == sha256_of(path)
    assert up.requests_sent == 2  # OPTIONS + POST with the body
    assert resume.point.offset == path.stat().st_size
    # one byte over the chunk: created empty, then sent in PATCHes
    longer = make_file(tmp_path / "w.mp4", 8 * MiB + 1)
    up = uploader(node_tus.creation_url, chunk_size=8 * MiB)
    url = up.upload(target_for(longer), MemoryResume())
    assert sha256_of(node_tus.stored(url)) == sha256_of(longer)
    assert up.requests_sent == 1 + 1 + 2  # OPTIONS, POST, PATCHes of 8 MiB and 1 byte


def test_cancel_within_a_chunk_then_resume_sends_the_rest_only(
    node_tus: NodeTus, tmp_path: Path
) -> None:
    path = make_file(tmp_path / "v.mp4", 6 * MiB)
    t = target_for(path)
    control = TransferControl()

    def stop_midway(p: Progress) -> None:
        if p.done >= 2 * MiB + 512 * 1024:
            control.cancel()

    resume = MemoryResume()
    up = uploader(node_tus.creation_url, chunk_size=2 * MiB, work=control.relay(stop_midway))
    with pytest.raises(Cancelled):
        up.upload(t, resume)
    assert resume.point.url is not None
    kept = server_offset(resume.point.url)
    assert 2 * MiB <= kept < 4 * MiB  # the chunk under way was cut within, not redone
    second: list[FileProgress] = []
    up2 = uploader(
        node_tus.creation_url, chunk_size=2 * MiB, work=Work(lambda p: second.append(p.detail))
    )
    url = up2.upload(t, resume)
    assert url == resume.point.url and up2.uploads_created == 0
    assert sha256_of(node_tus.stored(url)) == t.sha256
    assert second[-1].sent_now == t.length - kept


def test_stale_offset_resyncs_with_head(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "v.mp4", 4 * MiB)
    t = target_for(path)
    resume = MemoryResume()
    control = TransferControl()
    up = uploader(
        node_tus.creation_url,
        work=control.relay(lambda p: control.cancel() if p.done >= 2 * MiB else None),
    )
    with pytest.raises(Cancelled):
        up.upload(t, resume)
    assert resume.point.url
    # the stored offset lags behind the server (a crash between PATCH and saving)
    resume.point = ResumePoint(resume.point.url, 0, None)
    up2 = uploader(node_tus.creation_url)
    url = up2.upload(t, resume)
    assert sha256_of(node_tus.stored(url)) == t.sha256 and up2.uploads_created == 0


def test_upload_gone_from_server_starts_a_new_one(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "v.mp4", 3 * MiB)
    t = target_for(path)
    resume = MemoryResume()
    control = TransferControl()
    up = uploader(
        node_tus.creation_url,
        work=control.relay(lambda p: control.cancel() if p.done >= MiB else None),
    )
    with pytest.raises(Cancelled):
        up.upload(t, resume)
    old = resume.point.url
    assert old
    r = requests.delete(old, headers={"Tus-Resumable": "1.0.0"}, timeout=5)
    assert r.status_code == 204
    up2 = uploader(node_tus.creation_url)
    url = up2.upload(t, resume)
    assert url != old and up2.uploads_created == 1
    assert sha256_of(node_tus.stored(url)) == t.sha256


def test_expired_upload_is_recreated(node_tus_factory: type[NodeTus], tmp_path: Path) -> None:
    server = node_tus_factory(expiry_ms=300)
    path = make_file(tmp_path / "v.mp4", 3 * MiB)
    t = target_for(path)
    resume = MemoryResume()
    control = TransferControl()
    up = uploader(
        server.creation_url,
        work=control.relay(lambda p: control.cancel() if p.done >= MiB else None),
    )
    with pytest.raises(Cancelled):
        up.upload(t, resume)
    assert resume.point.expires_at is not None  # Upload-Expires was read and kept
    deadline = time.monotonic() + 20
    while True:  # until the server has expired and removed the upload (300 ms after it)
        r = requests.post(f"http://127.0.0.1:{server.port}/_expire", timeout=5)
        r.raise_for_status()
        if r.json()["removed"] >= 1:
            break
        assert time.monotonic() < deadline, "the upload never expired"
        time.sleep(0.05)  # a poll's interval
    old = resume.point.url
    up2 = uploader(server.creation_url)
    url = up2.upload(t, resume)
    assert url != old and up2.uploads_created == 1
    assert sha256_of(server.stored(url)) == t.sha256


def test_locally_known_expiry_skips_the_dead_upload(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "v.mp4", 2 * MiB)
    t = target_for(path)
    resume = MemoryResume()
    resume.point = ResumePoint(
        node_tus.creation_url + "/gone", 0, dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    up = uploader(node_tus.creation_url)
    url = up.upload(t, resume)
    assert up.uploads_created == 1 and sha256_of(node_tus.stored(url)) == t.sha256


def test_cuts_resets_and_stalls_end_with_the_file_intact(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "v.mp4", 12 * MiB + 7)
    t = target_for(path)
    plan = FaultPlan(p_cut=0.25, p_reset=0.2, p_stall=0.05, max_offset=3 * MiB, stall_s=4)
    with FaultProxy(node_tus.port, plan=plan, seed=7) as proxy:
        up = uploader(f"{proxy.url}/files", chunk_size=2 * MiB, max_stalls=30)
        resume = MemoryResume()
        url = up.upload(t, resume)
        assert sum(proxy.stats.faults.values()) >= 2
    local_url = f"{node_tus.creation_url}/{node_tus.upload_id(url)}"
    assert sha256_of(node_tus.stored(local_url)) == t.sha256
    assert up.uploads_created == 1  # resumed every time, never restarted
    # every byte went up at most once plus the chunks under way when faults hit
    assert proxy.stats.bytes_up < t.length + (sum(proxy.stats.faults.values()) + 1) * 2 * MiB


def test_retry_after_is_honoured(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "v.mp4", 2 * MiB)
    t = target_for(path)
    busy = http_answer(429, "Too Many Requests", {"Retry-After": "1"})
    plan = FaultPlan(only=[Fault("none"), busy])  # OPTIONS passes, the POST is refused
    with FaultProxy(node_tus.port, plan=plan) as proxy:
        up = uploader(f"{proxy.url}/files")
        # fresh connections each time so the proxy can answer per request
        up.http.session.headers["Connection"] = "close"
        started = time.monotonic()
        up.upload(t, MemoryResume())
        waited = time.monotonic() - started
    assert waited >= 1.0


def test_captive_portal_page_is_recognised(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "v.mp4", MiB)
    portal = http_answer(
        200, "OK", {"Content-Type": "text/html"}, b"<html>Please log in to Wi-Fi</html>"
    )
    plan = FaultPlan(only=[portal] * 3)
    with FaultProxy(node_tus.port, plan=plan) as proxy:
        up = uploader(f"{proxy.url}/files", max_stalls=2)
        up.http.session.headers["Connection"] = "close"
        with pytest.raises(SyncError) as info:
            up.upload(target_for(path), MemoryResume())
    assert info.value.code == "captive-portal"
    assert "登录" in info.value.message_zh


def test_file_changed_on_disk_is_named(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "v.mp4", 2 * MiB)
    t = target_for(path, "开幕式.mp4")
    with open(path, "r+b") as fh:
        fh.truncate(MiB)
    with pytest.raises(SyncError) as info:
        uploader(node_tus.creation_url).upload(t, MemoryResume())
    assert info.value.code == "media-changed" and "开幕式.mp4" in info.value.message_zh
    path.unlink()
    with pytest.raises(SyncError) as info:
        uploader(node_tus.creation_url).upload(t, MemoryResume())
    assert info.value.code == "media-missing-locally" and info.value.kind == "action"


def test_metadata_header_is_never_empty(node_tus: NodeTus, tmp_path: Path) -> None:
    from qmclient.sync.tus import encode_metadata

    assert encode_metadata({"sha256": "ab"}) == "sha256 " + base64.b64encode(b"ab").decode()
    with pytest.raises(ValueError):
        encode_metadata({"bad key": "x"})


def test_chunks_grow_while_the_server_takes_them_whole(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "v.mp4", 7 * MiB + 1000)
    t = target_for(path)
    up = uploader(node_tus.creation_url, max_chunk_size=4 * MiB)
    url = up.upload(t, CheckedResume())
    assert sha256_of(node_tus.stored(url)) == t.sha256
    # PATCHes of 1, 2 and 4 MiB, then the rest: four, where fixed 1 MiB chunks take eight
    assert up.requests_sent == 1 + 1 + 4


def test_a_body_limit_on_the_way_keeps_chunks_below_it(node_tus: NodeTus, tmp_path: Path) -> None:
    path = make_file(tmp_path / "v.mp4", 6 * MiB)
    t = target_for(path)
    too_large = http_answer(413, "Request Entity Too Large", {"Content-Type": "text/plain"})
    # one request per connection: OPTIONS, POST, a 1 MiB PATCH, then the 2 MiB one is refused
    plan = FaultPlan(only=[Fault("none")] * 3 + [too_large])
    with FaultProxy(node_tus.port, plan=plan) as proxy:
        up = uploader(f"{proxy.url}/files", max_chunk_size=8 * MiB)
        up.http.session.headers["Connection"] = "close"
        url = up.upload(t, MemoryResume())
        assert proxy.stats.faults == {"answer": 1}
    assert up.max_chunk_size == 1 * MiB  # never again as large as what was refused
    assert up.requests_sent == 1 + 1 + 1 + 1 + 5
    assert sha256_of(node_tus.stored(url)) == t.sha256
