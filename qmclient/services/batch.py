"""Batch upload: send many reports at once, N at a time, exactly once, resumably.

Built on the outbox: :func:`queue_batch` queues every report in one transaction (checked
and frozen by :func:`~qmclient.services.outbox.queue_submissions`), and
:class:`BatchUploader` runs a few :class:`~qmclient.services.outbox.OutboxSender` workers
on threads (how many is chosen from the number and size of the reports,
:func:`choose_parallel`), each taking the next entry and keeping its HTTP connection.
Exactly-once and resuming are the outbox's (the server is asked what it has, uploads
resume from the offset kept in SQLite); the store's single writer serialises the workers'
writes.  A failure that may pass is retried a few times within the
batch, then left queued for the next run; one that needs the user is held.  Progress comes
per item and in total through :class:`BatchEvent`.

A district coordinator's token submits on behalf of the district's enterprises: the
endpoint accepts it for any enterprise of that district (docs/protocol.md).
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from qmclient.core import lifecycle
from qmclient.core.work import QmError
from qmclient.services.context import AppContext
from qmclient.services.outbox import (
    SENT,
    Discoveries,
    OutboxSender,
    SendEvent,
    SubmitRefused,
    queue_submissions,
)
from qmclient.services.records import revision_row
from qmclient.store.models import (
    MediaBlob,
    MediaItem,
    OutboxEntry,
    Submission,
)
from qmclient.sync.backoff import Backoff
from qmclient.sync.control import TransferControl
from qmclient.sync.errors import Cancelled
from qmclient.sync.http import HttpSettings

log = logging.getLogger("qmclient.batch")

MAX_PARALLEL = 8
# from this average size on, the reports' bytes are the limit: two at a time keep the line
# busy, and more only add each one's work on both sides (docs/performance.md)
BIG_REPORT = 16 * 1024 * 1024
WAITING, REFUSED, SENDING, RECEIVED, RETRYING, FAILED, HELD, STOPPED = (
    "waiting",
    "refused",
    "sending",
    "received",
    "retrying",
    "failed",
    "held",
    "stopped",
)
FINAL = frozenset({REFUSED, RECEIVED, FAILED, HELD, STOPPED})


@dataclass
class BatchItem:
    submission_id: int
    unit_name: str
    revision: int = 0
    state: str = WAITING
    entry_id: int | None = None
    attempts: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    receipt_number: str = ""
    error_code: str = ""
    message_zh: str = ""
    message_en: str = ""

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class BatchEvent:
    item: BatchItem  # a snapshot
    items_done: int
    items_total: int
    bytes_done: int
    bytes_total: int


EventFn = Callable[[BatchEvent], None]


def _names_and_statuses(ctx: AppContext, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each report's unit name and status, in one read."""
    with ctx.store.read() as s:
        rows = s.execute(
            select(Submission.id, Submission.unit_name, Submission.status).where(
                Submission.id.in_(ids)
            )
        )
        return {sid: (name, status) for sid, name, status in rows}


def queue_batch(ctx: AppContext, submission_ids: Iterable[int]) -> list[BatchItem]:
    """Check and queue every report, in one transaction (a batch killed mid-way resumes
    all of them from the outbox); one refused (errors, already sent) never stops the
    others."""
    ids = list(dict.fromkeys(submission_ids))
    known = _names_and_statuses(ctx, ids)
    items = []
    for sid in ids:
        name, status = known.get(sid, ("", ""))
        item = BatchItem(sid, name)
        items.append(item)
        if sid not in known:
            item.state, item.error_code = REFUSED, "not-found"
            item.message_zh, item.message_en = f"没有编号为 {sid} 的报告", f"no report {sid}"
            continue
        if status in (lifecycle.RECEIVED, lifecycle.ACCEPTED, lifecycle.RETURNED):
            item.state = RECEIVED
            item.revision = _revision(ctx, sid)
            item.receipt_number = _receipt_number(ctx, sid, item.revision)
            item.message_zh, item.message_en = "此前已报送", "sent before"
    waiting = [i for i in items if i.state not in FINAL]
    results = queue_submissions(ctx, [i.submission_id for i in waiting])
    for item in waiting:
        result = results[item.submission_id]
        if isinstance(result, SubmitRefused):
            item.state, item.error_code = REFUSED, "invalid"
            item.message_zh = "报告有错误，未报送：" + "；".join(
                f.message_zh for f in result.findings[:3]
            )
            item.message_en = "the report has errors: " + "; ".join(
                f.message_en for f in result.findings[:3]
            )
        elif isinstance(result, QmError):
            item.state, item.error_code = REFUSED, result.code
            item.message_zh, item.message_en = result.message_zh, result.message_en
        else:
            item.revision = result.revision
    return items


