"""The organisation and its units: who owes the work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflow.db.types import instant_field


class Organisation(SQLModel, table=True):
    """A ward's or commune's Party Committee (or People's Committee): one database holds many.
    Organisations form a tree (``workflow.organisations.tree``): communes under a city or
    province, those under the national level; the levels above a commune hold no plans of
    their own and oversee the communes below them."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=255)
    kind: str = Field(max_length=32)  # party, government, front...: chooses the document layout
    place: str = Field(default="", max_length=128)
    level: str = Field(default="commune", max_length=16)  # ``tree.Level``
    parent_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)


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
    holder: str = Field(default="", max_length=255)  # who holds a position the plan names
    is_group: bool = False
    members_later: bool = False  # a group whose members the admin names, not the plan
    is_example: bool = False  # members invented for the demo, not named by the plan

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class UnitMembership(SQLModel, table=True):
    """A unit that belongs to a group: a duty owned by the group is a task for each member."""

    __tablename__ = "unit_membership"

    group_id: int = Field(foreign_key="unit.id", primary_key=True)
    member_id: int = Field(foreign_key="unit.id", primary_key=True)


class HeadTerm(SQLModel, table=True):
    """A time a person was the head of a unit: from when they became it until they stopped
    (``ended_at`` None: still). Kept for ever, so a year's work is credited to whoever was head
    when each task fell due (``workflow.organisations.heads``)."""

    __tablename__ = "head_term"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    started_at: datetime = instant_field()
    ended_at: datetime | None = instant_field(nullable=True, default=None)
    recorded_by: int | None = Field(default=None, foreign_key="app_user.id")
