"""Submitting and sending: validate, freeze and queue a report; send the queue, exactly once.

- :func:`queue_submission` checks the report (refusing it on errors, or on lateness when
  the campaign refuses late reports), freezes the current revision (its JSON and hash are
  kept as they will be sent) and puts it in the outbox.
- :class:`OutboxSender` sends queued revisions in order: it asks the endpoint what it
  already has (``PUT``), uploads only the missing files over tus (resuming where an earlier
  run stopped, the upload URL and offset kept in SQLite), finalises and keeps the receipt.
  Every step is idempotent on the server, so a repeat after a lost answer is harmless.
- What fails is retried later without help (``next_attempt_at`` with backoff) or, when the
  user must act (log in, fix a file), held with a message saying what to do.
- :func:`check_status` asks the office's verdict: received, returned for revision (with
  the comment), accepted.

All progress is reported through :class:`SendEvent` callbacks (bytes per file and in
total, speed, time left), so the GUI runs :class:`OutboxSender` on a worker thread and
pauses or cancels it with :class:`~qmclient.sync.control.TransferControl`.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from qmclient.core import lifecycle
from qmclient.core.campaign import Campaign, CampaignError
from qmclient.core.files import atomic_write, sha256_file
from qmclient.core.validation import Finding, has_errors
from qmclient.core.work import Progress, QmError
from qmclient.services import clock, drafts, settings
from qmclient.services.context import AppContext
from qmclient.store.errors import StoreFullError
from qmclient.store.models import (
    AuditEvent,
    MediaUpload,
    OutboxEntry,
    Submission,
    SubmissionRevision,
    utcnow,
)
from qmclient.sync.api import IntakeClient, normalize_endpoint, not_logged_in
from qmclient.sync.backoff import Backoff
from qmclient.sync.control import FileProgress, TransferControl
from qmclient.sync.errors import SyncError
from qmclient.sync.http import HttpClient, HttpSettings
from qmclient.sync.tokens import load_token
from qmclient.sync.tus import (
    DEFAULT_CHUNK,
    ResumePoint,
    TusUploader,
    UploadTarget,
    file_changed_error,
)

log = logging.getLogger("qmclient.sync")

QUEUED, SENT, HELD = "queued", "sent", "held"


class SubmitRefused(QmError):
    """The report has errors (or is late under a refusing campaign): it was not queued."""

    code = "submit-refused"

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            zh="报告还有错误，没有加入发送队列。请先改正检查中列出的问题，再提交。",
            en="the report has errors and was not queued; fix what the checks list, then "
            "submit again",
        )
        self.findings = findings


@dataclass(frozen=True)
class QueueResult:
    submission_id: int
    revision: int
    report_hash: str
    endpoint: str
    warnings: list[Finding]
    already_queued: bool = False


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


# ----------------------------------------------------------------------------- settings


def set_endpoint(ctx: AppContext, url: str) -> str:
    """Use ``url`` as the intake endpoint (over the campaign's); returns its normal form."""
    base = normalize_endpoint(url)
    settings.write(ctx, settings.ENDPOINT, base)
    return base


def endpoint_for(ctx: AppContext, campaign: Campaign | None = None) -> str:
    """The endpoint to send to: the one set by the user, else the campaign's."""
    chosen = settings.read(ctx, settings.ENDPOINT)
    if not chosen and campaign is not None:
        chosen = campaign.endpoint_url
    if not chosen:
        raise SyncError(
            "no-endpoint",
            zh="报送办公室尚未公布网上报送地址。请导出报告后通过电子邮件报送，或运行"
            "“qmclient login --endpoint 地址”设置报送地址。",
            en="The office has not published an endpoint. Export the report and send it by "
            "e-mail, or set the address with 'qmclient login --endpoint URL'.",
            kind="action",
        )
    return normalize_endpoint(chosen)


def http_settings(ctx: AppContext) -> HttpSettings:
    """The session's settings: the proxy chosen in the network settings, else the system's."""
    from qmclient.services.network import http_proxy

    return HttpSettings(proxy=http_proxy(ctx))


# ----------------------------------------------------------------------------- queueing


def _audit(s: Session, sub: Submission, revision: int, action: str, detail: Any = "") -> None:
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    s.add(AuditEvent(submission_uuid=sub.uuid, revision=revision, action=action, detail=text))


@contextlib.contextmanager
def _writing(ctx: AppContext) -> Iterator[Session]:
    """A write transaction; a full disk becomes a clear :class:`SyncError`."""
    try:
        with ctx.store.write() as s:
            yield s
    except (OperationalError, StoreFullError) as exc:
        if isinstance(exc, StoreFullError) or "full" in str(exc).lower():
            raise SyncError(
                "disk-full",
                zh="磁盘空间已满，无法记录发送进度。请释放一些磁盘空间后重试；已记录的内容不会丢失。",
                en="The disk is full, so sending progress cannot be recorded. Free some disk "
                "space and try again; nothing recorded so far is lost.",
                kind="action",
            ) from None
        raise


def _entry_rows(s: Session, entry_id: int) -> tuple[OutboxEntry, Submission, SubmissionRevision]:
    """An outbox entry with its report and the frozen revision it sends."""
    entry = s.get(OutboxEntry, entry_id)
    assert entry is not None
    sub = s.get(Submission, entry.submission_id)
    assert sub is not None
    rev = s.scalars(
        select(SubmissionRevision).where(
            SubmissionRevision.submission_id == sub.id,
            SubmissionRevision.revision == entry.revision,
        )
    ).one()
    return entry, sub, rev


def queue_submission(
    ctx: AppContext, submission_id: int, *, now: dt.datetime | None = None
) -> QueueResult:
    """Check, freeze and queue the current revision.  Raises :class:`SubmitRefused`."""
    with ctx.store.read() as s:
        sub = s.get(Submission, submission_id)
        if sub is None:
            raise drafts.NotFoundError(
                zh=f"没有编号为 {submission_id} 的报告（可能已被删除）。",
                en=f"no submission {submission_id} (it may have been deleted)",
            )
        status, campaign_id = sub.status, sub.campaign_id
    campaign = ctx.campaigns.get(campaign_id)
    endpoint = endpoint_for(ctx, campaign)
    if status in (lifecycle.QUEUED, lifecycle.SENDING):
        rev = drafts.freeze(ctx, submission_id)
        return QueueResult(submission_id, rev.revision, rev.report_hash, endpoint, [], True)
    if status not in (lifecycle.DRAFT, lifecycle.READY, lifecycle.EXPORTED):
        raise SyncError(
            "already-sent",
            zh=f"这份报告的当前版本已经报送（状态：{lifecycle.LABELS[status][0]}）。"
            "如需修改，请先编辑报告（会生成新的版本），再报送。",
            en=f"The current revision of this report was already sent (status: "
            f"{lifecycle.LABELS[status][1]}). Edit it first (that opens a new revision), "
            "then submit again.",
            kind="action",
        )
    findings = drafts.validate_submission(ctx, submission_id, now or clock.now(ctx, endpoint))
    if has_errors(findings):
        raise SubmitRefused([f for f in findings if f.severity == "error"])
    rev = drafts.freeze(ctx, submission_id)
    with _writing(ctx) as s:
        sub = s.get(Submission, submission_id)
        assert sub is not None
        lifecycle.check_transition(sub.status, lifecycle.QUEUED)
        sub.status = lifecycle.QUEUED
        sub.updated_at = utcnow()
        entry = s.scalars(
            select(OutboxEntry).where(
                OutboxEntry.submission_id == submission_id,
                OutboxEntry.revision == rev.revision,
            )
        ).first()
        if entry is None:
            s.add(
                OutboxEntry(
                    submission_id=submission_id, revision=rev.revision, endpoint_url=endpoint
                )
            )
        else:
            entry.state, entry.next_attempt_at, entry.endpoint_url = QUEUED, None, endpoint
        _audit(
            s, sub, rev.revision, "queued", {"endpoint": endpoint, "report_hash": rev.report_hash}
        )
    warnings = [f for f in findings if f.severity == "warning"]
    return QueueResult(submission_id, rev.revision, rev.report_hash, endpoint, warnings)


def unqueue(ctx: AppContext, submission_id: int) -> None:
    """Take a queued (not yet sending) revision out of the outbox; it stays frozen."""
    with _writing(ctx) as s:
        sub = s.get(Submission, submission_id)
        if sub is None:
            raise drafts.NotFoundError(
                zh=f"没有编号为 {submission_id} 的报告（可能已被删除）。",
                en=f"no submission {submission_id} (it may have been deleted)",
            )
        lifecycle.check_transition(sub.status, lifecycle.DRAFT)
        for entry in s.scalars(
            select(OutboxEntry).where(
                OutboxEntry.submission_id == submission_id, OutboxEntry.state != SENT
            )
        ):
            s.delete(entry)
        sub.status = lifecycle.DRAFT
        _audit(s, sub, sub.revision, "unqueued")


@dataclass(frozen=True)
class QueueRow:
    entry_id: int
    submission_id: int
    revision: int
    title: str
    state: str
    attempts: int
    next_attempt_at: dt.datetime | None
    error_code: str
    error_zh: str
    error_en: str


def outbox_rows(ctx: AppContext, *, include_sent: bool = False) -> list[QueueRow]:
    q = (
        select(OutboxEntry, Submission.title)
        .join(Submission, Submission.id == OutboxEntry.submission_id)
        .order_by(OutboxEntry.id)
    )
    if not include_sent:
        q = q.where(OutboxEntry.state != SENT)
    with ctx.store.read() as s:
        return [
            QueueRow(
                e.id,
                e.submission_id,
                e.revision,
                title,
                e.state,
                e.attempts,
                e.next_attempt_at,
                e.last_error_code,
                e.last_error_zh,
                e.last_error_en,
            )
            for e, title in s.execute(q)
        ]


def due_entries(ctx: AppContext, *, include_waiting: bool = True) -> list[int]:
    """Outbox entries to try now, in queue order.

    ``include_waiting`` (a user asking to sync now) also takes entries waiting for their
    next attempt and those held for the user; a background run leaves them.
    """
    now = utcnow()
    with ctx.store.read() as s:
        q = select(OutboxEntry).where(OutboxEntry.state != SENT).order_by(OutboxEntry.id)
        out = []
        for e in s.scalars(q):
            if not include_waiting and (
                e.state == HELD or (e.next_attempt_at is not None and e.next_attempt_at > now)
            ):
                continue
            out.append(e.id)
        return out


# ----------------------------------------------------------------------------- sending


class _SqlResume:
    """The tus resume point of one file of one revision, in ``media_upload``."""

    def __init__(self, ctx: AppContext, row_id: int) -> None:
        self.ctx = ctx
        self.row_id = row_id

    def load(self) -> ResumePoint:
        with self.ctx.store.read() as s:
            row = s.get(MediaUpload, self.row_id)
            assert row is not None
            return ResumePoint(row.upload_url, row.offset, row.expires_at)

    def save(self, point: ResumePoint) -> None:
        with _writing(self.ctx) as s:
            row = s.get(MediaUpload, self.row_id)
            assert row is not None
            row.upload_url = point.url
            row.offset = point.offset
            row.expires_at = point.expires_at
            row.status = "done" if point.url and point.offset >= row.length else "sending"
            row.updated_at = utcnow()


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


def _names(report: dict[str, Any]) -> dict[str, str]:
    return {m["sha256"]: m.get("original_name") or m["sha256"][:12] for m in report["media"]}


EventFn = Callable[[SendEvent], None]


@dataclass
class _Run:
    """Totals of one revision being sent, for the progress events."""

    submission_id: int
    revision: int
    files_total: int = 0
    files_done: int = 0
    bytes_total: int = 0
    bytes_before: int = 0  # bytes of finished files (and earlier runs) counted as done
    sent_now: int = 0
    meter: RateMeter = field(default_factory=RateMeter)


class OutboxSender:
    """Sends the outbox.  One instance per run; not shared between threads."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        control: TransferControl | None = None,
        on_event: EventFn | None = None,
        settings: HttpSettings | None = None,
        backoff: Backoff | None = None,
        tus_backoff: Backoff | None = None,
        chunk_size: int = DEFAULT_CHUNK,
        max_stalls: int = 8,
        refresh_campaigns: bool = True,
    ) -> None:
        self.ctx = ctx
        self.control = control or TransferControl()
        self.on_event = on_event
        self.settings = settings or http_settings(ctx)
        self.backoff = backoff or Backoff(base_s=30.0, cap_s=3600.0)
        self.tus_backoff = tus_backoff or Backoff()
        self.chunk_size = chunk_size
        self.max_stalls = max_stalls
        self.refresh_campaigns = refresh_campaigns
        self._http = HttpClient(self.settings)
        self._discovered: dict[str, str] = {}  # endpoint -> tus creation URL

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> OutboxSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _emit(self, event: SendEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)

    # -------------------------------------------------------------- the queue

    def recover(self) -> int:
        """Put revisions left ``sending`` by a crash back to ``queued``; returns how many."""
        with _writing(self.ctx) as s:
            stuck = list(
                s.scalars(select(Submission).where(Submission.status == lifecycle.SENDING))
            )
            for sub in stuck:
                sub.status = lifecycle.QUEUED
                _audit(s, sub, sub.revision, "status:queued", "resumed after an interruption")
            return len(stuck)

    def due_entries(self, *, include_waiting: bool = True) -> list[int]:
        return due_entries(self.ctx, include_waiting=include_waiting)

    def send_all(self, *, include_waiting: bool = True) -> list[SendOutcome]:
        """Send what is due, in order.  A network failure stops the run (the rest waits)."""
        self.recover()
        outcomes: list[SendOutcome] = []
        for entry_id in self.due_entries(include_waiting=include_waiting):
            outcome = self.send_entry(entry_id)
            outcomes.append(outcome)
            err = outcome.error
            if err is not None and (err.kind != "action"):
                break  # offline, server down or cancelled: the others would fail alike
        return outcomes

    # -------------------------------------------------------------- one revision

    def send_entry(self, entry_id: int) -> SendOutcome:
        with self.ctx.store.read() as s:
            entry = s.get(OutboxEntry, entry_id)
            if entry is None:
                raise drafts.NotFoundError(
                    zh=f"发送队列中没有第 {entry_id} 项。", en=f"no outbox entry {entry_id}"
                )
            sub_id, revision, endpoint = entry.submission_id, entry.revision, entry.endpoint_url
        outcome = SendOutcome(sub_id, revision)
        run = _Run(sub_id, revision)
        try:
            self._set_sending(entry_id, True)
            outcome.receipt = self._send(entry_id, endpoint, run, outcome)
        except SyncError as err:
            outcome.error = err
            try:
                self._failed(entry_id, err)
            except SyncError as again:  # e.g. the disk is still full: nothing can be noted
                log.warning("could not record the failure of entry %s: %s", entry_id, again.code)
            stage = {"cancelled": "cancelled", "action": "held"}.get(err.kind, "retry-later")
            log.warning("submission %s rev %s: %s (%s)", sub_id, revision, err.code, err.kind)
            self._emit(SendEvent(sub_id, revision, stage, error=err))
        except BaseException:
            self._set_sending(entry_id, False)
            raise
        return outcome

    def _set_sending(self, entry_id: int, sending: bool) -> None:
        with _writing(self.ctx) as s:
            entry = s.get(OutboxEntry, entry_id)
            assert entry is not None
            sub = s.get(Submission, entry.submission_id)
            assert sub is not None
            if sub.revision != entry.revision:
                return  # edited since: a newer draft; its status is not ours to change
            want = lifecycle.SENDING if sending else lifecycle.QUEUED
            if sub.status != want and lifecycle.can_transition(sub.status, want):
                sub.status = want
                sub.updated_at = utcnow()
                _audit(s, sub, entry.revision, f"status:{want}")

    def _failed(self, entry_id: int, err: SyncError) -> None:
        with _writing(self.ctx) as s:
            entry = s.get(OutboxEntry, entry_id)
            assert entry is not None
            if err.kind != "cancelled":
                entry.attempts += 1
                entry.last_error_code = err.code
                entry.last_error_zh = err.message_zh
                entry.last_error_en = err.message_en
                if err.kind == "action":
                    entry.state = HELD
                    entry.next_attempt_at = None
                else:
                    entry.state = QUEUED
                    wait = self.backoff.delay(entry.attempts - 1, err.retry_after)
                    entry.next_attempt_at = utcnow() + dt.timedelta(seconds=wait)
            entry.updated_at = utcnow()
            sub = s.get(Submission, entry.submission_id)
            assert sub is not None
            if err.kind != "cancelled":
                _audit(s, sub, entry.revision, "send-failed", {"code": err.code, "kind": err.kind})
        self._set_sending(entry_id, False)

    def _client(self, endpoint: str) -> IntakeClient:
        token = load_token(endpoint)
        if not token:
            raise not_logged_in(endpoint)
        return IntakeClient(self._http, endpoint, token)

    def _discover(self, client: IntakeClient) -> str:
        if client.endpoint in self._discovered:
            return self._discovered[client.endpoint]
        found = client.discover()
        clock.record_server_time(self.ctx, client.endpoint, found.server_time, found.clock_offset_s)
        if self.refresh_campaigns:
            for c in found.campaigns:
                self._refresh_campaign(client, str(c.get("id", "")))
        self._discovered[client.endpoint] = found.tus_endpoint
        return found.tus_endpoint

    def _refresh_campaign(self, client: IntakeClient, campaign_id: str) -> None:
        if not campaign_id:
            return
        key = settings.CAMPAIGN_ETAG.key(client.endpoint, campaign_id)
        etag = settings.read(self.ctx, key) or None
        doc, new_etag = client.campaign(campaign_id, etag)
        if not doc:
            return
        try:
            self.ctx.campaigns.import_text(
                json.dumps(doc, ensure_ascii=False, sort_keys=True),
                f"{client.endpoint}/api/v1/campaigns/{campaign_id}",
            )
        except CampaignError as exc:
            log.warning("campaign %s from %s not usable: %s", campaign_id, client.endpoint, exc)
            return
        with _writing(self.ctx) as s:
            settings.write_in(s, key, new_etag)

    def _send(
        self, entry_id: int, endpoint: str, run: _Run, outcome: SendOutcome
    ) -> dict[str, Any]:
        with self.ctx.store.read() as s:
            _entry, sub, rev = _entry_rows(s, entry_id)
            uuid, report_json, report_hash = sub.uuid, rev.report_json, rev.report_hash
            stored_receipt = rev.receipt_json
        if stored_receipt:  # received before; the answer was recorded but not the queue
            receipt: dict[str, Any] = json.loads(stored_receipt)
            self._received(entry_id, receipt)
            return receipt
        report = json.loads(report_json)
        manifest = manifest_of(report)
        names = _names(report)
        run.files_total = len(manifest)
        run.bytes_total = sum(int(m["size"]) for m in manifest)
        self.control.check()
        self._emit(SendEvent(run.submission_id, run.revision, "connecting"))
        client = self._client(endpoint)
        tus_url = self._discover(client)
        for _round in range(3):
            self.control.check()
            answer = client.put_submission(
                uuid, run.revision, report["campaign_id"], report, report_hash, manifest
            )
            if answer.get("state") == "finalised" and isinstance(answer.get("receipt"), dict):
                receipt = answer["receipt"]
                break
            missing = [str(x) for x in answer.get("missing_media") or []]
            have = [m for m in manifest if m["sha256"] not in missing]
            outcome.skipped_files = len(have)
            run.files_done = len(have)
            run.bytes_before = sum(int(m["size"]) for m in have)
            for m in manifest:
                if m["sha256"] in missing:
                    self._upload(client, tus_url, run, m, names[m["sha256"]], uuid)
                    outcome.uploaded_files += 1
            self._emit(self._event(run, "finalising"))
            try:
                receipt = client.finalise(uuid, run.revision, report_hash)
                break
            except SyncError as err:
                if err.code != "media-missing":
                    raise
                log.info("server lost files of %s; putting again", uuid)
        else:
            raise SyncError(
                "media-missing",
                zh="报送服务器多次报告缺少文件，稍后会自动重试。",
                en="The intake server keeps reporting missing files; it will be retried later.",
            )
        self._check_receipt(receipt, report_hash, manifest)
        self._received(entry_id, receipt)
        self._emit(self._event(run, "received", receipt=receipt))
        return receipt

    def _check_receipt(
        self, receipt: dict[str, Any], report_hash: str, manifest: list[dict[str, Any]]
    ) -> None:
        files = {str(f.get("sha256")) for f in receipt.get("files") or [] if isinstance(f, dict)}
        if receipt.get("report_sha256") != report_hash or files != {m["sha256"] for m in manifest}:
            raise SyncError(
                "receipt-mismatch",
                zh="回执中的报告或文件校验值与本机发送的不一致。请联系报送办公室核对，并保留本机数据。",
                en="The receipt's report or file hashes differ from what was sent. Contact the "
                "office to check, and keep this computer's data.",
                kind="action",
            )

    def _received(self, entry_id: int, receipt: dict[str, Any]) -> None:
        with _writing(self.ctx) as s:
            entry, sub, rev = _entry_rows(s, entry_id)
            if not rev.receipt_json:
                rev.receipt_json = json.dumps(receipt, ensure_ascii=False, sort_keys=True)
                rev.remote_status = lifecycle.RECEIVED
                _audit(
                    s,
                    sub,
                    entry.revision,
                    "received",
                    {
                        "receipt_number": receipt.get("receipt_number"),
                        "on_time": receipt.get("on_time"),
                    },
                )
            entry.state = SENT
            entry.sent_at = entry.sent_at or utcnow()
            entry.next_attempt_at = None
            entry.last_error_code = entry.last_error_zh = entry.last_error_en = ""
            if sub.revision == entry.revision and sub.status in (
                lifecycle.QUEUED,
                lifecycle.SENDING,
            ):
                sub.status = lifecycle.RECEIVED
                sub.updated_at = utcnow()
                _audit(s, sub, entry.revision, "status:received")

    # -------------------------------------------------------------- one file

    def _event(
        self, run: _Run, stage: str, file: FileProgress | None = None, **kw: Any
    ) -> SendEvent:
        done = run.bytes_before + (file.done if file else 0)
        speed = run.meter.add(run.sent_now + (file.sent_now if file else 0))
        left = run.bytes_total - done
        eta = left / speed if speed > 0 else None
        return SendEvent(
            run.submission_id,
            run.revision,
            stage,
            file=file,
            files_done=run.files_done,
            files_total=run.files_total,
            bytes_done=done,
            bytes_total=run.bytes_total,
            bytes_per_s=speed,
            eta_s=eta,
            **kw,
        )

    def _upload_row(self, run: _Run, sha: str, size: int) -> int:
        with _writing(self.ctx) as s:
            row = s.scalars(
                select(MediaUpload).where(
                    MediaUpload.submission_id == run.submission_id,
                    MediaUpload.revision == run.revision,
                    MediaUpload.sha256 == sha,
                )
            ).first()
            if row is None:
                row = MediaUpload(
                    submission_id=run.submission_id, revision=run.revision, sha256=sha, length=size
                )
                s.add(row)
                s.flush()
            return row.id

    def _verify(self, run: _Run, row_id: int, target: UploadTarget) -> None:
        """Re-hash the stored file before sending it, unless unchanged since last checked."""
        try:
            st = os.stat(target.path)
        except FileNotFoundError:
            raise file_changed_error(target, "missing") from None
        if st.st_size != target.length:
            raise file_changed_error(target)
        with self.ctx.store.read() as s:
            row = s.get(MediaUpload, row_id)
            assert row is not None
            if row.verified_mtime_ns == st.st_mtime_ns:
                return

        def verifying(p: Progress) -> None:
            if p.done % (64 << 20) < (1 << 20):  # now and then, for a large file
                event = FileProgress(target.sha256, target.filename, 0, target.length, 0)
                self._emit(self._event(run, "verifying", event))

        sha, _size = sha256_file(target.path, work=self.control.relay(verifying))
        if sha != target.sha256:
            raise file_changed_error(target)
        with _writing(self.ctx) as s:
            row = s.get(MediaUpload, row_id)
            assert row is not None
            row.verified_mtime_ns = st.st_mtime_ns

    def _upload(
        self,
        client: IntakeClient,
        tus_url: str,
        run: _Run,
        item: dict[str, Any],
        name: str,
        uuid: str,
    ) -> None:
        sha, size = str(item["sha256"]), int(item["size"])
        target = UploadTarget(
            self.ctx.media.path_for(sha),
            size,
            sha,
            name,
            str(item.get("media_type") or ""),
            {"submission": uuid},
        )
        row_id = self._upload_row(run, sha, size)
        self._verify(run, row_id, target)
        last = [0.0]

        def progress(p: FileProgress) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.25 or p.done == p.total:
                last[0] = now
                self._emit(self._event(run, "uploading", p))

        uploader = TusUploader(
            self._http,
            tus_url,
            headers=client.auth_headers,
            chunk_size=self.chunk_size,
            backoff=self.tus_backoff,
            max_stalls=self.max_stalls,
            work=self.control.relay(lambda p: progress(p.detail)),
        )
        log.info("uploading %s (%d bytes) of %s rev %d", sha[:12], size, uuid, run.revision)
        uploader.upload(target, _SqlResume(self.ctx, row_id))
        run.files_done += 1
        run.bytes_before += size
        run.sent_now += size


# ----------------------------------------------------------------------------- status


@dataclass(frozen=True)
class RemoteStatus:
    status: str  # open | received | returned | accepted
    comment: str
    latest_revision: int
    raw: dict[str, Any]


def check_status(ctx: AppContext, submission_id: int) -> RemoteStatus:
    """Ask the endpoint for the office's verdict and record it."""
    with ctx.store.read() as s:
        sub = s.get(Submission, submission_id)
        if sub is None:
            raise drafts.NotFoundError(
                zh=f"没有编号为 {submission_id} 的报告（可能已被删除）。",
                en=f"no submission {submission_id} (it may have been deleted)",
            )
        uuid, campaign_id = sub.uuid, sub.campaign_id
        entry = s.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.submission_id == submission_id)
            .order_by(OutboxEntry.id.desc())
        ).first()
        endpoint = entry.endpoint_url if entry else None
    endpoint = endpoint or endpoint_for(ctx, ctx.campaigns.get(campaign_id))
    token = load_token(endpoint)
    if not token:
        raise not_logged_in(endpoint)
    http = HttpClient(http_settings(ctx))
    try:
        data = IntakeClient(http, endpoint, token).status(uuid)
    finally:
        http.close()
    status = str(data.get("status", ""))
    comment = str(data.get("comment") or "")
    latest = int(data.get("latest_revision") or 0)
    with _writing(ctx) as s:
        sub = s.get(Submission, submission_id)
        assert sub is not None
        rev = s.scalars(
            select(SubmissionRevision).where(
                SubmissionRevision.submission_id == submission_id,
                SubmissionRevision.revision == latest,
            )
        ).first()
        if rev is not None:
            changed = rev.remote_status != status or rev.remote_comment != comment
            rev.remote_status, rev.remote_comment = status, comment
            rev.remote_checked_at = utcnow()
            if changed:
                _audit(s, sub, latest, f"office:{status}", {"comment": comment})
        new = {"returned": lifecycle.RETURNED, "accepted": lifecycle.ACCEPTED}.get(status)
        if (
            new
            and sub.revision == latest
            and sub.status != new
            and lifecycle.can_transition(sub.status, new)
        ):
            sub.status = new
            sub.updated_at = utcnow()
            _audit(s, sub, latest, f"status:{new}", {"comment": comment})
    return RemoteStatus(status, comment, latest, data)


