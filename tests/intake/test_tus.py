"""tus 1.0.0 uploads against a real server: every header rule and every error."""

from __future__ import annotations

import base64
import hashlib
import os
import threading
import time
from pathlib import Path

import pytest
import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg, make_mp4, make_png

from intake.protocol import (
    auth,
    create_upload,
    file_chunks,
    finalise,
    make_report,
    metadata,
    patch,
    put,
    sha256_file,
    stored_path,
    tus,
)
from intake.test_api import problem


@pytest.fixture
def opened(server: IntakeServer, media_dir: Path, request: pytest.FixtureRequest):
    """A token and a fresh JPEG listed in an open submission: ready to upload."""
    seed = abs(hash(request.node.name)) % 100_000
    path = make_jpeg(
        media_dir / f"{request.node.name}.jpg".replace("[", "_").replace("]", ""),
        seed=seed,
        size=(900, 700),
    )
    token = server.unit_token()
    report = make_report([path])
    assert put(server, token, report).status_code == 201
    return token, path, report


def test_options_needs_no_token(server: IntakeServer) -> None:
    r = requests.options(server.url("/api/v1/uploads/"), timeout=10)
    assert r.status_code == 204
    assert r.headers["Tus-Resumable"] == "1.0.0"
    assert r.headers["Tus-Version"] == "1.0.0"
    assert set(r.headers["Tus-Extension"].split(",")) == {
        "creation",
        "creation-with-upload",
        "termination",
        "expiration",
        "checksum",
    }
    assert int(r.headers["Tus-Max-Size"]) == 4 * 1024**3
    assert r.headers["Tus-Checksum-Algorithm"] == "sha1,sha256"


def test_version_and_token_required(server: IntakeServer, opened) -> None:
    token = opened[0]
    r = requests.post(
        server.url("/api/v1/uploads/"), headers={**auth(token), "Upload-Length": "1"}, timeout=10
    )
    body = problem(r, 412, "tus-version-unsupported")
    assert r.headers["Tus-Version"] == "1.0.0" and body
    r = requests.post(
        server.url("/api/v1/uploads/"),
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": "1"},
        timeout=10,
    )
    problem(r, 401, "token-missing")


def test_resumable_upload_in_pieces(server: IntakeServer, opened) -> None:
    token, path, report = opened
    r = create_upload(server, token, path)
    assert r.status_code == 201
    assert r.headers["Tus-Resumable"] == "1.0.0"
    assert "GMT" in r.headers["Upload-Expires"]
    loc = r.headers["Location"]
    assert loc.startswith(server.url("/api/v1/uploads/"))
    data = path.read_bytes()
    head = requests.head(loc, headers=tus(token), timeout=10)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == "0"
    assert head.headers["Upload-Length"] == str(len(data))
    assert head.headers["Cache-Control"] == "no-store"
    assert "sha256" in head.headers["Upload-Metadata"]
    cut = len(data) // 3
    r = patch(server, token, loc, 0, data[:cut])
    assert r.status_code == 204 and r.headers["Upload-Offset"] == str(cut)
    assert requests.head(loc, headers=tus(token), timeout=10).headers["Upload-Offset"] == str(cut)
    # a repeated chunk (lost answer) gets 409 with the server's offset
    again = patch(server, token, loc, 0, data[:cut])
    assert problem(again, 409, "upload-offset-mismatch")["offset"] == cut
    assert again.headers["Upload-Offset"] == str(cut)
    r = patch(server, token, loc, cut, data[cut:])
    assert r.status_code == 204 and r.headers["Upload-Offset"] == str(len(data))
    assert stored_path(server, sha256_file(path)).read_bytes() == data
    done = requests.head(loc, headers=tus(token), timeout=10)
    assert done.headers["Upload-Offset"] == str(len(data))
    late = patch(server, token, loc, len(data), b"x")
    assert problem(late, 409, "upload-offset-mismatch")["offset"] == len(data)
    assert finalise(server, token, report).status_code == 200


