"""Uploads straight to an object store (their state in the database) and write leases.

Revision ID: 0002_s3
Revises: 0002_console
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_s3"
down_revision = "0002_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("uploads") as batch:
        batch.add_column(sa.Column("s3_upload_id", sa.String(length=1024), nullable=True))
        batch.add_column(sa.Column("parts", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("stored", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("tail_key", sa.String(length=1024), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("tail", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("hash_state", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("head", sa.LargeBinary(), nullable=True))
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("leases")
    with op.batch_alter_table("uploads") as batch:
        for name in ("head", "hash_state", "tail", "tail_key", "stored", "parts", "s3_upload_id"):
            batch.drop_column(name)
