"""the in-app list of notifications: when its person read each message

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workflow.db.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("read_at", workflow.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_outbox_recipient_read", ["recipient_id", "read_at"])


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_recipient_read")
        batch_op.drop_column("read_at")