def test_creation_with_upload(server: IntakeServer, opened) -> None:
    token, path, report = opened
    data = path.read_bytes()
    r = requests.post(
        server.url("/api/v1/uploads/"),
        data=data,
        headers=tus(
            token,
            **{
                "Upload-Length": str(len(data)),
                "Upload-Metadata": metadata(sha256=sha256_file(path)),
                "Content-Type": "application/offset+octet-stream",
            },
        ),
        timeout=30,
    )
    assert r.status_code == 201, r.text
    assert r.headers["Upload-Offset"] == str(len(data))
    assert finalise(server, token, report).status_code == 200


def _upload_leases(server: IntakeServer) -> set[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(server.db_url or f"sqlite:///{server.data_dir / 'qmintake.sqlite3'}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT name FROM leases WHERE name LIKE :names"), {"names": "upload:%"}
            )
            return {str(r[0]) for r in rows}
    finally:
        engine.dispose()


def _until(what: str, condition) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)  # a poll's interval, not a guess at how long it takes


def test_creation_with_upload_writes_under_the_uploads_lease(
    server: IntakeServer, media_dir: Path
) -> None:
    """The request that makes an upload and carries its bytes holds the upload's lease
    (taken in the transaction that makes the upload) while it writes, and lets it go with
    the finished file's record — or when the body breaks off."""
    import socket

    token = server.unit_token()
    photo = make_jpeg(media_dir / "lease.jpg", seed=5150, size=(900, 700))
    report = make_report([photo])
    assert put(server, token, report).status_code == 201
    data = photo.read_bytes()
    headers = tus(
        token,
        **{
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(sha256=sha256_file(photo)),
            "Content-Type": "application/offset+octet-stream",
        },
    )
    before = _upload_leases(server)
    gate = threading.Event()

    def slow():
        yield data[:1000]
        gate.wait(10)
        yield data[1000:]

    answers: list[requests.Response] = []
    t = threading.Thread(
        target=lambda: answers.append(
            requests.post(server.url("/api/v1/uploads/"), data=slow(), headers=headers, timeout=30)
        )
    )
    t.start()
    _until("the creation request never took a lease", lambda: _upload_leases(server) - before)
    [held] = _upload_leases(server) - before
    gate.set()
    t.join(30)
    assert answers[0].status_code == 201, answers[0].text
    assert answers[0].headers["Upload-Offset"] == str(len(data))
    assert held == "upload:" + answers[0].headers["Location"].rsplit("/", 1)[1]
    assert _upload_leases(server) == before  # released with the file's record
    # a creation body that breaks off: the lease goes with the request
    second = make_jpeg(media_dir / "lease2.jpg", seed=5151, size=(900, 700))
    assert put(server, token, make_report([second])).status_code == 201
    body = second.read_bytes()
    host, port = server.base_url.rsplit("//", 1)[1].split(":")
    head = {
        **tus(
            token,
            **{
                "Upload-Length": str(len(body)),
                "Upload-Metadata": metadata(sha256=sha256_file(second)),
                "Content-Type": "application/offset+octet-stream",
            },
        ),
        "Content-Length": str(len(body)),
        "Host": f"{host}:{port}",
    }
    raw = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST /api/v1/uploads/ HTTP/1.1\r\n{raw}\r\n".encode() + body[:2000])
        _until(
            "the cut creation request never took a lease", lambda: _upload_leases(server) - before
        )
    _until("the lease of a cut creation request was kept", lambda: _upload_leases(server) == before)


