"""organisations form a tree: communes under a city or province, those under the nation; the
overseers of the levels above

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 16:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES_BEFORE = "role IN ('admin', 'leader', 'reviewer', 'unit_head', 'member')"
ROLES_AFTER = "role IN ('admin', 'leader', 'reviewer', 'unit_head', 'member', 'overseer')"


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level", sa.String(length=16), nullable=False, server_default="commune")
        )
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_organisation_parent", "organisation", ["parent_id"], ["id"])
        batch_op.create_index("ix_organisation_parent_id", ["parent_id"], unique=False)
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint("ck_user_role", type_="check")
        batch_op.create_check_constraint("ck_user_role", ROLES_AFTER)


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint("ck_user_role", type_="check")
        batch_op.create_check_constraint("ck_user_role", ROLES_BEFORE)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index("ix_organisation_parent_id")
        batch_op.drop_constraint("fk_organisation_parent", type_="foreignkey")
        batch_op.drop_column("parent_id")
        batch_op.drop_column("level")
