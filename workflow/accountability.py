"""Accountability by unit and the plan's progress: figures counted by the database.

Every figure is a ``GROUP BY`` in SQL, and each function runs a fixed number of statements
whatever the number of units, tasks or events: only the aggregated rows (one per unit, or per
responsibility and quarter) come back to Python. Each figure has one SQL condition
(``MEASURES``), so the tasks listed behind a figure are exactly the ones it counts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, exists, func, null, true, union_all
from sqlmodel import Session, select

from workflow.access import ORGANISATION_WIDE, require_role
from workflow.deadlines import overdue_clause
from workflow.errors import NotAllowed, NotFound
from workflow.i18n import N_
from workflow.models import (
    Organisation,
    Plan,
    Responsibility,
    ResponsibilityUnit,
    Section,
    Task,
    TaskEventRecord,
    Unit,
    User,
)
from workflow.periods import Quarter, quarters_between
from workflow.queries import PLAN_ORDER, TaskRow, task_rows_select
from workflow.states import Role, TaskEvent, TaskState

Period = Quarter | int  # a quarter, or a whole year


def period_clause(period: Period):
    """SQL condition: the task belongs to ``period`` (a quarter, or any quarter of a year)."""
    if isinstance(period, Quarter):
        return Task.period == str(period)
    return Task.period.in_([str(Quarter(period, number)) for number in range(1, 5)])


def parse_period(text: str) -> Period:
    """``2026-Q1`` is a quarter, ``2026`` a year; anything else raises ``ValueError``."""
    text = str(text).strip()
    if text.isdigit() and len(text) == 4:
        return int(text)
    return Quarter.parse(text)


def requested_period(args: Mapping[str, str], today: date) -> Period:
    """The period a query string asks for: ``year=2026`` or ``quarter=2026-Q1``, else the
    quarter of ``today``; anything else raises ``ValueError``."""
    if args.get("year"):
        year = parse_period(args["year"])
        if not isinstance(year, int) or not 1900 < year < 2200:
            raise ValueError(args["year"])
        return year
    return Quarter.parse(args.get("quarter") or str(Quarter.of(today)))


def _returned():
    return exists().where(
        TaskEventRecord.task_id == Task.id, TaskEventRecord.event == TaskEvent.RETURN.value
    )


# What each figure counts, as one SQL condition on a task; ``now`` decides what is overdue.
MEASURES: dict[str, Callable[[datetime], object]] = {
    "expected": lambda now: true(),
    "reported": lambda now: Task.first_reported_at.is_not(None),
    "on_time": lambda now: Task.first_reported_at <= Task.due_at,
    "approved": lambda now: Task.state == TaskState.REVIEWED.value,
    "returned": lambda now: _returned(),
    "overdue": overdue_clause,
}
MEASURE_LABELS = {
    "expected": N_("Tasks due"),
    "reported": N_("Reported"),
    "on_time": N_("Reported on time"),
    "approved": N_("Approved"),
    "returned": N_("Returned"),
    "overdue": N_("Overdue"),
}


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class Rates:
    """Reporting and on-time rates of anything that counts expected, reported and on time."""

    expected: int
    reported: int
    on_time: int

    @property
    def reporting_rate(self) -> float | None:
        return _rate(self.reported, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.expected)


@dataclass(frozen=True)
class UnitAccountability(Rates):
    """One unit's figures for a period."""

    unit_id: int
    unit_code: str
    unit_name: str
    heads: tuple[str, ...]
    expected: int
    reported: int
    on_time: int
    approved: int
    returned: int  # how many times a report was returned, not how many tasks
    overdue: int
    last_activity: datetime | None

    @property
    def head_names(self) -> str:
        return ", ".join(self.heads)