# ----------------------------------------------------------------------------- receipts


def receipt_of(
    ctx: AppContext, submission_id: int, revision: int | None = None
) -> dict[str, Any] | None:
    """The receipt of a revision (the newest received one by default)."""
    with ctx.store.read() as s:
        q = select(SubmissionRevision).where(
            SubmissionRevision.submission_id == submission_id,
            SubmissionRevision.receipt_json.is_not(None),
        )
        if revision is not None:
            q = q.where(SubmissionRevision.revision == revision)
        row = s.scalars(q.order_by(SubmissionRevision.revision.desc())).first()
        return None if row is None or not row.receipt_json else json.loads(row.receipt_json)


def receipt_text(receipt: dict[str, Any], lang: str = "zh") -> str:
    """The receipt for people: what arrived, when, on time or late, and the hashes."""
    zh = lang.startswith("zh")
    on_time = bool(receipt.get("on_time"))
    late_h = int(receipt.get("late_by_s") or 0) / 3600
    lines = [
        "质量月活动情况总结 报送回执" if zh else "Quality Month report: receipt",
        f"{'回执编号' if zh else 'Receipt number'}: {receipt.get('receipt_number', '')}",
        f"{'报告编号' if zh else 'Submission'}: {receipt.get('submission_uuid', '')} "
        f"({'第' if zh else 'revision '}{receipt.get('revision', '')}{'版' if zh else ''})",
        f"{'报送单位' if zh else 'Unit'}: {(receipt.get('unit') or {}).get('name', '')}",
        f"{'收到时间' if zh else 'Received'}: {receipt.get('received_at_local', '')}",
        f"{'截止时间' if zh else 'Due'}: {receipt.get('due', '')}",
        (
            ("按时报送" if on_time else f"逾期约 {late_h:.1f} 小时")
            if zh
            else ("on time" if on_time else f"late by about {late_h:.1f} hours")
        ),
        f"{'报告校验值' if zh else 'Report SHA-256'}: {receipt.get('report_sha256', '')}",
        f"{'文件' if zh else 'Files'} ({len(receipt.get('files') or [])}):",
    ]
    for f in receipt.get("files") or []:
        lines.append(f"  {f.get('sha256', '')}  {f.get('size', 0)}  {f.get('media_type', '')}")
    return "\n".join(lines) + "\n"


def export_receipt(ctx: AppContext, submission_id: int, dest: Path, lang: str = "zh") -> Path:
    """Write the receipt as ``.json`` (exact) or text (anything else), atomically."""
    receipt = receipt_of(ctx, submission_id)
    if receipt is None:
        raise drafts.NotFoundError(
            zh="这份报告还没有回执（牵头单位收到后才有）。",
            en="this report has no receipt yet (it comes when the office has received it)",
        )
    if dest.suffix.lower() == ".json":
        text = json.dumps(receipt, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    else:
        text = receipt_text(receipt, lang)
    try:
        atomic_write(dest, text.encode("utf-8"))
    except OSError as exc:
        raise SyncError(
            "receipt-not-written",
            zh=f"回执无法写入 {dest}（{exc.strerror}）。请换一个位置或释放磁盘空间后重试。",
            en=f"The receipt could not be written to {dest} ({exc.strerror}). Choose another "
            "place or free disk space and try again.",
            kind="action",
        ) from None
    return dest
