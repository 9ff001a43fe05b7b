"""The media store interface, on the data folder and on a real object store (SeaweedFS):
put, ranged reads, size, exists, delete, list — and clear errors when the store is
unreachable, refuses the credentials or has no such bucket."""

from __future__ import annotations

import hashlib
import io
import os
import socket
import uuid
from pathlib import Path

import pytest
from seaweed import SeaweedS3

from intake.conftest import S3_BUCKET
from qmintake.media import MediaStoreError, open_media_store, open_range, size
from qmintake.media.sha256state import ResumableSha256
from qmintake.settings import IntakeState, Settings


@pytest.fixture(params=["local", "s3"])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch) -> Settings:
    if request.param == "local":
        return Settings(data_dir=tmp_path)
    s3: SeaweedS3 = request.getfixturevalue("seaweed")
    for k, v in s3.env.items():
        monkeypatch.setenv(k, v)
    return Settings(data_dir=tmp_path, media_store=f"s3://{S3_BUCKET}/ms{uuid.uuid4().hex[:8]}")


def test_put_read_ranges_list_delete(store_settings: Settings) -> None:
    store = open_media_store(store_settings)
    store.check()
    data = os.urandom(3 * 1024 * 1024 + 17)
    sha = hashlib.sha256(data).hexdigest()
    assert not store.exists(sha) and store.size(sha) is None
    store.put(sha, io.BytesIO(data), len(data))
    assert store.exists(sha) and store.size(sha) == len(data)
    with store.open_range(sha) as f:
        assert f.read() == data
    with store.open_range(sha, 1000, 5000) as f:
        assert f.read() == data[1000:5000]
    with store.open_range(sha, len(data) - 10) as f:
        assert f.read() == data[-10:]
    assert list(store.list()) == [sha]
    store.delete(sha)
    assert not store.exists(sha) and list(store.list()) == []
    with pytest.raises(MediaStoreError) as err:
        store.open_range(sha)
    assert err.value.code == "media-missing" and "qmintake check" in err.value.message_zh


def test_readers_plug_in_through_one_function(store_settings: Settings) -> None:
    st = IntakeState(store_settings)
    try:
        data = b"\xff\xd8\xff" + os.urandom(5000)
        sha = hashlib.sha256(data).hexdigest()
        st.blobs.put(sha, io.BytesIO(data), len(data))
        assert size(st, sha) == len(data)
        with open_range(st, sha, 3, 10) as f:
            assert f.read() == data[3:10]
        with pytest.raises(ValueError):
            open_range(st, "../../etc/passwd")
    finally:
        st.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_s3_errors_are_clear(seaweed: SeaweedS3, tmp_path: Path, monkeypatch) -> None:
    for k, v in seaweed.env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    wrong = Settings(data_dir=tmp_path, media_store=f"s3://{S3_BUCKET}/x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    with pytest.raises(MediaStoreError) as err:
        open_media_store(wrong).check()
    assert err.value.code == "media-store-denied"
    assert "AWS_SECRET_ACCESS_KEY" in err.value.message_zh
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", seaweed.env["AWS_SECRET_ACCESS_KEY"])
    with pytest.raises(MediaStoreError) as err:
        open_media_store(Settings(data_dir=tmp_path, media_store="s3://no-such-bucket/x")).check()
    assert err.value.code == "media-store-no-bucket" and "no-such-bucket" in err.value.message_zh
    down = Settings(
        data_dir=tmp_path,
        media_store=f"s3://{S3_BUCKET}/x",
        s3_endpoint=f"http://127.0.0.1:{_closed_port()}",
    )
    with pytest.raises(MediaStoreError) as err:
        open_media_store(down).check()
    assert (
        err.value.code == "media-store-unavailable" and "无法连接对象存储" in err.value.message_zh
    )
    with pytest.raises(MediaStoreError) as err:
        open_media_store(Settings(data_dir=tmp_path, media_store="ftp://x/y"))
    assert err.value.code == "media-store-url"


def test_sha256_state_travels() -> None:
    """The running hash saved after some bytes and resumed elsewhere gives the real digest."""
    data = os.urandom(1_000_003)
    h = ResumableSha256()
    h.update(data[:12345])
    resumed = ResumableSha256.from_state(h.state())
    resumed.update(memoryview(bytearray(data))[12345:])
    assert resumed.hexdigest() == hashlib.sha256(data).hexdigest()
    with pytest.raises(ValueError):
        ResumableSha256.from_state(b"junk")


def test_check_finds_a_file_deleted_behind_our_back(store_settings: Settings) -> None:
    from qmintake.db import migrate
    from qmintake.mediacheck import check_media
    from qmintake.tus import record_blob

    st = IntakeState(store_settings)
    try:
        migrate(st.db.engine)
        files = [b"\xff\xd8\xff" + os.urandom(1000 + i) for i in range(3)]
        shas = [hashlib.sha256(d).hexdigest() for d in files]
        for sha, data in zip(shas, files, strict=True):
            st.blobs.put(sha, io.BytesIO(data), len(data))
            record_blob(st, sha, len(data), "image/jpeg")
        stray = os.urandom(10)
        st.blobs.put(hashlib.sha256(stray).hexdigest(), io.BytesIO(stray), 10)
        found = check_media(st)
        assert (found.recorded, found.missing, found.unrecorded) == (3, [], 1)
        st.blobs.delete(shas[1])
        found = check_media(st)
        assert [sha for sha, _ in found.missing] == [shas[1]]
    finally:
        st.close()


def test_office_downloads_read_through_the_store(store_settings: Settings) -> None:
    """The office's archive reader (one seek to resume, then reads) works on both stores."""
    from qmintake.office.blobread import has_blob, open_blob

    st = IntakeState(store_settings)
    try:
        data = os.urandom(2 * 1024 * 1024 + 5)
        sha = hashlib.sha256(data).hexdigest()
        assert not has_blob(st, sha)
        st.blobs.put(sha, io.BytesIO(data), len(data))
        assert has_blob(st, sha)
        with open_blob(st, sha) as f:
            assert f.read() == data
        with open_blob(st, sha) as f:
            f.seek(1_000_001)  # a resumed download skips what it already sent
            assert f.read() == data[1_000_001:]
    finally:
        st.close()
