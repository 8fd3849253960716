"""targets followed quarter by quarter: baselines, milestones and the at-risk margin; figures
that say their unit, quarter, author and source (and may come without a report); explanation
requests as tasks

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workflow.db.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIGURE_FROM_REPORT = """
UPDATE target_figure SET
  unit_id = (SELECT task.unit_id FROM report JOIN task ON task.id = report.task_id
             WHERE report.id = target_figure.report_id),
  period = (SELECT task.period FROM report JOIN task ON task.id = report.task_id
            WHERE report.id = target_figure.report_id),
  reported_by = (SELECT report.author_id FROM report WHERE report.id = target_figure.report_id),
  reported_at = (SELECT report.submitted_at FROM report WHERE report.id = target_figure.report_id)
"""


def upgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("baseline", sa.Numeric(12, 2), nullable=True))
        batch_op.add_column(
            sa.Column("milestones", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(sa.Column("at_risk_within", sa.Numeric(12, 2), nullable=True))
    with op.batch_alter_table("target_figure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("period", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("reported_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reported_at", workflow.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("count", sa.Numeric(12, 2), nullable=True))
        batch_op.add_column(sa.Column("total", sa.Numeric(12, 2), nullable=True))
        batch_op.alter_column("note", new_column_name="source")
        batch_op.add_column(
            sa.Column("evidence_link", sa.Text(), nullable=False, server_default="")
        )
    op.execute(FIGURE_FROM_REPORT)
    with op.batch_alter_table("target_figure", schema=None) as batch_op:
        batch_op.alter_column("report_id", existing_type=sa.Integer(), nullable=True)
        for name in ("unit_id", "reported_by"):
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("period", existing_type=sa.String(length=8), nullable=False)
        batch_op.alter_column(
            "reported_at",
            existing_type=workflow.db.types.UTCDateTime(timezone=True),
            nullable=False,
        )
        batch_op.create_foreign_key("fk_target_figure_unit", "unit", ["unit_id"], ["id"])
        batch_op.create_foreign_key(
            "fk_target_figure_reported_by", "app_user", ["reported_by"], ["id"]
        )
        batch_op.create_index(
            "ix_target_figure_target_period", ["target_id", "period", "unit_id"], unique=False
        )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="duty")
        )
        batch_op.add_column(sa.Column("target_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_task_target", "target", ["target_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_constraint("fk_task_target", type_="foreignkey")
        batch_op.drop_column("target_id")
        batch_op.drop_column("kind")
    op.execute("DELETE FROM target_figure WHERE report_id IS NULL")
    with op.batch_alter_table("target_figure", schema=None) as batch_op:
        batch_op.drop_index("ix_target_figure_target_period")
        batch_op.drop_constraint("fk_target_figure_reported_by", type_="foreignkey")
        batch_op.drop_constraint("fk_target_figure_unit", type_="foreignkey")
        batch_op.alter_column("report_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("evidence_link")
        batch_op.alter_column("source", new_column_name="note")
        for name in ("total", "count", "reported_at", "reported_by", "period", "unit_id"):
            batch_op.drop_column(name)
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_column("at_risk_within")
        batch_op.drop_column("milestones")
        batch_op.drop_column("baseline")
