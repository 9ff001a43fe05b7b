"""The intake server's tables: units and their tokens, submissions, revisions, files."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC time on every database (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UnitRow(Base):
    """A reporting unit the office knows: a department, a district or an enterprise."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(64), default="")
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TokenRow(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    unit: Mapped[UnitRow] = relationship(lazy="joined")


class SubmissionRow(Base):
    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    campaign_id: Mapped[str] = mapped_column(String(64), index=True)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    # the unit the report is about (may differ from the owner: a district for an enterprise)
    unit_name: Mapped[str] = mapped_column(String(500), default="")
    unit_kind: Mapped[str] = mapped_column(String(20), default="")
    unit_district: Mapped[str] = mapped_column(String(64), default="")
    unit_credit_code: Mapped[str] = mapped_column(String(18), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    comment: Mapped[str] = mapped_column(Text, default="")
    latest_revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    owner: Mapped[UnitRow] = relationship(lazy="joined")
    revisions: Mapped[list[RevisionRow]] = relationship(
        back_populates="submission", order_by="RevisionRow.revision"
    )


class RevisionRow(Base):
    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("submission_id", "revision"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    report_json: Mapped[str] = mapped_column(Text)
    report_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    receipt_number: Mapped[str | None] = mapped_column(String(40), unique=True, nullable=True)
    on_time: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    late_by_s: Mapped[int] = mapped_column(Integer, default=0)
    # the receipt exactly as signed and given out (canonical JSON with its signature)
    receipt_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    submission: Mapped[SubmissionRow] = relationship(back_populates="revisions")
    media: Mapped[list[RevisionMediaRow]] = relationship(order_by="RevisionMediaRow.sha256")


class RevisionMediaRow(Base):
    """One entry of a revision's manifest."""

    __tablename__ = "revision_media"
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))


class BlobRow(Base):
    """A verified file in the content-addressed media store."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MediaSenderRow(Base):
    """Who sent a stored file's bytes, and for which reporting unit (``subject``, see
    :mod:`qmintake.provenance`): the "already have it" answer is made from these rows."""

    __tablename__ = "media_senders"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    subject: Mapped[str] = mapped_column(String(600), primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UploadRow(Base):
    """A tus upload.  In the data folder its bytes so far are the file
    ``uploads/<id>.part``; on an object store they are an S3 multipart upload
    (``s3_upload_id``, ``parts`` as JSON ``[[number, etag, size], …]`` summing to
    ``stored``) and a tail object ``tail_key`` of ``tail`` bytes, with the running
    SHA-256 of those bytes (``hash_state``) and the file's first bytes (``head``)."""

    __tablename__ = "uploads"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    length: Mapped[int] = mapped_column(BigInteger)
    metadata_header: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(500), default="")
    filetype: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(20), default="open")  # open|done|gone
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    s3_upload_id: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    parts: Mapped[str] = mapped_column(Text, default="")
    stored: Mapped[int] = mapped_column(BigInteger, default=0)
    tail_key: Mapped[str] = mapped_column(String(1024), default="")
    tail: Mapped[int] = mapped_column(BigInteger, default=0)
    hash_state: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    head: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class LeaseRow(Base):
    """Who may write something (``upload:<id>``) until when; see ``qmintake/leases.py``."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ReceiptCounterRow(Base):
    __tablename__ = "receipt_counters"
    campaign_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class EventRow(Base):
    """What happened to a submission, for the office's record."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # put|received|returned|accepted
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BlobCrcRow(Base):
    """A stored file's CRC-32, kept once known, so a zip archive resumed in the middle
    can write its central directory without reading every file again."""

    __tablename__ = "blob_crc32"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    crc32: Mapped[int] = mapped_column(BigInteger)


class OfficeSettingRow(Base):
    """A setting of the office kept on the server (e.g. its SMTP account), as JSON."""

    __tablename__ = "office_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReminderRow(Base):
    """One reminder e-mail to one unit in one batch; the key makes a batch idempotent."""

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idem_key: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[str] = mapped_column(String(64), index=True)
    unit_key: Mapped[str] = mapped_column(String(64), index=True)
    batch_id: Mapped[str] = mapped_column(String(64), index=True)
    unit_name: Mapped[str] = mapped_column(String(500), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    state: Mapped[str] = mapped_column(String(20), default="sending")  # sending|sent|failed
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


# -- the office console (migration 0002_console) -----------------------------------------


class CampaignRow(Base):
    """A campaign the server receives, as imported (its text is the campaign file)."""

    __tablename__ = "campaigns"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(500), default="")
    receipt_prefix: Mapped[str] = mapped_column(String(40), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100), default="")


class RosterRow(Base):
    """A unit expected to report in a campaign (应报单位), keyed on ``units.id``."""

    __tablename__ = "roster"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(64), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    contact_person: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    unit: Mapped[UnitRow] = relationship(lazy="joined")


class OfficeUserRow(Base):
    """A person of the lead office who signs in to the console."""

    __tablename__ = "office_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # admin | reviewer | viewer
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class OfficeSessionRow(Base):
    """A signed-in browser: only the SHA-256 of its cookie is stored."""

    __tablename__ = "office_sessions"
    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("office_users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    user: Mapped[OfficeUserRow] = relationship(lazy="joined")


class AuditRow(Base):
    """Who did what, when: every action in the console and the office commands."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class OfficeNoteRow(Base):
    """An internal note on a submission; never shown to the unit."""

    __tablename__ = "office_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    user_name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
