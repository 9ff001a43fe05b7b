"""The intake server's tables: units and their tokens, submissions, revisions, files."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
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
    """A tus upload; its bytes so far are the file ``uploads/<id>.part``."""

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
