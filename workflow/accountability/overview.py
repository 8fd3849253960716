"""The plan overview: each responsibility's progress by quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from workflow.accountability.measures import MEASURES, count_where
from workflow.accounts.models import User
from workflow.organisations.models import Organisation, Unit
from workflow.periods import Quarter, quarters_between
from workflow.permissions import progress_tasks_clause
from workflow.plans.models import Plan, Responsibility, ResponsibilityUnit, Section
from workflow.tasks.kinds import led_clause
from workflow.tasks.models import Task

# The plan overview


@dataclass(frozen=True)
class Progress:
    """One responsibility in one quarter: tasks approved out of those due, and overdue now."""

    expected: int = 0
    approved: int = 0
    overdue: int = 0


@dataclass
class ResponsibilityOverview:
    ref: str
    title: str
    leads: list[str]
    progress: dict[str, Progress]  # by quarter name; quarters without tasks are absent


@dataclass
class SectionOverview:
    ref: str
    title: str
    responsibilities: list[ResponsibilityOverview]


@dataclass
class PlanOverview:
    plan: Plan
    quarters: list[Quarter]
    sections: list[SectionOverview]


def plan_overview(
    session: Session, organisation: Organisation, now: datetime, viewer: User
) -> list[PlanOverview]:
    """Every plan of ``organisation``: its sections and live responsibilities in plan order,
    each with its lead units and its progress in each quarter, counted over the tasks
    ``viewer`` may see the progress of (``progress_tasks_clause``). Five statements in all."""
    plans = session.exec(
        select(Plan).where(Plan.organisation_id == organisation.id).order_by(Plan.code)
    ).all()
    plan_ids = [plan.id for plan in plans]
    sections = session.exec(
        select(Section).where(Section.plan_id.in_(plan_ids)).order_by(Section.position)
    ).all()
    responsibilities = session.exec(
        select(Responsibility)
        .where(Responsibility.plan_id.in_(plan_ids), Responsibility.retired == False)  # noqa: E712
        .order_by(Responsibility.position)
    ).all()
    leads: dict[int, list[str]] = {}
    for responsibility_id, short_name, name in session.exec(
        select(ResponsibilityUnit.responsibility_id, Unit.short_name, Unit.name)
        .join(Unit, Unit.id == ResponsibilityUnit.unit_id)
        .join(Responsibility, Responsibility.id == ResponsibilityUnit.responsibility_id)
        .where(Responsibility.plan_id.in_(plan_ids), ResponsibilityUnit.role == "lead")
        .order_by(ResponsibilityUnit.responsibility_id, ResponsibilityUnit.position)
    ):
        leads.setdefault(responsibility_id, []).append(short_name or name)
    progress: dict[int, dict[str, Progress]] = {}
    for responsibility_id, period, expected, approved, overdue in session.exec(
        select(
            Task.responsibility_id,
            Task.period,
            func.count(Task.id),
            count_where(MEASURES["approved"](now)),
            count_where(MEASURES["overdue"](now)),
        )
        .where(Task.plan_id.in_(plan_ids), led_clause(), progress_tasks_clause(viewer))
        .group_by(Task.responsibility_id, Task.period)
    ):
        progress.setdefault(responsibility_id, {})[period] = Progress(
            int(expected), int(approved), int(overdue)
        )
    return [
        PlanOverview(
            plan=plan,
            quarters=quarters_between(plan.period_start, plan.period_end),
            sections=_sections(
                [s for s in sections if s.plan_id == plan.id],
                [r for r in responsibilities if r.plan_id == plan.id],
                leads,
                progress,
            ),
        )
        for plan in plans
    ]


def _sections(sections, responsibilities, leads, progress) -> list[SectionOverview]:
    """Sections in plan order, each with its responsibilities; a responsibility whose section is
    not listed goes last, under its own section reference. A section that holds no
    responsibility itself (the plan's aims, a heading above its subsections) is left out: a
    row with nothing under it only pushes the work down the page."""
    known = {section.ref for section in sections}
    result = [SectionOverview(section.ref, section.title, []) for section in sections]
    by_ref = {overview.ref: overview for overview in result}
    for responsibility in responsibilities:
        if responsibility.section_ref not in known:
            known.add(responsibility.section_ref)
            by_ref[responsibility.section_ref] = SectionOverview(responsibility.section_ref, "", [])
            result.append(by_ref[responsibility.section_ref])
        by_ref[responsibility.section_ref].responsibilities.append(
            ResponsibilityOverview(
                ref=responsibility.ref,
                title=responsibility.title,
                leads=leads.get(responsibility.id, []),
                progress=progress.get(responsibility.id, {}),
            )
        )
    return [overview for overview in result if overview.responsibilities]
