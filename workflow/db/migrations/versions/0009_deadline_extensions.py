"""deadline extensions: a unit head's request for a later due date, and its decision

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workflow.db.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING_ONLY = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_table(
        "deadline_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", workflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_when_asked", workflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("proposed_due", workflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", workflow.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'granted', 'refused')", name="ck_deadline_extension_status"
        ),
        sa.ForeignKeyConstraint(["asked_by_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deadline_extension", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_extension_task_id"), ["task_id"], unique=False
        )
        # At most one request waiting per task, whoever sends two at once.
        batch_op.create_index(
            "uq_deadline_extension_pending",
            ["task_id"],
            unique=True,
            sqlite_where=PENDING_ONLY,
            postgresql_where=PENDING_ONLY,
        )


def downgrade() -> None:
    with op.batch_alter_table("deadline_extension", schema=None) as batch_op:
        batch_op.drop_index("uq_deadline_extension_pending")
        batch_op.drop_index(batch_op.f("ix_deadline_extension_task_id"))
    op.drop_table("deadline_extension")
