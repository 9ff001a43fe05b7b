"""The small files of one report travel side by side, each exactly once, and a kill with
several in flight costs at most those files (each smaller than one chunk)."""

from __future__ import annotations

import random
import signal
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from netfault import FaultProxy
from PIL import Image
from reports import ready_submission
from test_kill_and_faults import run_client
from test_outbox_intake import sender, server_file
from tus_helpers import sha256_of

from qmclient.services import drafts, outbox
from qmclient.services.context import AppContext, open_context
from qmclient.services.sendlanes import FILE_LANES
from qmclient.sync.tokens import save_token

MiB = 1 << 20


def noise_photos(folder: Path, count: int, seed: int, size: tuple[int, int]) -> list[Path]:
    """JPEGs of noise (they do not compress: their size is what travels)."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    paths = []
    for i in range(count):
        w, h = size
        im = Image.frombytes("RGB", (w, h), rnd.randbytes(w * h * 3))
        path = folder / f"IMG_{seed}_{i:03d}.jpg"
        im.save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def report_with(ctx: AppContext, folder: Path, photos: list[Path], seed: int) -> int:
    sid = ready_submission(ctx, folder, photos=1, seed=seed)
    result = drafts.attach_files(ctx, sid, photos, caption="活动现场")
    assert not result.failed, result.failed
    return sid


class ServerDb:
    """The intake server's database, read beside it (what it holds, which leases)."""

    def __init__(self, intake: Any) -> None:
        url = intake.db_url or f"sqlite:///{intake.data_dir / 'qmintake.sqlite3'}"
        self.engine = sa.create_engine(url)

    def scalars(self, sql: str) -> list[Any]:
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(sa.text(sql))]

    def close(self) -> None:
        self.engine.dispose()


def test_small_files_go_side_by_side_each_exactly_once(
    ctx: AppContext, intake: Any, logged_in: str, tmp_path: Path
) -> None:
    photos = noise_photos(tmp_path / "photos", 8, seed=1, size=(320, 240))
    sid = report_with(ctx, tmp_path / "src", photos, seed=1)
    outbox.queue_submission(ctx, sid)
    report = drafts.load_report(ctx, sid)
    db = ServerDb(intake)
    most = [0]
    stop = threading.Event()

    def watch_leases() -> None:
        # a creation request holds its upload's lease while it writes the body: two at
        # once are two files in flight at once
        while not stop.is_set():
            held = db.scalars("SELECT count(*) FROM leases WHERE name LIKE 'upload:' || '%'")[0]
            most[0] = max(most[0], int(held))
            stop.wait(0.005)  # a poll's interval

    with FaultProxy(intake.port) as proxy:
        proxy.rate_up = 96 * 1024  # per connection: each photo takes a moment on the line
        endpoint = outbox.set_endpoint(ctx, proxy.url)
        save_token(endpoint, logged_in)
        watcher = threading.Thread(target=watch_leases, daemon=True)
        watcher.start()
        try:
            with sender(ctx) as s:
                [out] = s.send_all()
        finally:
            stop.set()
            watcher.join(10)
    try:
        assert out.ok, out.error
        assert out.uploaded_files == len(report.media)
        assert most[0] >= 2, "the photos went one after another"
        assert most[0] <= FILE_LANES
        # each file once on the server: one finished upload per file, none left open
        uploads = db.scalars("SELECT sha256 FROM uploads WHERE state = 'done'")
        assert sorted(uploads) == sorted(m.sha256 for m in report.media)
        assert db.scalars("SELECT count(*) FROM uploads WHERE state != 'done'") == [0]
        assert db.scalars("SELECT count(*) FROM leases") == [0]
    finally:
        db.close()
    receipt = out.receipt
    assert receipt is not None
    assert {f["sha256"] for f in receipt["files"]} == {m.sha256 for m in report.media}
    for m in report.media:
        assert sha256_of(server_file(intake, m.sha256)) == m.sha256


def test_a_kill_with_files_in_flight_resends_at_most_those_files(
    tmp_path: Path, intake: Any
) -> None:
    data_dir = tmp_path / "client"
    token = intake.unit_token()
    photos = noise_photos(tmp_path / "photos", 10, seed=2, size=(640, 480))
    biggest = max(p.stat().st_size for p in photos)
    total = sum(p.stat().st_size for p in photos)
    db = ServerDb(intake)
    with FaultProxy(intake.port) as proxy:
        proxy.rate_up = 1 * MiB  # per connection, so the kill lands with files in flight
        ctx = open_context(data_dir)
        sid = report_with(ctx, tmp_path / "src", photos, seed=2)
        outbox.set_endpoint(ctx, proxy.url)
        outbox.queue_submission(ctx, sid)
        report = drafts.load_report(ctx, sid)
        ctx.close()
        proc = run_client(data_dir, token)
        deadline = time.monotonic() + 60
        while True:  # until a few photos are on the server, the others under way
            done = db.scalars("SELECT count(*) FROM uploads WHERE state = 'done'")[0]
            if done >= 3:
                break
            assert time.monotonic() < deadline, "no photo arrived"
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.01)  # a poll's interval
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
        done_at_kill = db.scalars("SELECT count(*) FROM uploads WHERE state = 'done'")[0]
        assert done_at_kill < len(report.media), "the kill came after the last file"
        proxy.rate_up = None
        again = run_client(data_dir, token)
        output = again.communicate(timeout=120)[0]
        assert again.returncode == 0, output
        sent = proxy.stats.bytes_up
    try:
        # every file once on the server, and what went up twice is at most the files in
        # flight at the kill (one creation request each, never more than one chunk)
        uploads = db.scalars("SELECT sha256 FROM uploads WHERE state = 'done'")
        assert sorted(uploads) == sorted(m.sha256 for m in report.media)
    finally:
        db.close()
    files = sum(m.size for m in report.media)
    assert files >= total
    assert sent - files <= FILE_LANES * biggest + 256 * 1024
    for m in report.media:
        assert sha256_of(server_file(intake, m.sha256)) == m.sha256
    ctx = open_context(data_dir)
    try:
        assert outbox.receipt_of(ctx, sid) is not None
        assert drafts.status_of(ctx, sid) == "received"
    finally:
        ctx.close()
