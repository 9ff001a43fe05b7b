"""The tables of the local store (SQLAlchemy 2 typed ORM).

Every change to these classes comes with an Alembic migration in ``migrations/versions``;
``tests/test_migrations.py`` fails when the models and the migrations disagree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stored as UTC; always read back as an aware UTC time (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UnitProfile(Base):
    """The unit this installation reports for (the default for new drafts)."""

    __tablename__ = "unit_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="enterprise")
    district: Mapped[str] = mapped_column(String(64), default="")
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    contact_person: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Submission(Base):
    """One unit's report for one campaign; its content is the current revision."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    campaign_id: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    origin: Mapped[str] = mapped_column(String(20), default="local")  # local | imported
    title: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    unit_kind: Mapped[str] = mapped_column(String(20), default="enterprise")
    unit_district: Mapped[str] = mapped_column(String(64), default="")
    unit_credit_code: Mapped[str] = mapped_column(String(18), default="")
    unit_contact_person: Mapped[str] = mapped_column(String(100), default="")
    unit_phone: Mapped[str] = mapped_column(String(40), default="")
    unit_email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    activities: Mapped[list[Activity]] = relationship(
        back_populates="submission",
        cascade="all, delete-orphan",
        order_by="Activity.position",
    )
    media: Mapped[list[MediaItem]] = relationship(
        back_populates="submission",
        cascade="all, delete-orphan",
        order_by="MediaItem.position",
    )
    revisions: Mapped[list[SubmissionRevision]] = relationship(
        back_populates="submission",
        cascade="all, delete-orphan",
        order_by="SubmissionRevision.revision",
    )

    __table_args__ = (Index("ix_submission_status", "status"),)


class SubmissionRevision(Base):
    """A revision frozen at its first send or export: the exact report that left."""

    __tablename__ = "submission_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    report_json: Mapped[str] = mapped_column(Text)
    report_hash: Mapped[str] = mapped_column(String(64))
    frozen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    receipt_json: Mapped[str | None] = mapped_column(Text, default=None)
    # What the office says about this revision, as last fetched from the endpoint:
    # received | returned | accepted, with the office's comment when returned.
    remote_status: Mapped[str | None] = mapped_column(String(20), default=None)
    remote_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    remote_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)

    submission: Mapped[Submission] = relationship(back_populates="revisions")

    __table_args__ = (UniqueConstraint("submission_id", "revision"),)


class ExportRecord(Base):
    """A formal export of one revision (Word, Excel, mail drafts, package): when, what,
    how many mails and from which report.  It is kept beside the submission's status and
    never changes it: exported is not sent."""

    __tablename__ = "export_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    kinds: Mapped[str] = mapped_column(String(100), default="")  # docx,xlsx,eml,package
    mail_count: Mapped[int] = mapped_column(Integer, default=0)
    report_hash: Mapped[str] = mapped_column(String(64), default="")
    files: Mapped[str] = mapped_column(Text, default="")  # JSON list of the file names


class Activity(Base):
    __tablename__ = "activity"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    focus_area: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(500), default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    end_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    place: Mapped[str] = mapped_column(String(500), default="")
    organiser: Mapped[str] = mapped_column(String(500), default="")
    participants: Mapped[int | None] = mapped_column(Integer, default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")

    submission: Mapped[Submission] = relationship(back_populates="activities")


class MediaBlob(Base):
    """A file in the content-addressed media store, known by its SHA-256."""

    __tablename__ = "media_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100), default="")
    width: Mapped[int | None] = mapped_column(Integer, default=None)
    height: Mapped[int | None] = mapped_column(Integer, default=None)
    duration_s: Mapped[float | None] = mapped_column(Float, default=None)
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MediaItem(Base):
    """A photo or video attached to a submission (a blob, with a caption and a place)."""

    __tablename__ = "media_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(ForeignKey("media_blob.sha256"), index=True)
    original_name: Mapped[str] = mapped_column(String(500), default="")
    caption: Mapped[str] = mapped_column(String(2000), default="")
    activity_id: Mapped[str | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), default=None
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    submission: Mapped[Submission] = relationship(back_populates="media")
    blob: Mapped[MediaBlob] = relationship(lazy="joined")


class AuditEvent(Base):
    """What happened to a submission, append-only (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_uuid: Mapped[str] = mapped_column(String(36), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")


class CampaignFile(Base):
    """A campaign definition imported by the user or fetched from an endpoint."""

    __tablename__ = "campaign_file"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(1000), default="")
    text: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Setting(Base):
    """Small key/value settings that belong with the data (not with the machine)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class OutboxEntry(Base):
    """A frozen revision waiting to be sent (or sent) to an endpoint, in queue order."""

    __tablename__ = "outbox_entry"

    id: Mapped[int] = mapped_column(primary_key=True)  # the queue order
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    endpoint_url: Mapped[str] = mapped_column(String(1000))
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued|sent|held
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error_code: Mapped[str] = mapped_column(String(60), default="")
    last_error_zh: Mapped[str] = mapped_column(Text, default="")
    last_error_en: Mapped[str] = mapped_column(Text, default="")
    enqueued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (
        UniqueConstraint("submission_id", "revision"),
        Index("ix_outbox_entry_state", "state"),
    )


class MediaUpload(Base):
    """The tus upload of one file of one frozen revision: where it is and how far it got.

    The upload URL is written here before the first byte is sent, and the offset after
    every chunk, so a resume survives a restart of the program.
    """

    __tablename__ = "media_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(BigInteger)
    upload_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|sending|done
    verified_mtime_ns: Mapped[int | None] = mapped_column(BigInteger, default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("submission_id", "revision", "sha256"),)


class ServerClock(Base):
    """The last time an endpoint told us, and how far our clock is from its clock."""

    __tablename__ = "server_clock"

    endpoint_url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    offset_s: Mapped[float] = mapped_column(Float)  # server minus local, in seconds
    server_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    measured_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class InboxItem(Base):
    """One thing a coordinator received (a package, a mail or a set of mail parts).

    ``outcome`` is new | updated | duplicate | quarantined; ``reason`` the stable code of
    a quarantine (``broken``, ``wrong-district``, ``older-revision``, …).  A quarantined
    item keeps its file under ``quarantine/`` (``kept_path``, relative to the data folder).
    """

    __tablename__ = "inbox_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_name: Mapped[str] = mapped_column(String(500), default="")
    source_kind: Mapped[str] = mapped_column(String(20), default="package")  # package|mail
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(60), default="")
    message_zh: Mapped[str] = mapped_column(Text, default="")
    message_en: Mapped[str] = mapped_column(Text, default="")
    uuid: Mapped[str] = mapped_column(String(36), default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL"), default=None, index=True
    )
    kept_path: Mapped[str] = mapped_column(String(1000), default="")
    review: Mapped[str] = mapped_column(String(20), default="")  # "" | checked | returned
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str] = mapped_column(String(200), default="")
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (Index("ix_inbox_item_outcome", "outcome"),)


class ExpectedUnitRow(Base):
    """A unit the coordinator expects a report from, imported from the office's sheet."""

    __tablename__ = "expected_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    district: Mapped[str] = mapped_column(String(64), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
