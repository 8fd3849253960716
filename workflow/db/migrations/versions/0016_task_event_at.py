"""the steps of a time window (the notices told at once, every minute) found by an index

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_task_event_at", "task_event", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_task_event_at", table_name="task_event")
