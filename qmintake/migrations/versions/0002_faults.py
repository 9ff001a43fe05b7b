"""Who sent which stored file: "already have it" is answered per unit.

Revision ID: 0002_faults
Revises: 0002_officeout

Files stored before this revision are credited to the units whose finished uploads
brought them (subject: every submission of that unit listing the file).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_faults"
down_revision = "0002_officeout"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "media_senders",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=600), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("sha256", "unit_id", "subject"),
    )
    with op.batch_alter_table("media_senders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_senders_unit_id"), ["unit_id"], unique=False)
    # what finished uploads brought before: credit the uploading unit, for every report of
    # it that lists the file (the subject key is made as in qmintake.provenance)
    op.execute(
        """
        INSERT INTO media_senders (sha256, unit_id, subject, sent_at)
        SELECT sha256, unit_id, subject, MIN(created_at) FROM (
            SELECT u.sha256 AS sha256, u.unit_id AS unit_id, u.created_at AS created_at,
                   s.unit_kind || '|' || s.unit_district || '|' ||
                   CASE WHEN s.unit_credit_code <> '' THEN s.unit_credit_code
                        ELSE s.unit_name END AS subject
            FROM uploads u
            JOIN blobs b ON b.sha256 = u.sha256
            JOIN revision_media m ON m.sha256 = u.sha256
            JOIN revisions r ON r.id = m.revision_id
            JOIN submissions s ON s.id = r.submission_id AND s.owner_unit_id = u.unit_id
            WHERE u.state = 'done'
        ) AS sent
        GROUP BY sha256, unit_id, subject
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("media_senders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_senders_unit_id"))
    op.drop_table("media_senders")
