"""RFC 5322 e-mail drafts (.eml) that fit through the office's mail server.

The messages are written by hand rather than through :mod:`email.generator` so that the
size of every part is known to the byte *before* it is written: attachments are base64 in
76-character lines, so a file of ``n`` bytes takes exactly :func:`encoded_size` bytes.
That is what lets :func:`split` fill each part up to the campaign's limit, counting the
base64 growth and every header, and promise it.

Chinese names are encoded twice, as the mail programs in use expect:
``Content-Type: …; name="=?utf-8?b?…?="`` (RFC 2047 words, read by Outlook and Foxmail)
and ``Content-Disposition: attachment; filename*0*=utf-8''…`` (RFC 2231, read by
Thunderbird, Apple Mail and every standard parser).  ``X-Unsent: 1`` makes Outlook open
the file as a draft ready to send.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.header import Header
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from qmclient.core.work import Work, work_or_new
from qmclient.export.mailset import headers

CRLF = "\r\n"
LINE = 76  # base64 characters per line (RFC 2045)
CHUNK = 57 * 1024 * 16  # a multiple of 57 bytes: whole base64 lines per read


def encoded_size(n: int) -> int:
    """Bytes that ``n`` bytes take as base64 in 76-character lines ending in CRLF."""
    chars = 4 * ((n + 2) // 3)
    return chars + 2 * ((chars + LINE - 1) // LINE)


def _words(text: str, room: int = 60) -> str:
    """RFC 2047 encoded words, folded (ASCII text is left alone)."""
    if text.isascii():
        return text
    return Header(text, "utf-8", maxlinelen=room).encode(linesep=CRLF)


def _rfc2231(param: str, value: str) -> str:
    """``param*0*=utf-8''…;`` continuations, each short enough for one line.

    Segments end on character boundaries: a reader that decodes each segment on its own
    (some do) still shows every character.
    """
    chunks: list[str] = []
    current = ""
    for ch in value:
        enc = quote(ch.encode("utf-8"), safe="")
        if current and len(current) + len(enc) > 60:
            chunks.append(current)
            current = ""
        current += enc
    chunks.append(current)
    charset = "utf-8''"
    return (";" + CRLF + " ").join(
        f"{param}*{k}*={charset if k == 0 else ''}{chunk}" for k, chunk in enumerate(chunks)
    )


def _address(name: str, addr: str) -> str:
    """``name <addr>``; a Chinese name is one encoded word, as :func:`formataddr` makes it
    (split words in a display name are joined with a space by some readers)."""
    return formataddr((name, addr), charset="utf-8") if name else f"<{addr}>"


@dataclass(frozen=True)
class Attachment:
    name: str  # the file name the recipient sees
    media_type: str
    path: Path
    size: int

    def head(self, boundary: str) -> bytes:
        maintype, _, subtype = (self.media_type or "application/octet-stream").partition("/")
        text = (
            f"--{boundary}{CRLF}"
            f"Content-Type: {maintype}/{subtype or 'octet-stream'};{CRLF}"
            f' name="{_words(self.name)}"{CRLF}'
            f"Content-Disposition: attachment;{CRLF} {_rfc2231('filename', self.name)}{CRLF}"
            f"Content-Transfer-Encoding: base64{CRLF}{CRLF}"
        )
        return text.encode("ascii")

    def wire_size(self, boundary: str) -> int:
        return len(self.head(boundary)) + encoded_size(self.size)


@dataclass(frozen=True)
class Envelope:
    """What every part of one mail shares."""

    to_name: str
    to_addr: str
    subject: str  # without the part number
    seed: str  # makes Message-IDs and boundaries stable for the same report revision
    date: dt.datetime
    from_name: str = ""
    from_addr: str = ""
    qm_uuid: str = ""  # set: every part says which report it belongs to (X-QM-*)
    qm_revision: int = 0

    def boundary(self, index: int) -> str:
        digest = hashlib.sha256(f"{self.seed}/{index}".encode()).hexdigest()[:24]
        return f"----=_qmclient_{digest}"

    def subject_of(self, index: int, total: int) -> str:
        return self.subject if total <= 1 else f"{self.subject}（{index}/{total}）"

    def head(self, index: int, total: int) -> bytes:
        lines = []
        if self.from_addr:
            lines.append(f"From: {_address(self.from_name, self.from_addr)}")
        lines += [
            f"To: {_address(self.to_name, self.to_addr)}",
            f"Subject: {_words(self.subject_of(index, total))}",
            f"Date: {format_datetime(self.date)}",
            f"Message-ID: <{self.seed}.{index}-of-{total}@qmclient.invalid>",
            "MIME-Version: 1.0",
            "X-Unsent: 1",
            "X-Mailer: qmclient",
            *(headers(self.qm_uuid, self.qm_revision, index, total) if self.qm_uuid else []),
            f'Content-Type: multipart/mixed; boundary="{self.boundary(index)}"',
        ]
        return (CRLF.join(lines) + CRLF + CRLF).encode("ascii")


def _body_bytes(body: str) -> bytes:
    raw = body.replace("\r\n", "\n").replace("\n", CRLF).encode("utf-8")
    b64 = base64.b64encode(raw).decode("ascii")
    return "".join(b64[i : i + LINE] + CRLF for i in range(0, len(b64), LINE)).encode("ascii")


def _body_part(boundary: str, body: str) -> bytes:
    head = (
        f"This is a multi-part message in MIME format.{CRLF}{CRLF}"
        f"--{boundary}{CRLF}"
        f'Content-Type: text/plain; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}"
    ).encode("ascii")
    return head + _body_bytes(body)


def message_size(
    envelope: Envelope, index: int, total: int, body: str, attachments: Sequence[Attachment]
) -> int:
    """The exact size in bytes of the .eml :func:`write_message` will write."""
    boundary = envelope.boundary(index)
    return (
        len(envelope.head(index, total))
        + len(_body_part(boundary, body))
        + sum(a.wire_size(boundary) for a in attachments)
        + len(f"--{boundary}--{CRLF}")
    )


def write_message(
    out: BinaryIO,
    envelope: Envelope,
    index: int,
    total: int,
    body: str,
    attachments: Sequence[Attachment],
    *,
    work: Work | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> int:
    """Write one part; attachments are streamed from disk.  Returns bytes written.

    Raises :class:`Cancelled`, or :class:`OSError` (e.g. a file that went missing or
    changed size since it was planned: the size no longer matches).
    """
    work = work_or_new(work)
    boundary = envelope.boundary(index)
    written = out.write(envelope.head(index, total))
    written += out.write(_body_part(boundary, body))
    for att in attachments:
        written += out.write(att.head(boundary))
        seen = 0
        with open(att.path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                work.check()
                seen += len(chunk)
                b64 = base64.encodebytes(chunk).replace(b"\n", b"\r\n")
                written += out.write(b64)
                if on_bytes is not None:
                    on_bytes(len(chunk))
        if seen != att.size:
            raise OSError(f"{att.path} changed size ({seen} bytes, expected {att.size})")
    written += out.write(f"--{boundary}--{CRLF}".encode("ascii"))
    return written


@dataclass
class MailPart:
    index: int
    total: int
    attachments: list[Attachment] = field(default_factory=list)
    body: str = ""
    size: int = 0


BodyFn = Callable[[int, int, Sequence[Attachment]], str]


class TooLarge(Exception):
    def __init__(self, attachment: Attachment, room: int) -> None:
        super().__init__(attachment.name)
        self.attachment = attachment
        self.room = room


def room_for_one(envelope: Envelope, body: BodyFn, limit: int, probe: Attachment) -> int:
    """How many raw bytes a single attachment like ``probe`` may have in a part by itself."""
    empty = message_size(envelope, 99, 99, body(99, 99, [probe]), [])
    head = len(probe.head(envelope.boundary(99)))
    room = limit - empty - head
    if room <= 0:
        return 0
    n = (room // (LINE + 2)) * LINE * 3 // 4  # whole lines
    while encoded_size(n + 3) <= room:
        n += 3
    while n > 0 and encoded_size(n) > room:
        n -= 3
    return max(n, 0)


def split(
    envelope: Envelope,
    first: Sequence[Attachment],
    rest: Sequence[Attachment],
    limit: int,
    body: BodyFn,
) -> list[MailPart]:
    """Numbered parts, in order, each at most ``limit`` bytes.

    ``first`` (the Word and Excel files) go in part 1; ``rest`` fill parts in order, a new
    part starting when the next attachment would not fit.  Raises :class:`TooLarge` for
    an attachment that does not fit in a part of its own.  Sizes are computed with the
    widest part numbers (99/99) while splitting, then exactly.
    """
    groups: list[list[Attachment]] = [list(first)]
    if message_size(envelope, 99, 99, body(99, 99, groups[0]), groups[0]) > limit:
        big = max(first, key=lambda a: a.size)
        raise TooLarge(big, room_for_one(envelope, body, limit, big))
    for att in rest:
        trial = [*groups[-1], att]
        if message_size(envelope, 99, 99, body(99, 99, trial), trial) <= limit:
            groups[-1] = trial
            continue
        if message_size(envelope, 99, 99, body(99, 99, [att]), [att]) > limit:
            raise TooLarge(att, room_for_one(envelope, body, limit, att))
        groups.append([att])
    total = len(groups)
    parts = []
    for i, group in enumerate(groups, 1):
        text = body(i, total, group)
        parts.append(MailPart(i, total, group, text, message_size(envelope, i, total, text, group)))
    return parts
