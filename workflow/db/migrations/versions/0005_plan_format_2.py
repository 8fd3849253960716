"""plan format 2: position holders, groups named later, approximate due dates, more roles

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES_BEFORE = "role IN ('lead', 'coordinating')"
ROLES_AFTER = "role IN ('lead', 'coordinating', 'directs', 'in_charge', 'takes_part')"


def upgrade() -> None:
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "holder",
                sqlmodel.sql.sqltypes.AutoString(length=255),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("members_later", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("due_approximate", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("responsibility_unit", schema=None) as batch_op:
        batch_op.drop_constraint("ck_ru_role", type_="check")
        batch_op.create_check_constraint("ck_ru_role", ROLES_AFTER)


def downgrade() -> None:
    with op.batch_alter_table("responsibility_unit", schema=None) as batch_op:
        batch_op.drop_constraint("ck_ru_role", type_="check")
        batch_op.create_check_constraint("ck_ru_role", ROLES_BEFORE)
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("due_approximate")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_column("members_later")
        batch_op.drop_column("holder")
