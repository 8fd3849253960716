"""Accountability by unit and the plan's progress: figures counted by the database.

Every figure is a ``GROUP BY`` in SQL, and each function runs a fixed number of statements
whatever the number of units, tasks or events: only the aggregated rows (one per unit, or per
responsibility and quarter) come back to Python. Each figure has one SQL condition
(``MEASURES``), so the tasks listed behind a figure are exactly the ones it counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import Session, select

from workflow.accountability.figures import (
    UNIT_FIGURES,
    QuarterRates,
    UnitAccountability,
    UnitRoles,
    YearRates,
)
from workflow.accountability.measures import MEASURES, Period, counted, period_clause
from workflow.accountability.sorting import sort_accountability
from workflow.accounts.models import User
from workflow.collation import text_key
from workflow.organisations.models import Organisation, Unit, UnitMembership
from workflow.organisations.queries import find_unit, unit_heads
from workflow.periods import Quarter
from workflow.permissions import Access, require_viewer
from workflow.plans.models import Plan, Responsibility, ResponsibilityUnit
from workflow.plans.queries import find_responsibility
from workflow.tasks.kinds import contribution_clause, led_clause
from workflow.tasks.models import Task
from workflow.tasks.queries import PLAN_ORDER, TaskRow, task_rows, task_rows_select, words_clause


def accountability_by_unit(
    session: Session,
    organisation: Organisation,
    period: Period,
    now: datetime,
    *,
    viewer: User | None = None,
) -> list[UnitAccountability]:
    """The figures of every unit that owes tasks in ``period``, worst first (lowest on-time
    rate of what is due, then most overdue; units with nothing due yet last). Two statements:
    the figures, then the unit heads' names.

    Raises ``NotAllowed`` when a ``viewer`` is given who is not a leader, reviewer or admin of
    ``organisation`` (the command line passes none).
    """
    require_viewer(viewer, Access.ACCOUNTABILITY, organisation.id)
    counts = (
        select(
            Task.unit_id,
            func.count(Task.id).label("expected"),
            *counted(*UNIT_FIGURES),
            func.max(Task.last_activity_at).label("last_activity"),
        )
        .join(Plan, Plan.id == Task.plan_id)
        .where(Plan.organisation_id == organisation.id, period_clause(period), led_clause())
        .group_by(Task.unit_id)
        .subquery("counts")
    )
    rows = session.exec(
        select(
            Unit.id.label("unit_id"),
            Unit.code.label("unit_code"),
            func.coalesce(func.nullif(Unit.short_name, ""), Unit.name).label("unit_name"),
            counts.c.expected,
            *(counts.c[name] for name in UNIT_FIGURES),
            counts.c.last_activity,
        )
        .join(counts, counts.c.unit_id == Unit.id)
        .where(Unit.is_group == False),  # noqa: E712
        params={"now": now},
    ).all()
    heads = unit_heads(session, organisation)
    result = [
        UnitAccountability(**row._asdict(), heads=tuple(heads.get(row.unit_id, ()))) for row in rows
    ]
    return sort_accountability(result)


# The roles a unit may have in a duty it does not lead and that owe nothing: shown, never owed.
SHOWN_ROLES = ("directs", "in_charge", "takes_part")
# What each unit's coordination counts of its contributions (``workflow.tasks.kinds``), by the
# measure whose tasks a figure opens: owed, sent on time, sent late, not sent and overdue.
CONTRIBUTION_MEASURES = ("expected", "on_time", "late", "overdue")


def roles_apart(
    session: Session,
    organisation: Organisation,
    period: Period,
    now: datetime,
    *,
    viewer: User | None = None,
) -> list[UnitRoles]:
    """Each unit's part in the period's duties that it does not lead, counted apart from what it
    owes as the lead, in three statements: its contributions as a coordinating unit (owed, sent on
    time, sent late, overdue), and the duties it directs, is in overall charge of or takes part
    in (itself, or as a member of a group that does); then the units' names."""
    require_viewer(viewer, Access.ACCOUNTABILITY, organisation.id)
    in_organisation = (Plan.organisation_id == organisation.id, period_clause(period))
    contributions = {
        unit_id: counts
        for unit_id, *counts in session.exec(
            select(Task.unit_id, *counted(*CONTRIBUTION_MEASURES))
            .join(Plan, Plan.id == Task.plan_id)
            .where(*in_organisation, contribution_clause())
            .group_by(Task.unit_id),
            params={"now": now},
        )
    }
    tasks = (
        select(Task.id, Task.unit_id, Task.responsibility_id)
        .join(Plan, Plan.id == Task.plan_id)
        .where(*in_organisation, led_clause())
        .subquery("tasks")
    )
    # the organisation's shown roles, found from its plans (read by role alone, they are the
    # whole country's)
    shown = (
        select(
            ResponsibilityUnit.responsibility_id,
            ResponsibilityUnit.unit_id,
            ResponsibilityUnit.role,
        )
        .join(Responsibility, Responsibility.id == ResponsibilityUnit.responsibility_id)
        .join(Plan, Plan.id == Responsibility.plan_id)
        .where(Plan.organisation_id == organisation.id, ResponsibilityUnit.role.in_(SHOWN_ROLES))
        .subquery("shown")
    )
    # a part of a group is each member's (a group with no members yet is left out below)
    parts = (
        select(
            func.coalesce(UnitMembership.member_id, shown.c.unit_id).label("unit_id"),
            shown.c.role,
            tasks.c.id.label("task_id"),
            tasks.c.unit_id.label("owner_id"),
        )
        .join(tasks, tasks.c.responsibility_id == shown.c.responsibility_id)
        .outerjoin(UnitMembership, UnitMembership.group_id == shown.c.unit_id)
        .subquery("parts")
    )
    shown_counts = {
        unit_id: counts
        for unit_id, *counts in session.exec(
            select(
                parts.c.unit_id,
                *(
                    func.count(func.distinct(case((parts.c.role == role, parts.c.task_id))))
                    for role in SHOWN_ROLES
                ),
            )
            .where(parts.c.owner_id != parts.c.unit_id)
            .group_by(parts.c.unit_id)
        )
    }
    units = session.exec(
        select(
            Unit.id, Unit.code, func.coalesce(func.nullif(Unit.short_name, ""), Unit.name)
        ).where(
            Unit.id.in_(list(contributions.keys() | shown_counts.keys())),
            Unit.is_group == False,  # noqa: E712
        )
    ).all()
    return sorted(
        (
            UnitRoles(
                code,
                name,
                *(int(n) for n in contributions.get(unit_id, (0,) * 4)),
                *(int(n) for n in shown_counts.get(unit_id, (0,) * 3)),
            )
            for unit_id, code, name in units
        ),
        key=lambda row: text_key(row.unit_name),
    )


