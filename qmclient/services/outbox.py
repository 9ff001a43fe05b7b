"""Submitting and sending, as one place to import from.

The pieces live in their own modules: where to send (:mod:`~qmclient.services.endpoint`),
the queue (:mod:`~qmclient.services.queue`), the sender
(:mod:`~qmclient.services.sender`), the office's verdicts
(:mod:`~qmclient.services.verdicts`) and receipts (:mod:`~qmclient.services.receipts`).
"""

from __future__ import annotations

from qmclient.services.endpoint import ENDPOINT_SETTING, endpoint_for, http_settings, set_endpoint
from qmclient.services.queue import (
    HELD,
    QUEUED,
    SENT,
    QueueResult,
    QueueRow,
    SubmitRefused,
    due_entries,
    next_retry_in,
    outbox_rows,
    queue_submission,
    queue_submissions,
    unqueue,
)
from qmclient.services.receipts import export_receipt, receipt_of, receipt_text
from qmclient.services.sender import Discoveries, OutboxSender
from qmclient.services.sendstate import RateMeter, SendEvent, SendOutcome, manifest_of
from qmclient.services.verdicts import RemoteStatus, check_status

__all__ = [
    "ENDPOINT_SETTING",
    "HELD",
    "QUEUED",
    "SENT",
    "Discoveries",
    "OutboxSender",
    "QueueResult",
    "QueueRow",
    "RateMeter",
    "RemoteStatus",
    "SendEvent",
    "SendOutcome",
    "SubmitRefused",
    "check_status",
    "due_entries",
    "endpoint_for",
    "export_receipt",
    "http_settings",
    "manifest_of",
    "next_retry_in",
    "outbox_rows",
    "queue_submission",
    "queue_submissions",
    "receipt_of",
    "receipt_text",
    "set_endpoint",
    "unqueue",
]