def _revision(ctx: AppContext, sid: int) -> int:
    with ctx.store.read() as s:
        sub = s.get(Submission, sid)
        return sub.revision if sub is not None else 0


def _receipt_number(ctx: AppContext, sid: int, revision: int) -> str:
    import json

    with ctx.store.read() as s:
        rev = revision_row(s, sid, revision)
        if rev is None or not rev.receipt_json:
            return ""
        return str(json.loads(rev.receipt_json).get("receipt_number", ""))


def choose_parallel(report_bytes: list[int]) -> int:
    """How many reports to send at once, from how many there are and how large they are.

    Each report costs round trips (the PUT, one creation request per file, finalising)
    and commits on both sides, during which a single transfer leaves the line idle;
    a few at once fill those gaps.  Large reports are bound by bytes, where two
    transfers keep the line busy and more only share it (docs/performance.md)."""
    n = len(report_bytes)
    if n <= 1:
        return 1
    if sum(report_bytes) / n >= BIG_REPORT:
        return 2
    return min(4, n)


def _report_bytes(ctx: AppContext, ids: list[int]) -> list[int]:
    with ctx.store.read() as s:
        rows = dict(
            s.execute(
                select(MediaItem.submission_id, func.sum(MediaBlob.size))
                .join(MediaBlob, MediaBlob.sha256 == MediaItem.sha256)
                .where(MediaItem.submission_id.in_(ids))
                .group_by(MediaItem.submission_id)
            ).all()
        )
    return [int(rows.get(sid) or 0) for sid in ids]


def pending_submissions(ctx: AppContext) -> list[int]:
    """Submissions with a revision still in the outbox (what a resumed batch sends)."""
    with ctx.store.read() as s:
        return list(
            dict.fromkeys(
                s.scalars(
                    select(OutboxEntry.submission_id)
                    .where(OutboxEntry.state != SENT)
                    .order_by(OutboxEntry.id)
                )
            )
        )


