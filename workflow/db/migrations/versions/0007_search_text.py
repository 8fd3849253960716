"""search without accents: each responsibility's ref and title, folded

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workflow.collation import fold

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("responsibility", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    responsibility = sa.table(
        "responsibility",
        sa.column("id", sa.Integer),
        sa.column("ref", sa.String),
        sa.column("title", sa.Text),
        sa.column("search_text", sa.Text),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(responsibility.c.id, responsibility.c.ref, responsibility.c.title)
    )
    for row_id, ref, title in rows.all():
        connection.execute(
            responsibility.update()
            .where(responsibility.c.id == row_id)
            .values(search_text=fold(f"{ref} {title}"))
        )


def downgrade() -> None:
    with op.batch_alter_table("responsibility", schema=None) as batch_op:
        batch_op.drop_column("search_text")
