"""A unit's year of accountability, as the year-end evaluation reads it: what it owed and how it
did, for the whole year and for each head in turn, with the grade the figures propose and the
one a leader confirmed.

Each task is credited to whoever was head of its unit when it fell due
(``workflow.organisations.heads``); a task due while no one was head is shown under "no head".
Every figure is counted in SQL with the condition of its measure (``MEASURES``): the duties the
unit leads, the explanations asked of it, its contributions as a coordinating unit. A unit's
year is read in a fixed number of statements whatever its size: the figures by head and for the
whole year, the returns with their reasons, the targets (three per plan), the heads, the grade.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, time

from sqlalchemy import and_, null
from sqlmodel import Session, select

from workflow.accountability.grading import Grade, GradeRule, Standing, propose, rules_from
from workflow.accountability.measures import MEASURES, count_where, period_clause
from workflow.accountability.models import GradingRules, UnitGrade
from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.collation import text_key
from workflow.errors import NotAllowed
from workflow.i18n import N_
from workflow.organisations.heads import Term, covers, terms_between
from workflow.organisations.models import HeadTerm, Organisation, Unit
from workflow.periods import Quarter
from workflow.permissions import Access, may_see_unit_year, require_viewer
from workflow.plans.models import Plan, Responsibility
from workflow.targets.progress import targets_progress
from workflow.targets.status import TargetStatus
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.states import TaskEvent, TaskKind


@dataclass(frozen=True)
class YearFigures:
    """What a unit (or one head of it) answers for in a year."""

    owed: int = 0  # the duties it leads that fell due in the year, or will
    due: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    awaiting_review: int = 0
    overdue: int = 0
    extended: int = 0
    returned: int = 0
    explanations: int = 0  # explanations asked of it about a target off track
    explanations_answered: int = 0
    contributions: int = 0  # as a coordinating unit
    contributed_on_time: int = 0
    contributed_late: int = 0
    contributions_overdue: int = 0
    targets_assessed: int = 0  # the unit's figures for a quarter that has a verdict
    targets_reached: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.completed_on_time / self.due if self.due else None

    @property
    def targets_rate(self) -> float | None:
        return self.targets_reached / self.targets_assessed if self.targets_assessed else None

    @property
    def standing(self) -> Standing:
        return Standing(
            due=self.due,
            completed_on_time=self.completed_on_time,
            targets_assessed=self.targets_assessed,
            targets_reached=self.targets_reached,
            overdue=self.overdue,
            unanswered=self.explanations - self.explanations_answered,
        )


# The task figures, each one SQL condition on a task of the right kind: (figure, kind, measure).
DUTY, EXPLANATION, CONTRIBUTION = TaskKind.DUTY, TaskKind.EXPLANATION, TaskKind.CONTRIBUTION
TASK_FIGURES = (
    ("owed", DUTY, "expected"),
    ("due", DUTY, "due"),
    ("completed_on_time", DUTY, "completed_on_time"),
    ("completed_late", DUTY, "completed_late"),
    ("awaiting_review", DUTY, "awaiting_review"),
    ("overdue", DUTY, "overdue"),
    ("extended", DUTY, "extended"),
    ("returned", DUTY, "returned"),
    ("explanations", EXPLANATION, "expected"),
    ("explanations_answered", EXPLANATION, "reported"),
    ("contributions", CONTRIBUTION, "expected"),
    ("contributed_on_time", CONTRIBUTION, "on_time"),
    ("contributed_late", CONTRIBUTION, "late"),
    ("contributions_overdue", CONTRIBUTION, "overdue"),
)


# The year page's rows, in order, with their labels: the same on the page, in its .xlsx and
# in its .docx. A rate is a share of what is behind it (None: nothing behind it).
YEAR_ROWS = (
    ("owed", N_("Duties owed")),
    ("due", N_("Due by now")),
    ("completed_on_time", N_("Completed on time")),
    ("completed_late", N_("Completed late")),
    ("awaiting_review", N_("Reported, awaiting review")),
    ("overdue", N_("Not completed, overdue")),
    ("extended", N_("Extended")),
    ("returned", N_("Returned")),
    ("on_time_rate", N_("On-time rate")),
    ("explanations", N_("Explanations asked")),
    ("explanations_answered", N_("Explanations answered")),
    ("contributions", N_("Contributions owed as a coordinating unit")),
    ("contributed_on_time", N_("Contributions sent on time")),
    ("contributed_late", N_("Contributions sent late")),
    ("contributions_overdue", N_("Contributions not completed, overdue")),
    ("targets_assessed", N_("Target figures assessed")),
    ("targets_reached", N_("Target figures reached")),
    ("targets_rate", N_("Targets reached")),
)
RATES = frozenset({"on_time_rate", "targets_rate"})


@dataclass(frozen=True)
class Return:
    """A report sent back, and why."""

    ref: str
    title: str
    period: str
    due_at: datetime
    at: datetime
    reason: str


@dataclass(frozen=True)
class HeadYear:
    """One head's part of the unit's year: the tasks that fell due during their term."""

    term: Term | None  # None: the tasks due while the unit had no head
    figures: YearFigures
    returns: list[Return]


@dataclass
class UnitYear:
    unit: Unit
    year: int
    figures: YearFigures
    heads: list[HeadYear]
    returns: list[Return]
    rules: dict[Grade, GradeRule]
    proposed: Grade | None
    confirmed: UnitGrade | None = None
    confirmed_by: User | None = None
    target_lines: list[TargetLine] = field(default_factory=list)


def unit_year(
    session: Session,
    organisation: Organisation,
    unit: Unit,
    year: int,
    clock: Clock,
    *,
    viewer: User | None = None,
) -> UnitYear:
    """``unit``'s ``year`` as of ``clock``'s now; ``viewer`` must be a leader, reviewer or admin,
    or the unit's head (the command line passes none)."""
    if viewer is not None and (
        viewer.organisation_id != organisation.id or not may_see_unit_year(viewer, unit.id)
    ):
        raise NotAllowed()
    now = clock.now()
    start = clock.instant(datetime(year, 1, 1).date(), time())
    end = clock.instant(datetime(year + 1, 1, 1).date(), time())
    terms = terms_between(session, [unit.id], start, end)
    by_term = _figures(session, organisation, year, now, unit=unit, by="term")
    whole = _figures(session, organisation, year, now, unit=unit).get(None, YearFigures())
    returns = _returns(session, organisation, unit, year)
    lines = _target_lines(session, organisation, year, clock, unit)
    whole = _with_targets(whole, *_target_counts(line.status for line in lines))
    heads = []
    for term in terms:
        own = [line for line in lines if _covers(term, _quarter_end(line.quarter, clock))]
        figures = _with_targets(
            by_term.get(term.id, YearFigures()), *_target_counts(line.status for line in own)
        )
        heads.append(HeadYear(term, figures, [r for r in returns if _covers(term, r.due_at)]))
    if None in by_term:
        headless = [r for r in returns if not any(_covers(t, r.due_at) for t in terms)]
        heads.append(HeadYear(None, by_term[None], headless))
    rules = grading_rules(session, organisation.id)
    confirmed = session.get(UnitGrade, (unit.id, year))
    return UnitYear(
        unit=unit,
        year=year,
        figures=whole,
        heads=heads,
        returns=returns,
        rules=rules,
        proposed=propose(whole.standing, rules),
        confirmed=confirmed,
        confirmed_by=session.get(User, confirmed.confirmed_by) if confirmed else None,
        target_lines=lines,
    )


