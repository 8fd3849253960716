"""The tables: organisations and their plans, units and users, tasks with their history.

Plans, units and responsibilities are what a plan file says; tasks, events and reports are what
people did. Loading an edited plan rewrites the first kind and never touches the second.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflow.clock import now
from workflow.db_types import UTCDateTime
from workflow.states import Role, TaskState


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


def _instant(nullable: bool = False, **kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, nullable=nullable, **kwargs)


class Organisation(SQLModel, table=True):
    """A ward's or commune's Party Committee (or People's Committee): one database holds many."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=255)
    kind: str = Field(max_length=32)  # party | government: chooses the document header
    place: str = Field(default="", max_length=128)


class Plan(SQLModel, table=True):
    """One kế hoạch as loaded from its definition file."""

    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    code: str = Field(max_length=64)
    number: str | None = Field(default=None, max_length=32)
    symbol: str | None = Field(default=None, max_length=64)
    title: str = Field(sa_type=Text)
    issuing_body: str = Field(max_length=255)
    issued_on: date | None = None
    period_start: date
    period_end: date
    definition: dict = Field(sa_column=Column(JSON, nullable=False))
    digest: str = Field(max_length=64)
    loaded_at: datetime = _instant(default_factory=now)


class Unit(SQLModel, table=True):
    """A body, position or group that owns or coordinates responsibilities."""

    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    code: str = Field(max_length=64)
    name: str = Field(max_length=255)
    short_name: str = Field(default="", max_length=128)
    aliases: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kind: str = Field(max_length=32)
    head_title: str = Field(default="", max_length=128)
    is_group: bool = False
    is_example: bool = False  # members invented for the demo, not named by the plan

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class UnitMembership(SQLModel, table=True):
    """A unit that belongs to a group: a duty owned by the group is a task for each member."""

    __tablename__ = "unit_membership"

    group_id: int = Field(foreign_key="unit.id", primary_key=True)
    member_id: int = Field(foreign_key="unit.id", primary_key=True)


class Section(SQLModel, table=True):
    """A numbered section of the plan (``VI.2``), for grouping and overviews."""

    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    ref: str = Field(max_length=32)
    title: str = Field(sa_type=Text)
    position: int = 0


class Responsibility(SQLModel, table=True):
    """One duty of the plan, as written, with the cadence at which it is owed."""

    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    ref: str = Field(max_length=32)
    section_ref: str = Field(max_length=32)
    kind: str = Field(default="duty", max_length=16)  # duty | phase
    title: str = Field(sa_type=Text)
    text: str = Field(sa_type=Text)
    result: str = Field(default="", sa_type=Text)
    cadence: dict = Field(sa_column=Column(JSON, nullable=False))
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    position: int = 0
    retired: bool = False  # no longer in the plan file; kept for its tasks' history


class ResponsibilityUnit(SQLModel, table=True):
    """A unit that leads or coordinates a responsibility."""

    __tablename__ = "responsibility_unit"
    __table_args__ = (CheckConstraint("role IN ('lead', 'coordinating')", name="ck_ru_role"),)

    responsibility_id: int = Field(foreign_key="responsibility.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    role: str = Field(max_length=16)
    position: int = 0


class Target(SQLModel, table=True):
    """A numeric goal of the plan (chỉ tiêu), reported each quarter by the units concerned."""

    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    ref: str = Field(max_length=32)
    title: str = Field(sa_type=Text)
    text: str = Field(sa_type=Text)
    figure: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    unit_of_measure: str = Field(default="", max_length=16)
    comparator: str | None = Field(default=None, max_length=2)
    measure: str = Field(default="", sa_type=Text)
    position: int = 0
    retired: bool = False


class TargetResponsibility(SQLModel, table=True):
    """Which responsibility's report carries a target's figure."""

    __tablename__ = "target_responsibility"

    target_id: int = Field(foreign_key="target.id", primary_key=True)
    responsibility_id: int = Field(foreign_key="responsibility.id", primary_key=True)


class User(SQLModel, table=True):
    """A person who signs in; unit heads and members belong to one unit."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_in("role", Role), name="ck_user_role"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    username: str = Field(unique=True, max_length=64)
    full_name: str = Field(default="", max_length=255)
    email: str = Field(max_length=255)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    active: bool = True
    locale: str = Field(default="vi", max_length=8)
    email_digests: bool = True  # reminder digests by email; escalations cannot be switched off
    created_at: datetime = _instant(default_factory=now)


class ApiToken(SQLModel, table=True):
    """A bearer token for the API; only its SHA-256 is kept."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = _instant(default_factory=now)
    last_used_at: datetime | None = _instant(nullable=True, default=None)
    revoked_at: datetime | None = _instant(nullable=True, default=None)


class Task(SQLModel, table=True):
    """One responsibility, for one unit, in one period: the thing a unit head moves forward."""

    __table_args__ = (
        UniqueConstraint("responsibility_id", "unit_id", "period", "occurrence"),
        CheckConstraint(_in("state", TaskState), name="ck_task_state"),
        Index("ix_task_plan_period_unit", "plan_id", "period", "unit_id"),
        Index("ix_task_state_due", "state", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    responsibility_id: int = Field(foreign_key="responsibility.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    period: str = Field(max_length=8)  # 2026-Q3
    occurrence: int = 0  # which phase (đợt) of the responsibility, 0 when there is one
    occurrence_label: str = Field(default="", max_length=128)
    due_at: datetime = _instant()
    state: str = Field(default=TaskState.ASSIGNED.value, max_length=16)
    version: int = 1
    created_at: datetime = _instant(default_factory=now)
    updated_at: datetime = _instant(default_factory=now)
    first_reported_at: datetime | None = _instant(nullable=True, default=None)
    reviewed_at: datetime | None = _instant(nullable=True, default=None)


class TaskEventRecord(SQLModel, table=True):
    """One step of a task's history; rows are only ever added."""

    __tablename__ = "task_event"
    __table_args__ = (Index("ix_task_event_task_at", "task_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = _instant(default_factory=now)
    event: str = Field(max_length=16)
    from_state: str | None = Field(default=None, max_length=16)
    to_state: str = Field(max_length=16)
    comment: str = Field(default="", sa_type=Text)


class Report(SQLModel, table=True):
    """What a unit head submitted for a task: text, links, files and target figures."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    author_id: int = Field(foreign_key="app_user.id")
    submitted_at: datetime = _instant(default_factory=now)
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
    """A figure reached for a target, as reported with a report."""

    __tablename__ = "target_figure"
    __table_args__ = (UniqueConstraint("report_id", "target_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    value: Decimal = Field(sa_type=Numeric(12, 2))
    note: str = Field(default="", sa_type=Text)


class Comment(SQLModel, table=True):
    """A remark on a task, often from a coordinating unit; comments never change its state."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    author_id: int = Field(foreign_key="app_user.id")
    at: datetime = _instant(default_factory=now)
    text: str = Field(sa_type=Text)
