"""The office's outputs: receipts kept as signed, CRC-32s for archives, settings, reminders.

Revision ID: 0002_officeout
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_officeout"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("receipt_json", sa.Text(), nullable=True))
    op.create_table(
        "blob_crc32",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("crc32", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "office_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idem_key", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.String(length=64), nullable=False),
        sa.Column("unit_key", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("unit_name", sa.String(length=500), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idem_key"),
    )
    op.create_index("ix_reminders_campaign_id", "reminders", ["campaign_id"])
    op.create_index("ix_reminders_unit_key", "reminders", ["unit_key"])
    op.create_index("ix_reminders_batch_id", "reminders", ["batch_id"])


def downgrade() -> None:
    op.drop_table("reminders")
    op.drop_table("office_settings")
    op.drop_table("blob_crc32")
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("receipt_json")