def grading_rules(session: Session, organisation_id: int) -> dict[Grade, GradeRule]:
    """The rules ``organisation_id``'s office set, the defaults where it set none."""
    stored = session.get(GradingRules, organisation_id)
    return rules_from(stored.rules if stored else None)


def _covers(term: Term, instant: datetime) -> bool:
    """``covers`` for a term in hand: from its start, up to but not including its end."""
    return term.started_at <= instant and (term.ended_at is None or instant < term.ended_at)


def _quarter_end(quarter: Quarter, clock: Clock) -> datetime:
    """The last instant of a quarter's last day, where the organisation is: when a quarter's
    target figure is due, so the head then answers for it."""
    return clock.instant(quarter.last_day, time(23, 59, 59))


def _figures(
    session: Session,
    organisation: Organisation,
    year: int,
    now: datetime,
    *,
    unit: Unit | None = None,
    by: str | None = None,
) -> dict[int | None, YearFigures]:
    """The task figures of a year, in one statement: of one ``unit`` or of every unit, grouped
    ``by`` the head term each task fell due in ("term"; None: no head then), by unit ("unit"),
    or not at all (under None)."""
    counts = [
        count_where(and_(Task.kind == kind.value, MEASURES[measure](now))).label(name)
        for name, kind, measure in TASK_FIGURES
    ]
    key = {"term": HeadTerm.id, "unit": Task.unit_id, None: null()}[by]
    query = (
        select(key, *counts)
        .select_from(Task)
        .join(Plan, Plan.id == Task.plan_id)
        .where(Plan.organisation_id == organisation.id, period_clause(year))
    )
    if unit is not None:
        query = query.where(Task.unit_id == unit.id)
    if by == "term":
        on_term = and_(
            HeadTerm.unit_id == Task.unit_id,
            covers(HeadTerm.started_at, HeadTerm.ended_at, Task.due_at),
        )
        query = query.outerjoin(HeadTerm, on_term)
    if by is not None:
        query = query.group_by(key)
    names = [name for name, _kind, _measure in TASK_FIGURES]
    return {
        group: YearFigures(**{name: int(v) for name, v in zip(names, values, strict=True)})
        for group, *values in session.exec(query)
    }