def rates_by_quarter(
    session: Session,
    organisation: Organisation,
    year: int,
    now: datetime,
    *,
    viewer: User | None = None,
) -> YearRates:
    """Reporting and on-time rates of each quarter of ``year`` for the organisation (the
    chart of the accountability page), in one statement grouped by quarter: four rows, however
    many units."""
    require_viewer(viewer, Access.ACCOUNTABILITY, organisation.id)
    quarters = [Quarter(year, number) for number in range(1, 5)]
    by_name = {str(quarter): quarter for quarter in quarters}
    rows = session.execute(
        select(
            Task.period,
            func.count(Task.id),
            *counted("due", "reported", "on_time", "overdue"),
        )
        .join(Plan, Plan.id == Task.plan_id)
        .where(Plan.organisation_id == organisation.id, period_clause(year), led_clause())
        .group_by(Task.period),
        {"now": now},
    )
    found = {
        period: QuarterRates(by_name[period], *(int(count) for count in counts))
        for period, *counts in rows
    }
    return YearRates(year=year, organisation=[found.get(str(q), QuarterRates(q)) for q in quarters])


# The tasks behind a figure


def figure_scope(
    session: Session,
    organisation: Organisation,
    *,
    unit_code: str | None = None,
    plan_code: str | None = None,
    ref: str | None = None,
    viewer: User | None = None,
) -> tuple[Unit | None, Responsibility | None]:
    """The unit, or the responsibility of a plan, that a request narrows a figure to; asked
    after the viewer may see figures, so codes reveal nothing to anyone else."""
    require_viewer(viewer, Access.ACCOUNTABILITY, organisation.id)
    unit = find_unit(session, organisation, unit_code) if unit_code else None
    responsibility = (
        find_responsibility(session, organisation, plan_code or "", ref) if ref else None
    )
    return unit, responsibility


def tasks_behind(
    session: Session,
    organisation: Organisation,
    period: Period,
    measure: str,
    now: datetime,
    *,
    unit: Unit | None = None,
    responsibility: Responsibility | None = None,
    viewer: User | None = None,
    search: str = "",
    contributions: bool = False,
) -> list[TaskRow]:
    """The tasks a figure counts (``measure`` is a key of ``MEASURES``), in plan order, for one
    unit or one responsibility or the whole organisation; ``search`` narrows them to words of
    their ref or title. A figure counts the units' own work, or with ``contributions`` what they
    sent to duties others lead (``roles_apart``)."""
    require_viewer(viewer, Access.ACCOUNTABILITY, organisation.id)
    query = task_rows_select().where(
        Plan.organisation_id == organisation.id,
        period_clause(period),
        contribution_clause() if contributions else led_clause(),
        MEASURES[measure](now),
    )
    if unit is not None:
        query = query.where(Task.unit_id == unit.id)
    if responsibility is not None:
        query = query.where(Task.responsibility_id == responsibility.id)
    return task_rows(session, query.where(words_clause(search)).order_by(*PLAN_ORDER), now)
