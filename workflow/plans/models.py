"""A plan as its file says it: the plan, its sections, responsibilities and targets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Column, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflow.db.types import in_check, instant_field


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
    loaded_at: datetime = instant_field()


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
    # ref and title folded (``collation.fold``): what a search without accents matches, the
    # same on SQLite and PostgreSQL
    search_text: str = Field(default="", sa_type=Text)


# What a unit is to a responsibility, in the plan's words: chủ trì (the lead: the only one who
# owes a task), phối hợp, chỉ đạo, phụ trách chung, tham gia.
RESPONSIBILITY_ROLES = ("lead", "coordinating", "directs", "in_charge", "takes_part")


class ResponsibilityUnit(SQLModel, table=True):
    """A unit that leads, coordinates, directs, is in overall charge of or takes part in a
    responsibility."""

    __tablename__ = "responsibility_unit"
    __table_args__ = (CheckConstraint(in_check("role", RESPONSIBILITY_ROLES), name="ck_ru_role"),)

    responsibility_id: int = Field(foreign_key="responsibility.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    role: str = Field(max_length=16)
    position: int = 0


class ResponsibilityChange(SQLModel, table=True):
    """A change a loaded plan made to a responsibility: created, changed (which parts) or
    retired, when and by whom (None: the command line). The duty's history as the plan tells
    it, kept beside each task's own."""

    __tablename__ = "responsibility_change"

    id: int | None = Field(default=None, primary_key=True)
    responsibility_id: int = Field(foreign_key="responsibility.id", index=True)
    at: datetime = instant_field()
    by: int | None = Field(default=None, foreign_key="app_user.id")
    change: str = Field(max_length=16)  # created | changed | retired
    parts: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


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
    # where the figure stood when the plan began, what it should have reached by the end of
    # each quarter ({"Q1": 40, ...}), and how far from that a figure is still "at risk" rather
    # than off track: the inputs of ``workflow.targets.status``
    baseline: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    milestones: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at_risk_within: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    position: int = 0
    retired: bool = False


class TargetResponsibility(SQLModel, table=True):
    """Which responsibility's report carries a target's figure."""

    __tablename__ = "target_responsibility"

    target_id: int = Field(foreign_key="target.id", primary_key=True)
    responsibility_id: int = Field(foreign_key="responsibility.id", primary_key=True)


class PlanDraft(SQLModel, table=True):
    """A plan file being checked in the browser before it is published: drafted from the plan's
    document or copied from last year's plan. ``data`` is the plan file as plain data;
    ``text`` the document's paragraphs (line, text); ``sources`` where each part came from
    (path, line, quote); ``doubts`` what a person must still check (path, message, params,
    blocking). Kept until it is published or discarded; ``version`` guards two people editing
    it at once."""

    __tablename__ = "plan_draft"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    title: str = Field(sa_type=Text)
    source_name: str = Field(default="", max_length=255)
    kind: str = Field(max_length=16)  # docx | html | text | pdf | copy
    data: dict = Field(sa_column=Column(JSON, nullable=False))
    text: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sources: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    doubts: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by: int = Field(foreign_key="app_user.id")
    created_at: datetime = instant_field()
    updated_at: datetime = instant_field()
    version: int = 1
