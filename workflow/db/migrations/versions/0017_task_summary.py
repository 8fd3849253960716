"""what accountability reads of a task's history, kept on the task: when a person last acted on
it, and how many times its report was returned (the large organisation's page read every
task's history twice for these two figures)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workflow.db.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROM_HISTORY = """
UPDATE task SET
  last_activity_at = (
    SELECT max(at) FROM task_event WHERE task_id = task.id AND actor_id IS NOT NULL
  ),
  times_returned = (
    SELECT count(*) FROM task_event WHERE task_id = task.id AND event = 'return'
  )
"""


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "last_activity_at", workflow.db.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("times_returned", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(FROM_HISTORY)


def downgrade() -> None:
    # Dropped in place (SQLite 3.35+ can): a batch copy of ``task`` would be refused by the
    # foreign keys that point at it.
    op.drop_column("task", "times_returned")
    op.drop_column("task", "last_activity_at")
