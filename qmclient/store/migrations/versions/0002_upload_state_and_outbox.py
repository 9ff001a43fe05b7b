"""upload state and outbox

Revision ID: 0002
Revises: 0001
What sending needs to survive a restart: the queue of frozen revisions (outbox_entry),
each file's tus upload (media_upload: URL, offset, length, expiry, status), the server's
clock per endpoint (server_clock), and what the office said about a revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_clock",
        sa.Column("endpoint_url", sa.String(length=1000), nullable=False),
        sa.Column("offset_s", sa.Float(), nullable=False),
        sa.Column("server_time", sa.DateTime(), nullable=False),
        sa.Column("measured_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("endpoint_url", name=op.f("pk_server_clock")),
    )
    op.create_table(
        "media_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("upload_url", sa.String(length=2000), nullable=True),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("verified_mtime_ns", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_media_upload_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_upload")),
        sa.UniqueConstraint(
            "submission_id", "revision", "sha256", name=op.f("uq_media_upload_submission_id")
        ),
    )
    with op.batch_alter_table("media_upload", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_media_upload_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "outbox_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("endpoint_url", sa.String(length=1000), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error_code", sa.String(length=60), nullable=False),
        sa.Column("last_error_zh", sa.Text(), nullable=False),
        sa.Column("last_error_en", sa.Text(), nullable=False),
        sa.Column("enqueued_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_outbox_entry_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_entry")),
        sa.UniqueConstraint(
            "submission_id", "revision", name=op.f("uq_outbox_entry_submission_id")
        ),
    )
    with op.batch_alter_table("outbox_entry", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_entry_state", ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_outbox_entry_submission_id"), ["submission_id"], unique=False
        )

    with op.batch_alter_table("submission_revision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remote_status", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("remote_comment", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("remote_checked_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submission_revision", schema=None) as batch_op:
        batch_op.drop_column("remote_checked_at")
        batch_op.drop_column("remote_comment")
        batch_op.drop_column("remote_status")
    with op.batch_alter_table("outbox_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_entry_submission_id"))
        batch_op.drop_index("ix_outbox_entry_state")
    op.drop_table("outbox_entry")
    with op.batch_alter_table("media_upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_upload_submission_id"))
    op.drop_table("media_upload")
    op.drop_table("server_clock")