def accountability_by_unit(
    session: Session,
    organisation: Organisation,
    period: Period,
    now: datetime,
    *,
    viewer: User | None = None,
) -> list[UnitAccountability]:
    """The figures of every unit that owes tasks in ``period``, worst first (lowest on-time
    rate, then most overdue). Two statements: the figures, then the unit heads' names.

    Raises ``NotAllowed`` when a ``viewer`` is given who is not a leader, reviewer or admin of
    ``organisation`` (the command line passes none).
    """
    _check_viewer(viewer, organisation)
    in_scope = and_(Plan.organisation_id == organisation.id, period_clause(period))
    counts = (
        select(
            Task.unit_id,
            func.count(Task.id).label("expected"),
            *(
                _count(MEASURES[name](now)).label(name)
                for name in ("reported", "on_time", "approved", "overdue")
            ),
        )
        .join(Plan, Plan.id == Task.plan_id)
        .where(in_scope)
        .group_by(Task.unit_id)
        .subquery("counts")
    )
    by_person = TaskEventRecord.actor_id.is_not(None)
    events = (
        select(
            Task.unit_id,
            _count(TaskEventRecord.event == TaskEvent.RETURN.value).label("returned"),
            func.max(case((by_person, TaskEventRecord.at), else_=null())).label("last_activity"),
        )
        .join(Task, Task.id == TaskEventRecord.task_id)
        .join(Plan, Plan.id == Task.plan_id)
        .where(in_scope)
        .group_by(Task.unit_id)
        .subquery("events")
    )
    rows = session.exec(
        select(
            Unit.id.label("unit_id"),
            Unit.code.label("unit_code"),
            func.coalesce(func.nullif(Unit.short_name, ""), Unit.name).label("unit_name"),
            counts.c.expected,
            counts.c.reported,
            counts.c.on_time,
            counts.c.approved,
            func.coalesce(events.c.returned, 0).label("returned"),
            counts.c.overdue,
            events.c.last_activity,
        )
        .join(counts, counts.c.unit_id == Unit.id)
        .outerjoin(events, events.c.unit_id == Unit.id)
        .where(Unit.is_group == False)  # noqa: E712
    ).all()
    heads = unit_heads(session, organisation)
    result = [
        UnitAccountability(**row._asdict(), heads=tuple(heads.get(row.unit_id, ()))) for row in rows
    ]
    return sort_accountability(result)


def unit_heads(session: Session, organisation: Organisation) -> dict[int, list[str]]:
    """The names of the active unit heads of each unit, by unit id, in alphabetical order."""
    heads: dict[int, list[str]] = {}
    for unit_id, full_name, username in session.exec(
        select(User.unit_id, User.full_name, User.username)
        .where(
            User.organisation_id == organisation.id,
            User.role == Role.UNIT_HEAD.value,
            User.active == True,  # noqa: E712
            User.unit_id.is_not(None),
        )
        .order_by(User.unit_id, User.id)
    ):
        heads.setdefault(unit_id, []).append(full_name or username)
    return {unit_id: sorted(names, key=text_key) for unit_id, names in heads.items()}


def _check_viewer(viewer: User | None, organisation: Organisation) -> None:
    if viewer is None:
        return
    require_role(viewer, *ORGANISATION_WIDE)
    if viewer.organisation_id != organisation.id:
        raise NotAllowed()


# Sorting: the rows are one per unit, already aggregated; sorting them here makes Vietnamese
# names sort the same way on SQLite and PostgreSQL, whatever the database's collation.


def text_key(text: str) -> tuple[str, str]:
    """Sort Vietnamese text without regard to accents and case first (Đ sorts as D)."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return plain.encode("ascii", "ignore").decode().casefold(), text


def _worst_first(row: UnitAccountability):
    return (row.on_time_rate, -row.overdue, row.reporting_rate)


SORT_KEYS: dict[str, Callable[[UnitAccountability], object]] = {
    "worst": _worst_first,
    "unit": lambda row: text_key(row.unit_name),
    "head": lambda row: (not row.heads, text_key(row.head_names)),
    "expected": lambda row: row.expected,
    "reported": lambda row: row.reported,
    "reporting_rate": lambda row: row.reporting_rate,
    "on_time": lambda row: row.on_time,
    "on_time_rate": lambda row: row.on_time_rate,
    "approved": lambda row: row.approved,
    "returned": lambda row: row.returned,
    "overdue": lambda row: row.overdue,
    "last_activity": lambda row: row.last_activity or datetime.min.replace(tzinfo=UTC),
}


def sort_accountability(
    rows: list[UnitAccountability], by: str = "worst", descending: bool = False
) -> list[UnitAccountability]:
    """The rows sorted by one of ``SORT_KEYS``; ties keep the units' alphabetical order."""
    ordered = sorted(rows, key=lambda row: text_key(row.unit_name))
    return sorted(ordered, key=SORT_KEYS[by], reverse=descending)


# Rates across a year


@dataclass(frozen=True)
class QuarterRates(Rates):
    """What was due in one quarter and how much of it was reported, and on time."""

    quarter: Quarter
    expected: int = 0
    reported: int = 0
    on_time: int = 0
    overdue: int = 0


