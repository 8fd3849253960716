"""What the year-end evaluation keeps: the office's grading rules, and each unit's confirmed
grade for a year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel

from workflow.accountability.grading import Grade
from workflow.db.types import in_check, instant_field


class GradingRules(SQLModel, table=True):
    """The rules an organisation grades its units by (``workflow.accountability.grading``);
    without a row, the defaults."""

    __tablename__ = "grading_rules"

    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    rules: dict = Field(sa_column=Column(JSON, nullable=False))
    updated_by: int = Field(foreign_key="app_user.id")
    updated_at: datetime = instant_field()


class UnitGrade(SQLModel, table=True):
    """A unit's grade for a year as a leader confirmed it, beside the grade the figures
    proposed then; a note says why when they differ. Confirming again replaces it, and says
    who and when."""

    __tablename__ = "unit_grade"
    __table_args__ = (CheckConstraint(in_check("grade", Grade), name="ck_unit_grade_grade"),)

    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    year: int = Field(primary_key=True)
    grade: str = Field(max_length=16)
    proposed: str | None = Field(default=None, max_length=16)
    note: str = Field(default="", sa_type=Text)
    confirmed_by: int = Field(foreign_key="app_user.id")
    confirmed_at: datetime = instant_field()
