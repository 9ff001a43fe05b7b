"""The long-work contract (core.work) and the bounded JSON reader (core.boundedjson)."""

from __future__ import annotations

import json
import threading

import pytest

from qmclient.core.boundedjson import JsonBounds, JsonRefused, loads_bounded, read_bounded
from qmclient.core.work import Cancelled, Progress, QmError, Work


def test_error_base_keeps_both_languages() -> None:
    err = QmError(zh="文件不存在", en="the file does not exist", code="missing")
    assert err.message("zh_CN") == "文件不存在"
    assert err.message("en_US") == "the file does not exist"
    assert err.code == "missing" and str(err) == "the file does not exist"


def test_cancel_from_another_thread_stops_the_worker() -> None:
    seen: list[Progress] = []
    work = Work(seen.append)
    reached = threading.Event()

    def worker() -> None:
        for i in range(1_000_000):
            work.progress(i, 10)
            if i == 3:
                reached.set()
                work.sleep(30)  # woken by cancel, not by the clock

    failures: list[BaseException] = []

    def run() -> None:
        try:
            worker()
        except Cancelled as exc:
            failures.append(exc)

    t = threading.Thread(target=run)
    t.start()
    assert reached.wait(5)
    work.cancel()
    t.join(5)
    assert not t.is_alive()
    assert len(failures) == 1 and failures[0].code == "cancelled"
    assert [p.done for p in seen] == [0, 1, 2, 3]
    work.reset()
    work.check()  # usable again


def test_part_scales_into_the_whole() -> None:
    seen: list[Progress] = []
    work = Work(seen.append)
    part = work.part(50, 50, 100)
    part.progress(5, 10, "half")
    assert seen[-1] == Progress(75, 100, "half")
    part.cancel()
    with pytest.raises(Cancelled):
        work.check()


@pytest.mark.parametrize(
    "text,needle",
    [
        ("[" * 10_000 + "]" * 10_000, "nested"),
        (json.dumps({"a": "x" * (10 * 1024 * 1024)}), "too large"),
        ("{" + ",".join(f'"k{i}":0' for i in range(1_000_000)) + "}", "too large"),
        ('{"a": "unterminated', "cut off"),
        ('{"a": 1,}', "not valid JSON"),
    ],
)
def test_hostile_json_is_refused_with_the_name(text: str, needle: str) -> None:
    with pytest.raises(JsonRefused) as info:
        loads_bounded(text, "manifest.json")
    assert needle in info.value.message_en
    assert info.value.message_en.startswith("manifest.json: ")
    assert info.value.message_zh.startswith("manifest.json：")


def test_item_and_string_bounds() -> None:
    bounds = JsonBounds(max_bytes=10**9, max_items=1000, max_string=100)
    with pytest.raises(JsonRefused, match="more than 1000 items"):
        loads_bounded("[" + ",".join(["0"] * 2000) + "]", "a", bounds)
    with pytest.raises(JsonRefused, match="longer than 100"):
        loads_bounded(json.dumps(["y" * 101]), "a", bounds)
    # escaped quotes do not end a string early
    assert loads_bounded(json.dumps(['a"b\\', "c"]), "a", bounds) == ['a"b\\', "c"]


def test_read_bounded_reads_no_more_than_the_limit(tmp_path) -> None:
    p = tmp_path / "big.json"
    p.write_bytes(b"[" + b"0," * 600 + b"0]")
    with pytest.raises(JsonRefused, match="too large"):
        read_bounded(p, bounds=JsonBounds(max_bytes=1000))
    assert read_bounded(p, bounds=JsonBounds(max_bytes=2000))[0] == 0
    with pytest.raises(JsonRefused, match="cannot be read"):
        read_bounded(tmp_path / "absent.json")


def test_sync_cancelled_is_the_one_cancelled_and_a_sync_error() -> None:
    from qmclient.sync.errors import Cancelled as SyncCancelled
    from qmclient.sync.errors import SyncError

    err = SyncCancelled()
    assert isinstance(err, Cancelled) and isinstance(err, SyncError)
    assert err.code == "cancelled" and err.kind == "cancelled"
    assert err.message("zh") == "已暂停/取消传输"
