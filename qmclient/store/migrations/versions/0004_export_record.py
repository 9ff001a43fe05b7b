"""export record

Revision ID: 0004
Revises: 0003
Exporting is recorded beside the status instead of being one: a table of exports
(export_record: revision, time, kinds, mail count, report hash, file names).  A report
whose status was ``exported`` becomes a draft again with its export recorded from the
audit log; its revision stays frozen, so the next edit still opens a new revision.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_KINDS = {".docx": "docx", ".xlsx": "xlsx", ".eml": "eml", ".qmpkg": "package"}


def upgrade() -> None:
    op.create_table(
        "export_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("kinds", sa.String(length=100), nullable=False),
        sa.Column("mail_count", sa.Integer(), nullable=False),
        sa.Column("report_hash", sa.String(length=64), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_export_record_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_record")),
    )
    with op.batch_alter_table("export_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_export_record_submission_id"), ["submission_id"], unique=False
        )
    conn = op.get_bind()
    exported = conn.execute(
        sa.text(
            "SELECT s.id, s.uuid, s.revision, s.updated_at, coalesce(r.report_hash, '') "
            "FROM submission AS s LEFT OUTER JOIN submission_revision AS r "
            "ON r.submission_id = s.id AND r.revision = s.revision "
            "WHERE s.status = 'exported'"
        )
    ).fetchall()
    for sid, uuid, rev, updated_at, report_hash in exported:
        event = conn.execute(
            sa.text(
                "SELECT at, detail FROM audit_event WHERE submission_uuid = :u "
                "AND revision = :r AND action = 'status:exported' ORDER BY id DESC LIMIT 1"
            ),
            {"u": uuid, "r": rev},
        ).fetchone()
        made_at, files = (event[0], _names(event[1])) if event else (updated_at, [])
        kinds = sorted({_KINDS[k] for f in files if (k := _suffix(f)) in _KINDS})
        conn.execute(
            sa.text(
                "INSERT INTO export_record (submission_id, revision, made_at, kinds, "
                "mail_count, report_hash, files) VALUES (:s, :r, :at, :k, :m, :h, :f)"
            ),
            {
                "s": sid,
                "r": rev,
                "at": made_at,
                "k": ",".join(kinds),
                "m": sum(1 for f in files if _suffix(f) == ".eml"),
                "h": report_hash,
                "f": json.dumps(files, ensure_ascii=False),
            },
        )
    conn.execute(sa.text("UPDATE submission SET status = 'draft' WHERE status = 'exported'"))


def _names(detail: str) -> list[str]:
    try:
        files = json.loads(detail).get("files", [])
    except (ValueError, AttributeError):
        return []
    return [f for f in files if isinstance(f, str)][:1000]


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def downgrade() -> None:
    op.drop_table("export_record")