@dataclass
class YearRates:
    """The four quarters of a year for the whole organisation and for each unit (by code)."""

    year: int
    organisation: list[QuarterRates]
    by_unit: dict[str, list[QuarterRates]] = field(default_factory=dict)


def rates_by_quarter(
    session: Session,
    organisation: Organisation,
    year: int,
    now: datetime,
    *,
    viewer: User | None = None,
) -> YearRates:
    """Reporting and on-time rates of each quarter of ``year``, for the organisation and for
    each unit, in one statement (the per-unit groups and the organisation's, united)."""
    _check_viewer(viewer, organisation)
    quarters = [Quarter(year, number) for number in range(1, 5)]
    by_name = {str(quarter): quarter for quarter in quarters}
    figures = (
        func.count(Task.id),
        _count(MEASURES["reported"](now)),
        _count(MEASURES["on_time"](now)),
        _count(MEASURES["overdue"](now)),
    )
    in_scope = (Plan.organisation_id == organisation.id, period_clause(year))
    per_unit = (
        select(Unit.code.label("unit"), Task.period, *figures)
        .join(Plan, Plan.id == Task.plan_id)
        .join(Unit, Unit.id == Task.unit_id)
        .where(*in_scope)
        .group_by(Unit.code, Task.period)
    )
    whole = (
        select(null().label("unit"), Task.period, *figures)
        .join(Plan, Plan.id == Task.plan_id)
        .where(*in_scope)
        .group_by(Task.period)
    )
    found: dict[str | None, dict[str, QuarterRates]] = {}
    for unit, period, expected, reported, on_time, overdue in session.execute(
        union_all(per_unit, whole)
    ):
        found.setdefault(unit, {})[period] = QuarterRates(
            by_name[period], int(expected), int(reported), int(on_time), int(overdue)
        )

    def four(by_period: dict[str, QuarterRates]) -> list[QuarterRates]:
        return [by_period.get(str(q), QuarterRates(q)) for q in quarters]

    return YearRates(
        year=year,
        organisation=four(found.pop(None, {})),
        by_unit={unit: four(by_period) for unit, by_period in sorted(found.items())},
    )


# The tasks behind a figure


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
) -> list[TaskRow]:
    """The tasks a figure counts (``measure`` is a key of ``MEASURES``), in plan order, for one
    unit or one responsibility or the whole organisation."""
    _check_viewer(viewer, organisation)
    query = task_rows_select().where(
        Plan.organisation_id == organisation.id, period_clause(period), MEASURES[measure](now)
    )
    if unit is not None:
        query = query.where(Task.unit_id == unit.id)
    if responsibility is not None:
        query = query.where(Task.responsibility_id == responsibility.id)
    query = query.order_by(*PLAN_ORDER)
    return [
        TaskRow.of(task, ref, title, unit_code, unit_name, now)
        for task, ref, title, unit_code, unit_name in session.exec(query)
    ]


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
    session: Session, organisation: Organisation, now: datetime
) -> list[PlanOverview]:
    """Every plan of ``organisation``: its sections and live responsibilities in plan order,
    each with its lead units and its progress in each quarter. Five statements in all."""
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
            _count(MEASURES["approved"](now)),
            _count(MEASURES["overdue"](now)),
        )
        .where(Task.plan_id.in_(plan_ids))
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
    not listed goes last, under its own section reference."""
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
    return result


def find_responsibility(
    session: Session, organisation: Organisation, plan_code: str, ref: str
) -> Responsibility:
    """The responsibility ``ref`` of the plan ``plan_code`` of ``organisation``."""
    responsibility = session.exec(
        select(Responsibility)
        .join(Plan, Plan.id == Responsibility.plan_id)
        .where(
            Plan.organisation_id == organisation.id,
            Plan.code == plan_code,
            Responsibility.ref == ref,
        )
    ).first()
    if responsibility is None:
        raise NotFound(N_("There is no responsibility %(ref)s."), ref=ref)
    return responsibility


def plan_years(session: Session, organisation: Organisation) -> list[int]:
    """The years the plans of ``organisation`` cover, in order."""
    years: set[int] = set()
    for start, end in session.exec(
        select(Plan.period_start, Plan.period_end).where(Plan.organisation_id == organisation.id)
    ):
        years.update(range(start.year, end.year + 1))
    return sorted(years)


def may_see_task_lists(user: User) -> bool:
    """Whether ``user`` may open the lists of tasks behind the figures."""
    return user.active and user.role in ORGANISATION_WIDE