def test_checksum_extension(server: IntakeServer, opened) -> None:
    token, path, _ = opened
    data = path.read_bytes()
    loc = create_upload(server, token, path).headers["Location"]
    half = data[: len(data) // 2]
    bad = base64.b64encode(hashlib.sha1(b"other").digest()).decode()
    r = patch(server, token, loc, 0, half, **{"Upload-Checksum": f"sha1 {bad}"})
    problem(r, 460, "checksum-mismatch")
    assert requests.head(loc, headers=tus(token), timeout=10).headers["Upload-Offset"] == "0"
    problem(
        patch(server, token, loc, 0, half, **{"Upload-Checksum": "md5 AAAA"}),
        400,
        "checksum-algorithm-unsupported",
    )
    good = base64.b64encode(hashlib.sha1(half).digest()).decode()
    assert (
        patch(server, token, loc, 0, half, **{"Upload-Checksum": f"sha1 {good}"}).status_code == 204
    )
    rest = data[len(half) :]
    good256 = base64.b64encode(hashlib.sha256(rest).digest()).decode()
    r = patch(server, token, loc, len(half), rest, **{"Upload-Checksum": f"sha256 {good256}"})
    assert r.status_code == 204
    assert stored_path(server, sha256_file(path)).read_bytes() == data


def test_creation_errors(server: IntakeServer, opened, tmp_path: Path) -> None:
    token, path, _ = opened
    sha = sha256_file(path)
    url = server.url("/api/v1/uploads/")

    def post(**headers: str) -> requests.Response:
        return requests.post(url, headers=tus(token, **headers), timeout=10)

    size = str(path.stat().st_size)
    problem(post(**{"Upload-Metadata": metadata(sha256=sha)}), 400, "upload-length-invalid")
    problem(
        post(**{"Upload-Length": "-1", "Upload-Metadata": metadata(sha256=sha)}),
        400,
        "upload-length-invalid",
    )
    problem(
        post(**{"Upload-Defer-Length": "1", "Upload-Metadata": metadata(sha256=sha)}),
        400,
        "upload-length-invalid",
    )
    problem(
        post(**{"Upload-Length": str(5 * 1024**3), "Upload-Metadata": metadata(sha256=sha)}),
        413,
        "upload-too-large",
    )
    problem(post(**{"Upload-Length": size}), 400, "upload-metadata-invalid")
    problem(
        post(**{"Upload-Length": size, "Upload-Metadata": "sha256 !!notbase64"}),
        400,
        "upload-metadata-invalid",
    )
    problem(
        post(**{"Upload-Length": size, "Upload-Metadata": metadata(sha256="abc")}),
        400,
        "upload-metadata-invalid",
    )
    for trick in ("../../etc/passwd", "..", "a\x00b.jpg", "x/../../y.jpg", "evil\n.jpg"):
        r = post(**{"Upload-Length": size, "Upload-Metadata": metadata(sha256=sha, filename=trick)})
        problem(r, 400, "upload-metadata-invalid")
    ok = post(
        **{
            "Upload-Length": size,
            "Upload-Metadata": metadata(sha256=sha, filename="C:\\照片\\启动仪式.jpg"),
        }
    )
    assert ok.status_code == 201
    # nothing escaped the uploads folder
    assert not (server.data_dir.parent / "passwd").exists()
    # a file no open submission of this unit lists
    problem(
        post(**{"Upload-Length": size, "Upload-Metadata": metadata(sha256="b" * 64)}),
        403,
        "upload-not-in-manifest",
    )
    problem(
        post(**{"Upload-Length": str(int(size) + 1), "Upload-Metadata": metadata(sha256=sha)}),
        403,
        "upload-not-in-manifest",
    )
    stranger = server.unit_token(name="陌生企业")
    r = requests.post(
        url,
        headers=tus(stranger, **{"Upload-Length": size, "Upload-Metadata": metadata(sha256=sha)}),
        timeout=10,
    )
    problem(r, 403, "upload-not-in-manifest")


def test_patch_errors(server: IntakeServer, opened) -> None:
    token, path, _ = opened
    data = path.read_bytes()
    loc = create_upload(server, token, path).headers["Location"]
    r = requests.patch(loc, data=b"abc", headers=tus(token, **{"Upload-Offset": "0"}), timeout=10)
    problem(r, 415, "upload-content-type")
    r = requests.patch(
        loc,
        data=b"abc",
        headers=tus(token, **{"Content-Type": "application/offset+octet-stream"}),
        timeout=10,
    )
    problem(r, 400, "upload-offset-invalid")
    problem(patch(server, token, loc, 5, b"abc"), 409, "upload-offset-mismatch")
    problem(patch(server, token, loc, 0, data + b"overflow"), 413, "upload-too-large")

    def overflow():  # no Content-Length: caught while streaming, nothing kept
        yield data
        yield b"more"

    problem(patch(server, token, loc, 0, overflow()), 413, "upload-too-large")
    assert requests.head(loc, headers=tus(token), timeout=10).headers["Upload-Offset"] == "0"
    stranger = server.unit_token(name="他人企业")
    problem(patch(server, stranger, loc, 0, b"x"), 404, "upload-not-found")
    problem(requests.head(loc, headers=tus(stranger), timeout=10), 404, "upload-not-found")
    trick = patch(server, token, server.url("/api/v1/uploads/..%2F..%2Fetc%2Fpasswd"), 0, b"x")
    assert trick.status_code == 404 and trick.json()["code"] in ("not-found", "upload-not-found")
    problem(
        patch(server, token, server.url("/api/v1/uploads/...."), 0, b"x"), 404, "upload-not-found"
    )


def test_hash_mismatch_discards(server: IntakeServer, opened) -> None:
    token, path, _ = opened
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # same size, different bytes
    loc = create_upload(server, token, path).headers["Location"]
    body = problem(patch(server, token, loc, 0, bytes(data)), 422, "upload-hash-mismatch")
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    problem(requests.head(loc, headers=tus(token), timeout=10), 410, "upload-expired")
    assert not stored_path(server, sha256_file(path)).exists()
    assert not list((server.data_dir / "uploads").glob(f"{loc.rsplit('/', 1)[1]}*"))


def test_media_type_is_sniffed(server: IntakeServer, media_dir: Path) -> None:
    token = server.unit_token()
    photo = make_jpeg(media_dir / "sniff-real.jpg", seed=999)
    fake = media_dir / "fake.jpg"
    fake.write_bytes(b"MZ" + os.urandom(5000))  # an .exe pretending to be a photo
    report = make_report([photo])
    report.media.append(
        report.media[0].__class__(
            sha256=sha256_file(fake),
            size=fake.stat().st_size,
            media_type="image/jpeg",
            original_name="fake.jpg",
            caption="假图片",
            activity_id="a1",
        )
    )
    assert put(server, token, report).status_code == 201
    loc = create_upload(server, token, fake).headers["Location"]
    body = problem(patch(server, token, loc, 0, fake.read_bytes()), 422, "media-type-mismatch")
    assert body["detected_type"] == ""
    assert finalise(server, token, report).json()["code"] == "media-missing"


def test_declared_type_must_match_the_bytes(server: IntakeServer, media_dir: Path) -> None:
    token = server.unit_token()
    png = make_png(media_dir / "looks-like.jpg", seed=31)
    report = make_report([png])
    report.media[0].media_type = "image/jpeg"  # the manifest says JPEG; the bytes are PNG
    assert put(server, token, report).status_code == 201
    loc = create_upload(server, token, png).headers["Location"]
    body = problem(patch(server, token, loc, 0, png.read_bytes()), 422, "media-type-mismatch")
    assert body["detected_type"] == "image/png"
    assert not stored_path(server, sha256_file(png)).exists()


def test_terminate(server: IntakeServer, opened) -> None:
    token, path, _ = opened
    loc = create_upload(server, token, path).headers["Location"]
    assert patch(server, token, loc, 0, path.read_bytes()[:100]).status_code == 204
    r = requests.delete(loc, headers=tus(token), timeout=10)
    assert r.status_code == 204 and r.headers["Tus-Resumable"] == "1.0.0"
    problem(requests.head(loc, headers=tus(token), timeout=10), 410, "upload-expired")
    problem(patch(server, token, loc, 100, b"x"), 410, "upload-expired")


def _wait_for_bytes_on_disk(server: IntakeServer, loc: str) -> None:
    """Until a PATCH under way has written its first bytes to the server's disk."""
    part = server.data_dir / "uploads" / (loc.rsplit("/", 1)[1] + ".part")
    deadline = time.monotonic() + 20
    while not (part.exists() and part.stat().st_size > 0):
        assert time.monotonic() < deadline, "the PATCH's first bytes never reached the disk"
        time.sleep(0.01)  # a poll's interval, not a guess at how long it takes


def test_concurrent_patches_one_wins(server: IntakeServer, media_dir: Path) -> None:
    token = server.unit_token()
    video = make_mp4(media_dir / "concurrent.mp4", seconds=1.0)
    photo = make_jpeg(media_dir / "concurrent.jpg", seed=4242)
    report = make_report([photo, video])
    assert put(server, token, report).status_code == 201
    loc = create_upload(server, token, video).headers["Location"]
    data = video.read_bytes()
    gate = threading.Event()

    def slow():
        yield data[:1000]
        gate.wait(10)
        for i in range(1000, len(data), 4096):
            yield data[i : i + 4096]

    results: list[requests.Response] = []
    t = threading.Thread(target=lambda: results.append(patch(server, token, loc, 0, slow())))
    t.start()
    _wait_for_bytes_on_disk(server, loc)  # the first PATCH holds the upload now
    second = [patch(server, token, loc, 0, data), patch(server, token, loc, 1000, data[1000:])]
    gate.set()
    t.join(30)
    for r in second:
        assert r.status_code in (409, 423), r.text
    assert {r.json()["code"] for r in second} <= {"upload-locked", "upload-offset-mismatch"}
    assert any(r.status_code == 423 for r in second)
    assert results[0].status_code == 204, results[0].text
    assert stored_path(server, sha256_file(video)).read_bytes() == data


def test_expired_uploads(backend: str, campaign_files, tmp_path: Path) -> None:
    srv = IntakeServer(
        tmp_path / "expiring",
        db_url=backend,
        campaign_files=campaign_files,
        extra_args=["--upload-expiry-hours", "0.0005"],
    )  # 1.8 s
    with srv:
        token = srv.unit_token()
        photo = make_jpeg(tmp_path / "e.jpg", seed=5)
        assert put(srv, token, make_report([photo])).status_code == 201
        r = create_upload(srv, token, photo)
        loc = r.headers["Location"]
        assert patch(srv, token, loc, 0, photo.read_bytes()[:50]).status_code == 204
        deadline = time.monotonic() + 30
        while (head := requests.head(loc, headers=tus(token), timeout=10)).status_code == 200:
            assert time.monotonic() < deadline, "the upload never expired"
            time.sleep(0.05)  # a poll's interval: it expires 1.8 s after its last write
        problem(head, 410, "upload-expired")
        problem(patch(srv, token, loc, 50, b"x"), 410, "upload-expired")
        leftover = srv.data_dir / "uploads" / "hook-0123.part"  # a crash in a hook's copy
        leftover.write_bytes(b"x")
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))
        assert "1 expired upload(s) removed" in srv.cli("sweep").stdout
        assert not leftover.exists()
        assert not list((srv.data_dir / "uploads").iterdir())


