"""a year of accountability: who was the head of each unit, and when (every active unit head
starts a term when their account was created); the office's grading rules; each unit's
confirmed grade for a year; what each loaded plan changed in a responsibility, when, by whom

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workflow.db.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_HEADS = """
INSERT INTO head_term (unit_id, user_id, started_at)
SELECT unit_id, id, created_at FROM app_user
WHERE role = 'unit_head' AND active AND unit_id IS NOT NULL
"""


def upgrade() -> None:
    op.create_table(
        "head_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", workflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", workflow.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("head_term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_head_term_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_head_term_user_id"), ["user_id"], unique=False)
    op.execute(CURRENT_HEADS)
    op.create_table(
        "grading_rules",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", workflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["updated_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("organisation_id"),
    )
    op.create_table(
        "unit_grade",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("proposed", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", workflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "grade IN ('excellent', 'good', 'done', 'not_done')", name="ck_unit_grade_grade"
        ),
        sa.ForeignKeyConstraint(["confirmed_by"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("unit_id", "year"),
    )
    op.create_table(
        "responsibility_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("responsibility_id", sa.Integer(), nullable=False),
        sa.Column("at", workflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.Integer(), nullable=True),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["by"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["responsibility_id"], ["responsibility.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("responsibility_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_responsibility_change_responsibility_id"),
            ["responsibility_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("responsibility_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responsibility_change_responsibility_id"))
    op.drop_table("responsibility_change")
    op.drop_table("unit_grade")
    op.drop_table("grading_rules")
    with op.batch_alter_table("head_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_head_term_user_id"))
        batch_op.drop_index(batch_op.f("ix_head_term_unit_id"))
    op.drop_table("head_term")
