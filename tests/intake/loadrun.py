"""Many simulated units submitting at once against one or more qmintake replicas.

Each unit puts a report listing its photos, uploads the ones the server asks for (tus
create + PATCH) and finalises, through whichever replica is up (a load balancer's round
robin; a failed request is retried on the next replica, resuming uploads from HEAD).
:func:`run_load` returns each submission's latency and the whole run's wall time.
"""

from __future__ import annotations

import itertools
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from intake.protocol import auth, metadata, put_body, sha256_file, tus

RETRYABLE = (409, 423, 500, 502, 503, 408)


@dataclass
class Unit:
    token: str
    report: Any
    files: list[Path]


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    retries: int = 0
    receipts: dict[str, str] = field(default_factory=dict)  # report uuid → receipt number

    def percentile(self, p: float) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]

    def summary(self, label: str) -> str:
        n = len(self.latencies)
        return (
            f"{label}: {n} submissions in {self.wall_s:.1f} s = {n / self.wall_s:.1f}/s; "
            f"latency p50 {self.percentile(50):.2f} s, p99 {self.percentile(99):.2f} s, "
            f"mean {statistics.mean(self.latencies):.2f} s; {self.retries} retried requests"
        )


class Balancer:
    """Round robin over replica base URLs; ``request`` retries on the next one."""

    def __init__(self, bases: Sequence[str]) -> None:
        self.bases = list(bases)
        self._next = itertools.count()
        self.retries = 0
        self._lock = threading.Lock()

    def base(self) -> str:
        return self.bases[next(self._next) % len(self.bases)]

    def request(self, method: str, path: str, ok: Callable[[requests.Response], bool], **kw: Any):
        deadline = time.monotonic() + 120
        while True:
            try:
                r = requests.request(method, self.base() + path, timeout=(3, 60), **kw)
                if ok(r):
                    return r
                if r.status_code not in RETRYABLE:
                    raise AssertionError(f"{method} {path}: {r.status_code} {r.text[:300]}")
            except requests.RequestException:
                pass
            with self._lock:
                self.retries += 1
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} {path} did not succeed in 120 s")
            time.sleep(0.2)  # back off before the next replica


def _upload(lb: Balancer, token: str, path: Path) -> None:
    data = path.read_bytes()
    meta = metadata(sha256=sha256_file(path), filename=path.name)
    r = lb.request(
        "POST",
        "/api/v1/uploads/",
        lambda r: r.status_code == 201,
        headers=tus(token, **{"Upload-Length": str(len(data)), "Upload-Metadata": meta}),
    )
    upath = "/api/v1/uploads/" + r.headers["Location"].rsplit("/", 1)[1]
    while True:
        head = lb.request("HEAD", upath, lambda r: r.status_code == 200, headers=tus(token))
        at = int(head.headers["Upload-Offset"])
        if at == len(data):
            return
        headers = tus(
            token,
            **{"Content-Type": "application/offset+octet-stream", "Upload-Offset": str(at)},
        )
        try:
            r = requests.patch(lb.base() + upath, data=data[at:], headers=headers, timeout=(3, 60))
            if r.status_code == 204 and int(r.headers["Upload-Offset"]) == len(data):
                return
            if r.status_code not in RETRYABLE:
                raise AssertionError(f"PATCH: {r.status_code} {r.text[:300]}")
        except requests.RequestException:
            pass
        with lb._lock:
            lb.retries += 1
        time.sleep(0.2)


def submit_unit(lb: Balancer, unit: Unit) -> tuple[float, str]:
    started = time.monotonic()
    body = put_body(unit.report)
    path = f"/api/v1/submissions/{unit.report.uuid}"
    r = lb.request(
        "PUT", path, lambda r: r.status_code in (200, 201), json=body, headers=auth(unit.token)
    )
    missing = set(r.json()["missing_media"])
    for f in unit.files:
        if sha256_file(f) in missing:
            _upload(lb, unit.token, f)
    done = lb.request(
        "POST",
        f"{path}/finalise",
        lambda r: r.status_code == 200,
        json={"revision": unit.report.revision, "report_sha256": body["report_sha256"]},
        headers=auth(unit.token),
    )
    return time.monotonic() - started, done.json()["receipt_number"]


def run_load(
    bases: Sequence[str],
    units: Sequence[Unit],
    clients: int = 16,
    at_half: Callable[[], None] | None = None,
) -> LoadResult:
    """Submit every unit with ``clients`` at once; ``at_half`` runs when half are done."""
    lb = Balancer(bases)
    result = LoadResult()
    lock = threading.Lock()
    half = threading.Event()

    def one(unit: Unit) -> None:
        latency, receipt = submit_unit(lb, unit)
        with lock:
            result.latencies.append(latency)
            result.receipts[unit.report.uuid] = receipt
            if len(result.latencies) >= len(units) // 2:
                half.set()

    started = time.monotonic()
    hook = threading.Thread(target=lambda: half.wait(600) and at_half and at_half())
    hook.start()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, units))
    hook.join(120)
    result.wall_s = time.monotonic() - started
    result.retries = lb.retries
    return result
