"""Where each target of a plan stands, quarter by quarter and unit by unit: what the targets
page, its API, the quarterly report and the year's accountability read.

A unit's figure for a target in a quarter is its latest one (``TargetFigure`` with the highest
id), whether it came with a task's report or was entered on the target's page. The units that
report a target are those owing a task of a responsibility the target is ``reported_in``, and
any other unit that reported a figure for it. Three statements for a whole plan, whatever its
size (four with the explanations asked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from workflow.organisations.models import Unit
from workflow.periods import Quarter, quarters_between
from workflow.plans.models import Plan, Target, TargetResponsibility
from workflow.targets.status import Assessment, Goal, UnitFigure, assess, combined
from workflow.tasks.models import Report, TargetFigure, Task
from workflow.tasks.states import TaskKind, TaskState


@dataclass(frozen=True)
class UnitProgress:
    """One unit's standing on a target in a quarter; ``figure`` is ``None`` until it reports."""

    unit_id: int
    unit_code: str
    unit_name: str
    figure: TargetFigure | None
    approved: bool  # the figure came with a report that was approved
    assessment: Assessment


@dataclass(frozen=True)
class QuarterProgress:
    quarter: Quarter
    value: Decimal | None  # the ward's figure (``status.combined``)
    assessment: Assessment
    units: list[UnitProgress]

    @property
    def reported(self) -> int:
        return sum(1 for u in self.units if u.figure is not None)


@dataclass
class TargetProgress:
    target: Target
    goal: Goal
    quarters: list[QuarterProgress] = field(default_factory=list)
    explanations: list[Task] = field(default_factory=list)

    def at(self, quarter: Quarter) -> QuarterProgress | None:
        return next((q for q in self.quarters if q.quarter == quarter), None)

    @property
    def latest(self) -> QuarterProgress | None:
        """The last quarter shown: the one the figures are as of."""
        return self.quarters[-1] if self.quarters else None


def plan_quarters(plan: Plan) -> list[Quarter]:
    return quarters_between(plan.period_start, plan.period_end)


def goal_of(target: Target) -> Goal:
    return Goal(
        figure=Decimal(target.figure),
        comparator=target.comparator,
        unit=target.unit_of_measure,
        baseline=None if target.baseline is None else Decimal(target.baseline),
        milestones={q: Decimal(str(v)) for q, v in (target.milestones or {}).items()},
        at_risk_within=None if target.at_risk_within is None else Decimal(target.at_risk_within),
    )


def shown_quarters(plan: Plan, today: date, year: int | None = None) -> list[Quarter]:
    """The plan's quarters that have begun by ``today`` (at least its first), of ``year`` when
    one is given."""
    quarters = plan_quarters(plan)
    begun = [q for q in quarters if q.first_day <= today] or quarters[:1]
    return [q for q in begun if year is None or q.year == year]


