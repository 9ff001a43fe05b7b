"""What one send run reports and counts: :class:`SendEvent` for a progress display,
:class:`SendOutcome` per revision, the speed meter and the report's file manifest."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qmclient.sync.control import FileProgress
from qmclient.sync.errors import SyncError


@dataclass(frozen=True)
class SendEvent:
    """Where sending stands, for a progress display (GUI or terminal)."""

    submission_id: int
    revision: int
    stage: str  # connecting|verifying|uploading|finalising|received|retry-later|held|cancelled
    file: FileProgress | None = None
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    bytes_per_s: float = 0.0
    eta_s: float | None = None
    error: SyncError | None = None
    receipt: dict[str, Any] | None = None


@dataclass
class SendOutcome:
    submission_id: int
    revision: int
    receipt: dict[str, Any] | None = None
    error: SyncError | None = None
    skipped_files: int = 0
    uploaded_files: int = 0

    @property
    def ok(self) -> bool:
        return self.receipt is not None


class RateMeter:
    """Bytes per second over the last few seconds."""

    def __init__(self, window_s: float = 8.0) -> None:
        self.window_s = window_s
        self.samples: collections.deque[tuple[float, int]] = collections.deque()

    def add(self, total_sent: int) -> float:
        t = time.monotonic()
        self.samples.append((t, total_sent))
        while len(self.samples) > 2 and t - self.samples[0][0] > self.window_s:
            self.samples.popleft()
        t0, b0 = self.samples[0]
        return (total_sent - b0) / (t - t0) if t > t0 else 0.0


def manifest_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each distinct file of the report once, in report order: sha256, size, media_type."""
    seen: dict[str, dict[str, Any]] = {}
    for m in report.get("media") or []:
        if m["sha256"] not in seen:
            seen[m["sha256"]] = {
                "sha256": m["sha256"],
                "size": m["size"],
                "media_type": m.get("media_type", ""),
            }
    return list(seen.values())


def names_of(report: dict[str, Any]) -> dict[str, str]:
    return {m["sha256"]: m.get("original_name") or m["sha256"][:12] for m in report["media"]}


EventFn = Callable[[SendEvent], None]


@dataclass
class SendRun:
    """Totals of one revision being sent, for the progress events."""

    submission_id: int
    revision: int
    files_total: int = 0
    files_done: int = 0
    bytes_total: int = 0
    bytes_before: int = 0  # bytes of finished files (and earlier runs) counted as done
    sent_now: int = 0
    meter: RateMeter = field(default_factory=RateMeter)
    # the files in flight (several when small files go side by side), by SHA-256
    active: dict[str, FileProgress] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)  # the lanes share this


def event_of(run: SendRun, stage: str, file: FileProgress | None = None, **kw: Any) -> SendEvent:
    """Where ``run`` stands now: finished files whole, the ones in flight as far as each
    has come."""
    with run.lock:
        done = run.bytes_before + sum(p.done for p in run.active.values())
        speed = run.meter.add(run.sent_now + sum(p.sent_now for p in run.active.values()))
        files_done = run.files_done
    left = run.bytes_total - done
    return SendEvent(
        run.submission_id,
        run.revision,
        stage,
        file=file,
        files_done=files_done,
        files_total=run.files_total,
        bytes_done=done,
        bytes_total=run.bytes_total,
        bytes_per_s=speed,
        eta_s=left / speed if speed > 0 else None,
        **kw,
    )
