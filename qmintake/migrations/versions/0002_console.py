"""The office console: campaigns in the database, the roster, office accounts, sessions,
the audit log and internal notes.

Revision ID: 0002_console
Revises: 0002_faults
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_console"
down_revision = "0002_faults"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("receipt_prefix", sa.String(40), nullable=False),
        _time("imported_at"),
        sa.Column("imported_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "roster",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.String(64), nullable=False, index=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("contact_person", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        _time("added_at"),
        sa.UniqueConstraint("campaign_id", "unit_id"),
    )
    op.create_table(
        "office_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _time("locked_until", nullable=True),
        _time("created_at"),
        sa.Column("disabled", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "office_sessions",
        sa.Column("id_sha256", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("office_users.id"), nullable=False, index=True
        ),
        sa.Column("csrf", sa.String(64), nullable=False),
        _time("created_at"),
        _time("expires_at"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        _time("at"),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "office_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "submission_id",
            sa.Integer(),
            sa.ForeignKey("submissions.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _time("at"),
    )


def downgrade() -> None:
    for table in ("office_notes", "audit_log", "office_sessions", "office_users", "roster"):
        op.drop_table(table)
    op.drop_table("campaigns")
