"""a user name is unique within its organisation, not across the deployment: one commune's
administrator must not learn, by being refused a name, that another commune has it

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PER_ORGANISATION = "uq_app_user_organisation_username"
# SQLite's copy of the table names the first schema's unnamed constraint by this convention.
UNNAMED = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_name() -> str:
    # PostgreSQL named the first schema's ``UNIQUE (username)`` itself.
    postgresql = op.get_bind().dialect.name == "postgresql"
    return "app_user_username_key" if postgresql else "uq_app_user_username"


def upgrade() -> None:
    with op.batch_alter_table("app_user", naming_convention=UNNAMED) as batch_op:
        batch_op.drop_constraint(_old_name(), type_="unique")
        batch_op.create_unique_constraint(PER_ORGANISATION, ["organisation_id", "username"])


def downgrade() -> None:
    with op.batch_alter_table("app_user", naming_convention=UNNAMED) as batch_op:
        batch_op.drop_constraint(PER_ORGANISATION, type_="unique")
        batch_op.create_unique_constraint(_old_name(), ["username"])