def _returns(session: Session, organisation: Organisation, unit: Unit, year: int) -> list[Return]:
    """Every report of ``unit``'s year sent back, with its reason, oldest first."""
    rows = session.exec(
        select(
            Responsibility.ref,
            Responsibility.title,
            Task.period,
            Task.due_at,
            TaskEventRecord.at,
            TaskEventRecord.comment,
        )
        .join(Task, Task.id == TaskEventRecord.task_id)
        .join(Plan, Plan.id == Task.plan_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .where(
            Plan.organisation_id == organisation.id,
            Task.unit_id == unit.id,
            period_clause(year),
            TaskEventRecord.event == TaskEvent.RETURN.value,
        )
        .order_by(TaskEventRecord.at, TaskEventRecord.id)
    ).all()
    return [Return(*row) for row in rows]


@dataclass(frozen=True)
class TargetLine:
    """A unit's standing on a target it reports, in one quarter."""

    unit_id: int
    ref: str
    title: str
    quarter: Quarter
    status: TargetStatus


def _target_lines(
    session: Session, organisation: Organisation, year: int, clock: Clock, unit: Unit | None
) -> list[TargetLine]:
    """Each unit's (or ``unit``'s) standing on each target it reports, in each quarter of
    ``year`` begun by now; three statements per plan."""
    today = clock.today()
    quarters = [q for q in (Quarter(year, n) for n in range(1, 5)) if q.first_day <= today]
    plans = session.exec(
        select(Plan)
        .where(
            Plan.organisation_id == organisation.id,
            Plan.period_start <= Quarter(year, 4).last_day,
            Plan.period_end >= Quarter(year, 1).first_day,
        )
        .order_by(Plan.code)
    ).all()
    lines = []
    for plan in plans:
        shown = [
            q
            for q in quarters
            if plan.period_start <= q.last_day and q.first_day <= plan.period_end
        ]
        unit_id = unit.id if unit is not None else None
        for progress in targets_progress(session, plan, shown, today, unit_id=unit_id):
            target = progress.target
            lines += [
                TargetLine(
                    line.unit_id, target.ref, target.title, q.quarter, line.assessment.status
                )
                for q in progress.quarters
                for line in q.units
            ]
    return lines


def _target_counts(statuses) -> tuple[int, int]:
    """(assessed, reached) of target statuses: a quarter still running with nothing reported
    has no verdict yet."""
    statuses = [s for s in statuses if s is not TargetStatus.NOT_YET]
    return len(statuses), sum(s is TargetStatus.ON_TRACK for s in statuses)


def _with_targets(figures: YearFigures, assessed: int, reached: int) -> YearFigures:
    values = {f.name: getattr(figures, f.name) for f in fields(YearFigures)}
    return YearFigures(**(values | {"targets_assessed": assessed, "targets_reached": reached}))


@dataclass(frozen=True)
class UnitYearLine:
    """A unit's line of the year's overview: its figures and grades."""

    unit: Unit
    figures: YearFigures
    proposed: Grade | None
    confirmed: Grade | None


def year_overview(
    session: Session, organisation: Organisation, year: int, clock: Clock, *, viewer: User | None
) -> list[UnitYearLine]:
    """Every unit that owed something in ``year``, by name, with the grade its figures propose
    and the one confirmed: the task figures in one statement, the targets in three per plan,
    the units and the grades in one each."""
    require_viewer(viewer, Access.UNIT_YEAR, organisation.id)
    figures = _figures(session, organisation, year, clock.now(), by="unit")
    targets: dict[int, list[TargetStatus]] = {}
    for line in _target_lines(session, organisation, year, clock, None):
        targets.setdefault(line.unit_id, []).append(line.status)
    rules = grading_rules(session, organisation.id)
    confirmed = dict(
        session.exec(
            select(UnitGrade.unit_id, UnitGrade.grade)
            .join(Unit, Unit.id == UnitGrade.unit_id)
            .where(Unit.organisation_id == organisation.id, UnitGrade.year == year)
        ).all()
    )
    units = session.exec(select(Unit).where(Unit.id.in_(list(figures | targets)))).all()
    lines = []
    for unit in units:
        whole = _with_targets(
            figures.get(unit.id, YearFigures()), *_target_counts(targets.get(unit.id, []))
        )
        grade = confirmed.get(unit.id)
        lines.append(
            UnitYearLine(
                unit, whole, propose(whole.standing, rules), Grade(grade) if grade else None
            )
        )
    return sorted(lines, key=lambda line: text_key(line.unit.display_name))
