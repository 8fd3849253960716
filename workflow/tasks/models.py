"""What people did: tasks, their history, reports with evidence and figures, comments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Index,
    Numeric,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from workflow.db.types import in_check, instant_field
from workflow.tasks.states import ExtensionStatus, TaskKind, TaskState


class Task(SQLModel, table=True):
    """One responsibility, for one unit, in one period: the thing a unit head moves forward."""

    __table_args__ = (
        UniqueConstraint("responsibility_id", "unit_id", "period", "occurrence"),
        CheckConstraint(in_check("state", TaskState), name="ck_task_state"),
        # a period's own work or contributions of an organisation's plans, by unit: every
        # figure of accountability reads one kind's side of it (``workflow.tasks.kinds``)
        Index("ix_task_plan_period_kind_unit", "plan_id", "period", "kind", "unit_id"),
        Index("ix_task_state_due", "state", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    responsibility_id: int = Field(foreign_key="responsibility.id", index=True)
    # a duty, a coordinating unit's contribution to it (``TaskKind``), or an explanation asked
    # about a target (``target_id``): numbered -1, -2… in ``occurrence`` so it never meets a
    # phase of the duty it is filed under
    kind: str = Field(default=TaskKind.DUTY.value, max_length=16)
    target_id: int | None = Field(default=None, foreign_key="target.id")
    unit_id: int = Field(foreign_key="unit.id", index=True)
    period: str = Field(max_length=8)  # 2026-Q3
    occurrence: int = 0  # which phase (đợt) of the responsibility, 0 when there is one
    occurrence_label: str = Field(default="", max_length=128)
    due_at: datetime = instant_field()
    due_approximate: bool = False  # the plan gives only a month ("dự kiến tháng 11/2025")
    state: str = Field(default=TaskState.ASSIGNED.value, max_length=16)
    # the member of the unit its head gave the work to (phân công); None: the head's own
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id")
    version: int = 1
    created_at: datetime = instant_field()
    updated_at: datetime = instant_field()
    first_reported_at: datetime | None = instant_field(nullable=True, default=None)
    reviewed_at: datetime | None = instant_field(nullable=True, default=None)
    # What the history says, kept on the row by the step that changes it (``record_step``) so
    # that accountability counts tasks without reading their histories: when a person last
    # acted on the task, and how many times its report was returned.
    last_activity_at: datetime | None = instant_field(nullable=True, default=None)
    times_returned: int = 0


class TaskEventRecord(SQLModel, table=True):
    """One step of a task's history; rows are only ever added."""

    __tablename__ = "task_event"
    # ix_task_event_at: the last week's steps, scanned for notices every minute (``sweep``)
    __table_args__ = (
        Index("ix_task_event_task_at", "task_id", "at"),
        Index("ix_task_event_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = instant_field()
    event: str = Field(max_length=16)
    from_state: str | None = Field(default=None, max_length=16)
    to_state: str = Field(max_length=16)
    comment: str = Field(default="", sa_type=Text)


class Report(SQLModel, table=True):
    """What a unit head submitted for a task: text, links, files and target figures."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    author_id: int = Field(foreign_key="app_user.id")
    submitted_at: datetime = instant_field()
    text: str = Field(sa_type=Text)
    links: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ReportDraft(SQLModel, table=True):
    """The report a task's assigned member (or its head) is writing, for the head to send: one
    per task, replaced at each save, gone once a report is sent."""

    __tablename__ = "report_draft"

    task_id: int = Field(foreign_key="task.id", primary_key=True)
    author_id: int = Field(foreign_key="app_user.id")
    saved_at: datetime = instant_field()
    text: str = Field(sa_type=Text)
    links: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ReportFile(SQLModel, table=True):
    """Evidence attached to a report; the bytes live in the upload folder under ``stored_name``."""

    __tablename__ = "report_file"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    filename: str = Field(max_length=255)
    stored_name: str = Field(unique=True, max_length=64)
    content_type: str = Field(max_length=128)
    size: int
    sha256: str = Field(max_length=64)


class TargetFigure(SQLModel, table=True):
    """A figure a unit reached for a target by the end of a quarter: with a task's report
    (``report_id``) or on the target's page (no report; ``source`` and ``evidence_link`` say
    where it comes from). ``count`` over ``total`` when the unit counted both. The latest figure
    of a unit for a target and a quarter is the one that counts (``workflow.targets``)."""

    __tablename__ = "target_figure"
    __table_args__ = (
        UniqueConstraint("report_id", "target_id"),
        Index("ix_target_figure_target_period", "target_id", "period", "unit_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int | None = Field(default=None, foreign_key="report.id", index=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    period: str = Field(max_length=8)  # 2026-Q3
    reported_by: int = Field(foreign_key="app_user.id")
    reported_at: datetime = instant_field()
    value: Decimal = Field(sa_type=Numeric(12, 2))
    count: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    total: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    source: str = Field(default="", sa_type=Text)
    evidence_link: str = Field(default="", sa_type=Text)


class Comment(SQLModel, table=True):
    """A remark on a task, often from a coordinating unit; comments never change its state."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    author_id: int = Field(foreign_key="app_user.id")
    at: datetime = instant_field()
    text: str = Field(sa_type=Text)


PENDING_ONLY = text("status = 'pending'")


class DeadlineExtension(SQLModel, table=True):
    """A unit head's request to move a task's due time (đề nghị gia hạn), and the reviewer's
    decision. A task has at most one request waiting: the partial unique index says so to the
    database, so of two requests sent at once exactly one is kept."""

    __tablename__ = "deadline_extension"
    __table_args__ = (
        CheckConstraint(in_check("status", ExtensionStatus), name="ck_deadline_extension_status"),
        Index(
            "uq_deadline_extension_pending",
            "task_id",
            unique=True,
            sqlite_where=PENDING_ONLY,
            postgresql_where=PENDING_ONLY,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    asked_by_id: int = Field(foreign_key="app_user.id")
    asked_at: datetime = instant_field()
    due_when_asked: datetime = instant_field()  # the task's due time when it was asked for
    proposed_due: datetime = instant_field()  # the due time asked for
    reason: str = Field(sa_type=Text)
    status: str = Field(default=ExtensionStatus.PENDING.value, max_length=16)
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = instant_field(nullable=True, default=None)
    refusal_reason: str = Field(default="", sa_type=Text)
