"""Sending the outbox, exactly once: :class:`OutboxSender` sends queued revisions in
order.  It asks the endpoint what it already has (``PUT``), uploads only the missing files
over tus (resuming where an earlier run stopped, the upload URL and offset kept in SQLite),
finalises and keeps the receipt.  Every step is idempotent on the server, so a repeat after
a lost answer is harmless.

What fails is retried later without help (``next_attempt_at`` with backoff, per report: one
stuck report never holds up the others) or, when the user must act (log in, fix a file),
held with a message saying what to do.  All progress is reported through
:class:`SendEvent` callbacks (bytes per file and in total, speed, time left), so the window
runs the sender on a worker thread and pauses or cancels it with
:class:`~qmclient.sync.control.TransferControl`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmclient.core import lifecycle
from qmclient.core.campaign import CampaignError
from qmclient.services import clock, drafts, settings
from qmclient.services.context import AppContext
from qmclient.services.endpoint import http_settings
from qmclient.services.queue import (
    HELD,
    QUEUED,
    SENT,
    audit,
    due_entries,
    entry_rows,
    writing,
)
from qmclient.services.receipts import remember_receipt_key
from qmclient.services.sendfiles import FileUploads, Row, upload_rows, upload_rows_in
from qmclient.services.sendstate import (
    EventFn,
    SendEvent,
    SendOutcome,
    SendRun,
    event_of,
    manifest_of,
    names_of,
)
from qmclient.store.models import OutboxEntry, Submission, utcnow
from qmclient.sync.api import IntakeClient, not_logged_in
from qmclient.sync.backoff import Backoff
from qmclient.sync.control import TransferControl
from qmclient.sync.errors import SyncError
from qmclient.sync.http import HttpClient, HttpSettings
from qmclient.sync.tokens import load_token
from qmclient.sync.tus import DEFAULT_CHUNK, MAX_CHUNK

log = logging.getLogger("qmclient.sync")

# failures of the endpoint as a whole (not of one report): the run stops, all wait
UNREACHABLE = frozenset(
    {"dns", "proxy", "tls", "connect-timeout", "connection-refused", "captive-portal"}
    | {"not-logged-in", "no-endpoint", "endpoint-invalid", "token-invalid", "disk-full"}
)


class Discoveries:
    """What each endpoint's discovery said (its tus creation URL), asked once: shared by
    the senders of one batch, so that its workers do not each ask, fetch the campaigns
    and check them against the stored ones."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # the first worker asks, the others wait for it
        self.tus_urls: dict[str, str] = {}  # endpoint -> tus creation URL


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
        chunk_size: int | None = None,
        max_stalls: int = 8,
        refresh_campaigns: bool = True,
        discoveries: Discoveries | None = None,
    ) -> None:
        self.ctx = ctx
        self.control = control or TransferControl()
        self.on_event = on_event
        self.settings = settings or http_settings(ctx)
        self.backoff = backoff or Backoff(base_s=30.0, cap_s=3600.0)
        self.tus_backoff = tus_backoff or Backoff()
        # None: 32 MiB chunks that grow to 256 MiB while the line is good (fewer PATCHes,
        # each costing round trips and commits on both sides; what arrived is kept whatever
        # the size); a size given (an unstable line) is kept as it is
        self.chunk_size = chunk_size or DEFAULT_CHUNK
        self.max_chunk_size = MAX_CHUNK if chunk_size is None else chunk_size
        self.max_stalls = max_stalls
        self.refresh_campaigns = refresh_campaigns
        self._http = HttpClient(self.settings)
        self._discoveries = discoveries or Discoveries()
        self._emitting = threading.Lock()  # one event at a time, whichever lane sends it
        self.files = FileUploads(
            ctx,
            self._http,
            self.settings,
            self.control,
            self._emit,
            chunk_size=self.chunk_size,
            max_chunk_size=self.max_chunk_size,
            backoff=self.tus_backoff,
            max_stalls=max_stalls,
        )

    def close(self) -> None:
        self.files.close()
        self._http.close()

    def __enter__(self) -> OutboxSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _emit(self, event: SendEvent) -> None:
        if self.on_event is not None:
            with self._emitting:
                self.on_event(event)

    # -------------------------------------------------------------- the queue

    def recover(self) -> int:
        """Put revisions left ``sending`` by a crash back to ``queued``; returns how many."""
        with writing(self.ctx) as s:
            stuck = list(
                s.scalars(select(Submission).where(Submission.status == lifecycle.SENDING))
            )
            for sub in stuck:
                sub.status = lifecycle.QUEUED
                audit(s, sub, sub.revision, "status:queued", "resumed after an interruption")
            return len(stuck)

    def due_entries(self, *, include_waiting: bool = True) -> list[int]:
        return due_entries(self.ctx, include_waiting=include_waiting)

    def send_all(self, *, include_waiting: bool = True) -> list[SendOutcome]:
        """Send what is due, in order.  A report that fails waits for its own next attempt
        (backoff per report) and the others are still tried; only a cancel or an endpoint
        that cannot be reached at all ends the run, since the rest would fail alike."""
        self.recover()
        outcomes: list[SendOutcome] = []
        for entry_id in self.due_entries(include_waiting=include_waiting):
            outcome = self.send_entry(entry_id)
            outcomes.append(outcome)
            err = outcome.error
            if err is not None and (err.kind == "cancelled" or err.code in UNREACHABLE):
                break
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
        run = SendRun(sub_id, revision)
        try:
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
        with writing(self.ctx) as s:
            entry = s.get(OutboxEntry, entry_id)
            assert entry is not None
            sub = s.get(Submission, entry.submission_id)
            assert sub is not None
            _mark_sending(s, entry, sub, sending)

    def _begin(
        self, entry_id: int, run: SendRun
    ) -> tuple[str, str, dict[str, Any], dict[str, Any] | None, dict[str, Row]]:
        """The frozen revision (uuid, hash, report, a receipt kept already), marked
        ``sending`` with an upload row for each of its files, in one transaction (one
        commit per report, not three: the rows are made before the server is asked which
        files it lacks, and those it has stay unused)."""
        with writing(self.ctx) as s:
            entry, sub, rev = entry_rows(s, entry_id)
            uuid, report_hash = sub.uuid, rev.report_hash
            report: dict[str, Any] = json.loads(rev.report_json)
            if rev.receipt_json:  # received before; the answer was kept but not the queue
                return uuid, report_hash, report, json.loads(rev.receipt_json), {}
            _mark_sending(s, entry, sub, True)
            return uuid, report_hash, report, None, upload_rows_in(s, run, manifest_of(report))

    def _failed(self, entry_id: int, err: SyncError) -> None:
        with writing(self.ctx) as s:
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
                audit(s, sub, entry.revision, "send-failed", {"code": err.code, "kind": err.kind})
        self._set_sending(entry_id, False)

    def _client(self, endpoint: str) -> IntakeClient:
        token = load_token(endpoint)
        if not token:
            raise not_logged_in(endpoint)
        return IntakeClient(self._http, endpoint, token)

    def _discover(self, client: IntakeClient) -> str:
        with self._discoveries.lock:
            known = self._discoveries.tus_urls.get(client.endpoint)
            if known is not None:
                return known
            found = client.discover()
            clock.record_server_time(
                self.ctx, client.endpoint, found.server_time, found.clock_offset_s
            )
            remember_receipt_key(self.ctx, found.raw.get("receipt_key"))
            if self.refresh_campaigns:
                for c in found.campaigns:
                    self._refresh_campaign(client, str(c.get("id", "")))
            self._discoveries.tus_urls[client.endpoint] = found.tus_endpoint
            return found.tus_endpoint

    def _refresh_campaign(self, client: IntakeClient, campaign_id: str) -> None:
        if not campaign_id:
            return
        key = settings.CAMPAIGN_ETAG.key(client.endpoint, campaign_id)
        etag = settings.read(self.ctx, key) or None
        doc, new_etag = client.campaign(campaign_id, etag)
        if not doc:
            return
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
        try:
            if not self.ctx.campaigns.is_stored(text):
                self.ctx.campaigns.import_text(
                    text, f"{client.endpoint}/api/v1/campaigns/{campaign_id}"
                )
        except CampaignError as exc:
            log.warning("campaign %s from %s not usable: %s", campaign_id, client.endpoint, exc)
            return
        with writing(self.ctx) as s:
            settings.write_in(s, key, new_etag)

    def _send(
        self, entry_id: int, endpoint: str, run: SendRun, outcome: SendOutcome
    ) -> dict[str, Any]:
        uuid, report_hash, report, stored_receipt, made = self._begin(entry_id, run)
        if stored_receipt is not None:
            self._received(entry_id, stored_receipt)
            return stored_receipt
        manifest = manifest_of(report)
        names = names_of(report)
        run.files_total = len(manifest)
        run.bytes_total = sum(int(m["size"]) for m in manifest)
        self.control.check()
        self._emit(SendEvent(run.submission_id, run.revision, "connecting"))
        client = self._client(endpoint)
        tus_url = self._discover(client)
        receipt: dict[str, Any]
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
            to_send = [m for m in manifest if m["sha256"] in missing]
            # after the first round (the server lost files): their rows as they stand now
            rows = made if _round == 0 else upload_rows(self.ctx, run, to_send)
            self.files.send(client, tus_url, run, to_send, names, rows, outcome, uuid)
            # a pause asked for while the last bytes were still in the socket's buffers
            # (no more reads to notice it) holds here: the files stay on the server
            self.control.check()
            self._emit(event_of(run, "finalising"))
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
        self._emit(event_of(run, "received", receipt=receipt))
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
        with writing(self.ctx) as s:
            entry, sub, rev = entry_rows(s, entry_id)
            if not rev.receipt_json:
                rev.receipt_json = json.dumps(receipt, ensure_ascii=False, sort_keys=True)
                rev.remote_status = lifecycle.RECEIVED
                audit(
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
                audit(s, sub, entry.revision, "status:received")


def _mark_sending(s: Session, entry: OutboxEntry, sub: Submission, sending: bool) -> None:
    """The report's status ``sending`` (or back to ``queued``), where that is still ours."""
    if sub.revision != entry.revision:
        return  # edited since: a newer draft; its status is not ours to change
    want = lifecycle.SENDING if sending else lifecycle.QUEUED
    if sub.status != want and lifecycle.can_transition(sub.status, want):
        sub.status = want
        sub.updated_at = utcnow()
        audit(s, sub, entry.revision, f"status:{want}")