def test_server_killed_mid_upload_resumes(backend: str, campaign_files, tmp_path: Path) -> None:
    video = make_mp4(tmp_path / "long.mp4", seconds=4.0, size=(640, 480))
    photo = make_jpeg(tmp_path / "k.jpg", seed=8)
    data = video.read_bytes()
    srv = IntakeServer(tmp_path / "killed", db_url=backend, campaign_files=campaign_files)
    with srv:
        token = srv.unit_token()
        report = make_report([photo, video])
        assert put(srv, token, report).status_code == 201
        loc = create_upload(srv, token, video).headers["Location"]
        sent = threading.Event()

        def trickle():
            step = max(1, len(data) // 20)
            for i in range(0, len(data), step):
                yield data[i : i + step]
                if i >= step * 5:
                    sent.set()
                    time.sleep(0.2)

        errors: list[BaseException] = []

        def run() -> None:
            try:
                patch(srv, token, loc, 0, trickle())
            except requests.RequestException as exc:
                errors.append(exc)

        t = threading.Thread(target=run)
        t.start()
        assert sent.wait(20)
        part = srv.data_dir / "uploads" / (loc.rsplit("/", 1)[1] + ".part")
        deadline = time.monotonic() + 20
        while part.stat().st_size == 0 and time.monotonic() < deadline:
            time.sleep(0.02)  # kill once some bytes reached the server's disk
        srv.kill()
        t.join(30)
        srv.start()
        offset = int(requests.head(loc, headers=tus(token), timeout=10).headers["Upload-Offset"])
        assert 0 < offset < len(data)
        assert (srv.data_dir / "uploads" / (loc.rsplit("/", 1)[1] + ".part")).read_bytes() == data[
            :offset
        ]
        r = patch(srv, token, loc, offset, file_chunks(video, offset))
        assert r.status_code == 204, r.text
        for p in (photo,):
            from intake.protocol import upload

            upload(srv, token, p)
        receipt = finalise(srv, token, report).json()
        assert {f["sha256"] for f in receipt["files"]} == {sha256_file(video), sha256_file(photo)}
        assert hashlib.sha256(
            stored_path(srv, sha256_file(video)).read_bytes()
        ).hexdigest() == sha256_file(video)