def targets_progress(
    session: Session,
    plan: Plan,
    quarters: Sequence[Quarter],
    today: date,
    *,
    target_id: int | None = None,
    unit_id: int | None = None,
    with_explanations: bool = False,
) -> list[TargetProgress]:
    """Each target of ``plan`` with a figure (or only ``target_id``), in ``quarters``; the units'
    lines of ``unit_id`` only when one is given (the ward's figure always counts every unit);
    the explanations asked about each when ``with_explanations``."""
    query = select(Target).where(
        Target.plan_id == plan.id,
        Target.retired == False,  # noqa: E712
        Target.figure.is_not(None),
    )
    if target_id is not None:
        query = query.where(Target.id == target_id)
    targets = session.exec(query.order_by(Target.position)).all()
    if not targets or not quarters:
        return [TargetProgress(t, goal_of(t)) for t in targets]
    ids = [t.id for t in targets]
    periods = [str(q) for q in quarters]
    figures = _latest_figures(session, ids, periods)
    units = _reporting_units(session, plan, ids, figures)
    explanations = _explanations(session, ids, unit_id) if with_explanations else {}
    all_quarters = plan_quarters(plan)
    result = []
    for target in targets:
        progress = TargetProgress(
            target, goal_of(target), explanations=explanations.get(target.id, [])
        )
        for quarter in quarters:
            lines = []
            for unit in units.get(target.id, []):
                figure, approved = figures.get((target.id, unit.id, str(quarter)), (None, False))
                value = None if figure is None else Decimal(figure.value)
                lines.append(
                    UnitProgress(
                        unit.id,
                        unit.code,
                        unit.display_name,
                        figure,
                        approved,
                        assess(progress.goal, value, quarter, all_quarters, today),
                    )
                )
            ward = combined(
                progress.goal,
                [
                    UnitFigure(Decimal(u.figure.value), u.figure.count, u.figure.total)
                    for u in lines
                    if u.figure is not None
                ],
            )
            shown = [u for u in lines if unit_id is None or u.unit_id == unit_id]
            progress.quarters.append(
                QuarterProgress(
                    quarter, ward, assess(progress.goal, ward, quarter, all_quarters, today), shown
                )
            )
        result.append(progress)
    return result


def _latest_figures(
    session: Session, target_ids: list[int], periods: list[str]
) -> dict[tuple[int, int, str], tuple[TargetFigure, bool]]:
    latest = (
        select(func.max(TargetFigure.id))
        .where(TargetFigure.target_id.in_(target_ids), TargetFigure.period.in_(periods))
        .group_by(TargetFigure.target_id, TargetFigure.unit_id, TargetFigure.period)
    )
    rows = session.exec(
        select(TargetFigure, Task.state)
        .outerjoin(Report, Report.id == TargetFigure.report_id)
        .outerjoin(Task, Task.id == Report.task_id)
        .where(TargetFigure.id.in_(latest))
    ).all()
    return {
        (f.target_id, f.unit_id, f.period): (f, state == TaskState.REVIEWED.value)
        for f, state in rows
    }


def _reporting_units(
    session: Session, plan: Plan, target_ids: list[int], figures: dict
) -> dict[int, list[Unit]]:
    pairs = (
        select(TargetResponsibility.target_id, Task.unit_id)
        .join(Task, Task.responsibility_id == TargetResponsibility.responsibility_id)
        .where(
            TargetResponsibility.target_id.in_(target_ids),
            Task.plan_id == plan.id,
            Task.kind == TaskKind.DUTY.value,
        )
        .distinct()
        .subquery()
    )
    owing = session.exec(
        select(pairs.c.target_id, Unit).join(Unit, Unit.id == pairs.c.unit_id)
    ).all()
    units = {unit.id: unit for _, unit in owing}
    pairs = {(target_id, unit.id) for target_id, unit in owing}
    pairs |= {(target_id, unit_id) for target_id, unit_id, _ in figures}
    # a unit that gave a figure without owing a task of the target: rare, fetched apart
    others = {unit_id for _, unit_id in pairs} - set(units)
    if others:
        units |= {u.id: u for u in session.exec(select(Unit).where(Unit.id.in_(others)))}
    by_target: dict[int, list[Unit]] = {}
    for target_id, unit_id in pairs:
        by_target.setdefault(target_id, []).append(units[unit_id])
    for lines in by_target.values():
        lines.sort(key=lambda u: u.code)
    return by_target


def _explanations(
    session: Session, target_ids: list[int], unit_id: int | None
) -> dict[int, list[Task]]:
    query = select(Task).where(
        Task.kind == TaskKind.EXPLANATION.value, Task.target_id.in_(target_ids)
    )
    if unit_id is not None:
        query = query.where(Task.unit_id == unit_id)
    by_target: dict[int, list[Task]] = {}
    for task in session.exec(query.order_by(Task.created_at, Task.id)):
        by_target.setdefault(task.target_id, []).append(task)
    return by_target