class BatchUploader:
    """Send the queued items with ``parallel`` workers.  Call :meth:`run` once."""

    def __init__(
        self,
        ctx: AppContext,
        items: list[BatchItem],
        *,
        parallel: int | None = None,
        retries: int = 3,
        retry_backoff: Backoff | None = None,
        on_event: EventFn | None = None,
        control: TransferControl | None = None,
        settings: HttpSettings | None = None,
        sender_options: dict[str, object] | None = None,
    ) -> None:
        self.ctx = ctx
        self.items = items
        if parallel is None:  # chosen here, from the reports to send
            waiting = [i.submission_id for i in items if i.state not in FINAL]
            parallel = choose_parallel(_report_bytes(ctx, waiting))
        self.parallel = max(1, min(int(parallel), MAX_PARALLEL))
        self.retries = retries
        self.retry_backoff = retry_backoff or Backoff(base_s=2.0, cap_s=30.0)
        self.on_event = on_event
        self.control = control or TransferControl()
        self.settings = settings
        self.sender_options = sender_options or {}
        self._lock = threading.Lock()
        self._by_sid = {i.submission_id: i for i in items}
        self._discoveries = Discoveries()  # the workers' senders ask the server once

    # -- progress
    def _emit(self, item: BatchItem) -> None:
        if self.on_event is None:
            return
        with self._lock:
            snap = dataclasses.replace(item)
            done = sum(1 for i in self.items if i.state in FINAL)
            event = BatchEvent(
                snap,
                done,
                len(self.items),
                sum(i.bytes_done for i in self.items),
                sum(i.bytes_total for i in self.items),
            )
        self.on_event(event)

    def _on_send(self, event: SendEvent) -> None:
        item = self._by_sid.get(event.submission_id)
        if item is None:
            return
        with self._lock:
            if event.bytes_total:
                item.bytes_total = event.bytes_total
                item.bytes_done = event.bytes_done
            if event.stage not in ("received", "retry-later", "held", "cancelled"):
                item.state = SENDING
        self._emit(item)

    # -- the work
    def _entry_for(self, item: BatchItem) -> int | None:
        with self.ctx.store.read() as s:
            return s.scalars(
                select(OutboxEntry.id)
                .where(
                    OutboxEntry.submission_id == item.submission_id,
                    OutboxEntry.state != SENT,
                )
                .order_by(OutboxEntry.revision.desc())
            ).first()

    def run(self) -> list[BatchItem]:
        work: queue.Queue[BatchItem] = queue.Queue()
        for item in self.items:
            if item.state in FINAL:
                continue
            item.entry_id = self._entry_for(item)
            if item.entry_id is None:
                item.state, item.error_code = FAILED, "not-queued"
                item.message_zh = "这份报告不在待发送队列中"
                item.message_en = "this report is not in the outbox"
                continue
            work.put(item)
        with OutboxSender(self.ctx, settings=self.settings) as sender:
            sender.recover()  # revisions left "sending" by a crash: queued again, once
        threads = [
            threading.Thread(target=self._worker, args=(work,), name=f"batch-{n}", daemon=True)
            for n in range(min(self.parallel, max(work.qsize(), 1)))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for item in self.items:
            if item.state not in FINAL:
                item.state = STOPPED
                item.message_zh = item.message_zh or "已暂停，下次继续"
                item.message_en = item.message_en or "paused; it resumes next time"
        return self.items

    def _worker(self, work: queue.Queue[BatchItem]) -> None:
        options: dict = dict(self.sender_options)  # type: ignore[type-arg]
        with OutboxSender(
            self.ctx,
            control=self.control,
            on_event=self._on_send,
            settings=self.settings,
            discoveries=self._discoveries,
            **options,
        ) as sender:
            while not self.control.cancelled:
                try:
                    item = work.get_nowait()
                except queue.Empty:
                    return
                self._send(sender, item, work)

    def _send(self, sender: OutboxSender, item: BatchItem, work: queue.Queue[BatchItem]) -> None:
        assert item.entry_id is not None
        item.attempts += 1
        item.state = SENDING
        self._emit(item)
        try:
            outcome = sender.send_entry(item.entry_id)
        except Exception as exc:  # a bug must not take the other items with it
            log.exception("batch: submission %s", item.submission_id)
            item.state, item.error_code = FAILED, "internal"
            item.message_zh, item.message_en = f"内部错误：{exc}", f"internal error: {exc}"
            self._emit(item)
            return
        err = outcome.error
        if outcome.ok and outcome.receipt is not None:
            item.state = RECEIVED
            item.receipt_number = str(outcome.receipt.get("receipt_number", ""))
            item.bytes_done = item.bytes_total
            item.error_code = item.message_zh = item.message_en = ""
        elif err is not None:
            item.error_code, item.message_zh, item.message_en = (
                err.code,
                err.message_zh,
                err.message_en,
            )
            if err.kind == "cancelled" or isinstance(err, Cancelled):
                item.state = STOPPED
            elif err.kind == "action":
                item.state = HELD
            elif item.attempts <= self.retries:
                item.state = RETRYING
                self._emit(item)
                try:
                    self.control.sleep(self.retry_backoff.delay(item.attempts - 1, err.retry_after))
                except Cancelled:
                    item.state = STOPPED
                    self._emit(item)
                    return
                work.put(item)
                return
            else:
                item.state = FAILED
        self._emit(item)


def upload(
    ctx: AppContext,
    submission_ids: Iterable[int],
    *,
    parallel: int | None = None,
    on_event: EventFn | None = None,
    control: TransferControl | None = None,
    **kwargs: object,
) -> list[BatchItem]:
    """Queue and send; returns every item with its final state."""
    items = queue_batch(ctx, submission_ids)
    uploader = BatchUploader(
        ctx,
        items,
        parallel=parallel,
        on_event=on_event,
        control=control,
        **kwargs,  # type: ignore[arg-type]
    )
    return uploader.run()
