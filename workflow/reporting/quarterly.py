"""What the quarterly report says, read from the database in a fixed number of statements.

Ban Xây dựng Đảng compiles the units' reports each quarter for Thường trực Đảng ủy. Everything
here is a fact of the database (who reported what, when, what was approved or returned, what is
overdue at ``now``); the assessment prose is left to the office. Eight statements in all, however
many units, tasks and events there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotFound
from workflow.i18n import N_
from workflow.organisations.models import Organisation, Unit
from workflow.organisations.queries import unit_heads
from workflow.periods import Quarter
from workflow.permissions import Access, require_viewer
from workflow.plans.goals import meets
from workflow.plans.models import Plan, Responsibility, Section, Target
from workflow.tasks.deadlines import is_on_time, is_overdue, overdue_clause
from workflow.tasks.models import Report, TargetFigure, Task, TaskEventRecord
from workflow.tasks.queries import PLAN_ORDER, latest_report_id
from workflow.tasks.states import TaskEvent, TaskState

# The states as an official Vietnamese document writes them, whatever the reader's language.
VI_STATE_LABELS = {
    TaskState.ASSIGNED.value: "Đã giao",
    TaskState.IN_PROGRESS.value: "Đang thực hiện",
    TaskState.REPORTED.value: "Đã báo cáo",
    TaskState.RETURNED.value: "Trả lại, yêu cầu bổ sung",
    TaskState.REVIEWED.value: "Đã duyệt",
}


@dataclass(frozen=True)
class TaskLine:
    """One task as the report and the spreadsheets show it."""

    id: int
    ref: str
    title: str
    section_ref: str
    unit_code: str
    unit_name: str
    heads: tuple[str, ...]
    period: str
    occurrence_label: str
    state: str
    due_at: datetime
    first_reported_at: datetime | None
    decided_at: datetime | None  # the reviewer's last approval or return
    reviewer: str | None  # who made that decision
    times_returned: int
    report_text: str  # the latest report, "" when there is none
    overdue: bool  # at the report's ``now``

    @property
    def on_time(self) -> bool | None:
        """Whether it was first reported by its due time; None while it is not reported."""
        return is_on_time(self.first_reported_at, self.due_at)

    @property
    def returned(self) -> bool:
        """Whether its report was returned at least once: what "returned" counts everywhere."""
        return self.times_returned > 0

    @property
    def state_label(self) -> str:
        return VI_STATE_LABELS[self.state]

    @property
    def head_names(self) -> str:
        return ", ".join(self.heads)


@dataclass(frozen=True)
class ReportedFigure:
    unit_name: str
    value: Decimal
    approved: bool


@dataclass(frozen=True)
class TargetResult:
    """A target (chỉ tiêu) and the figures the quarter's latest reports give for it."""

    ref: str
    title: str
    figure: Decimal
    unit_of_measure: str
    comparator: str | None
    figures: tuple[ReportedFigure, ...]

    def meets(self, value: Decimal) -> bool:
        return meets(self.comparator, value, self.figure)

    @property
    def reached(self) -> int:
        return sum(1 for figure in self.figures if self.meets(figure.value))


@dataclass(frozen=True)
class Totals:
    expected: int
    reported: int
    on_time: int
    approved: int
    returned: int  # tasks returned at least once
    overdue: int


@dataclass(frozen=True)
class UnitShortcomings:
    """What one unit owes: overdue tasks, returned reports and late reports."""

    unit_name: str
    heads: tuple[str, ...]
    overdue: tuple[TaskLine, ...]
    returned: tuple[TaskLine, ...]
    late: tuple[TaskLine, ...]


@dataclass(frozen=True)
class Phase:
    """The plan's orientation for a quarter (section IV)."""

    ref: str
    title: str
    goal: str
    content: str
    forms: str
    result: str


@dataclass
class QuarterlyReport:
    organisation: Organisation
    plan: Plan
    quarter: Quarter
    now: datetime
    zone: ZoneInfo  # where its dates are written
    issuing_unit: Unit | None  # the reviewing board that issues the report (party plans)
    section_titles: dict[str, str]
    lines: list[TaskLine]  # the quarter's tasks, in plan order
    overdue_before: list[TaskLine]  # tasks of earlier quarters still overdue
    targets: list[TargetResult]
    next_phases: list[Phase]

    @property
    def next_quarter(self) -> Quarter:
        return self.quarter.next()

    @property
    def totals(self) -> Totals:
        lines = self.lines
        return Totals(
            expected=len(lines),
            reported=sum(1 for line in lines if line.first_reported_at is not None),
            on_time=sum(1 for line in lines if line.on_time),
            approved=sum(1 for line in lines if line.state == TaskState.REVIEWED.value),
            returned=sum(1 for line in lines if line.returned),
            overdue=sum(1 for line in lines if line.overdue),
        )

    def by_section(self) -> list[tuple[str, str, list[tuple[str, str, list[TaskLine]]]]]:
        """(section ref, title, [(responsibility ref, title, its tasks)]) in plan order."""
        sections: dict[str, dict[str, tuple[str, list[TaskLine]]]] = {}
        for line in self.lines:
            duties = sections.setdefault(line.section_ref, {})
            duties.setdefault(line.ref, (line.title, []))[1].append(line)
        return [
            (
                ref,
                self.section_titles.get(ref, ""),
                [(duty, title, lines) for duty, (title, lines) in duties.items()],
            )
            for ref, duties in sections.items()
        ]

    def shortcomings(self) -> list[UnitShortcomings]:
        """Units with overdue, returned or late work (this quarter's and earlier overdue), in
        the order of their first task."""
        units: dict[str, list[TaskLine]] = {}
        for line in [*self.overdue_before, *self.lines]:
            units.setdefault(line.unit_code, []).append(line)
        result = []
        for lines in units.values():
            overdue = tuple(line for line in lines if line.overdue)
            returned = tuple(line for line in lines if line.returned)
            late = tuple(line for line in lines if line.on_time is False)
            if overdue or returned or late:
                first = lines[0]
                result.append(
                    UnitShortcomings(first.unit_name, first.heads, overdue, returned, late)
                )
        return result


def quarterly_report(
    session: Session,
    organisation: Organisation,
    quarter: Quarter,
    clock: Clock,
    *,
    viewer: User | None = None,
    plan_code: str | None = None,
) -> QuarterlyReport:
    """The content of the quarterly report of one plan (the only one covering ``quarter`` when
    no ``plan_code`` is given), as it stands at ``now``.

    Raises ``NotAllowed`` for a ``viewer`` who is not a leader, reviewer or admin of
    ``organisation`` (the command line passes none).
    """
    now = clock.now()
    require_viewer(viewer, Access.REPORTS, organisation.id)
    plan = _plan(session, organisation, quarter, plan_code)
    heads = unit_heads(session, organisation)
    lines = [_line(row, heads, now) for row in session.exec(_lines_query(plan, quarter, now)).all()]
    return QuarterlyReport(
        organisation=organisation,
        plan=plan,
        quarter=quarter,
        now=now,
        zone=clock.zone,
        issuing_unit=session.exec(
            select(Unit)
            .where(Unit.organisation_id == organisation.id, Unit.kind == "party_board")
            .order_by(Unit.id)
        ).first(),
        section_titles=dict(
            session.exec(select(Section.ref, Section.title).where(Section.plan_id == plan.id)).all()
        ),
        lines=[line for line in lines if line.period == str(quarter)],
        overdue_before=[line for line in lines if line.period != str(quarter)],
        targets=_targets(session, plan, quarter),
        next_phases=_phases(session, plan, quarter.next()),
    )


def _plan(session: Session, organisation: Organisation, quarter: Quarter, code: str | None) -> Plan:
    plans = [
        plan
        for plan in session.exec(
            select(Plan).where(Plan.organisation_id == organisation.id).order_by(Plan.code)
        )
        if (code is None or plan.code == code)
        and plan.period_start <= quarter.last_day
        and plan.period_end >= quarter.first_day
    ]
    if not plans:
        raise NotFound(N_("No plan covers %(quarter)s."), quarter=str(quarter))
    if len(plans) > 1:
        raise InvalidInput(N_("Several plans cover %(quarter)s: name one."), quarter=str(quarter))
    return plans[0]


def _lines_query(plan: Plan, quarter: Quarter, now: datetime):
    """The quarter's tasks and the earlier ones still overdue, each with its latest report,
    the number of returns and the last decision with whoever made it."""
    event = aliased(TaskEventRecord)
    decisions = (TaskEvent.APPROVE.value, TaskEvent.RETURN.value)
    latest_text = (
        select(Report.text)
        .where(Report.task_id == Task.id)
        .order_by(Report.submitted_at.desc(), Report.id.desc())
        .limit(1)
        .correlate(Task)
        .scalar_subquery()
    )
    returns = (
        select(func.count(event.id))
        .where(event.task_id == Task.id, event.event == TaskEvent.RETURN.value)
        .correlate(Task)
        .scalar_subquery()
    )
    last_decision = (
        select(func.max(event.id))
        .where(event.task_id == Task.id, event.event.in_(decisions))
        .correlate(Task)
        .scalar_subquery()
    )
    overdue_earlier = and_(Task.period < str(quarter), overdue_clause(now))
    return (
        select(
            Task,
            Responsibility.ref,
            Responsibility.title,
            Responsibility.section_ref,
            Unit.code,
            Unit.short_name,
            Unit.name,
            latest_text.label("report_text"),
            returns.label("times_returned"),
            TaskEventRecord.at,
            User.full_name,
            User.username,
        )
        .join(Plan, Plan.id == Task.plan_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
        .outerjoin(TaskEventRecord, TaskEventRecord.id == last_decision)
        .outerjoin(User, User.id == TaskEventRecord.actor_id)
        .where(Task.plan_id == plan.id, or_(Task.period == str(quarter), overdue_earlier))
        .order_by(*PLAN_ORDER)
    )


def _line(row, heads: dict[int, list[str]], now: datetime) -> TaskLine:
    task, ref, title, section, code, short_name, name, text, returns, at, full, user = row
    return TaskLine(
        id=task.id,
        ref=ref,
        title=title,
        section_ref=section,
        unit_code=code,
        unit_name=short_name or name,
        heads=tuple(heads.get(task.unit_id, ())),
        period=task.period,
        occurrence_label=task.occurrence_label,
        state=task.state,
        due_at=task.due_at,
        first_reported_at=task.first_reported_at,
        decided_at=at,
        reviewer=(full or user) if at is not None else None,
        times_returned=int(returns or 0),
        report_text=text or "",
        overdue=is_overdue(task.state, task.due_at, now),
    )


def _targets(session: Session, plan: Plan, quarter: Quarter) -> list[TargetResult]:
    """Each target with a figure, and the figures of the quarter's latest reports (two
    statements)."""
    targets = session.exec(
        select(Target)
        .where(
            Target.plan_id == plan.id,
            Target.retired == False,  # noqa: E712
            Target.figure.is_not(None),
        )
        .order_by(Target.position)
    ).all()
    latest = latest_report_id()
    figures: dict[int, list[ReportedFigure]] = {}
    for target_id, value, short_name, name, state in session.exec(
        select(TargetFigure.target_id, TargetFigure.value, Unit.short_name, Unit.name, Task.state)
        .join(Report, Report.id == TargetFigure.report_id)
        .join(Task, Task.id == Report.task_id)
        .join(Unit, Unit.id == Task.unit_id)
        .where(Task.plan_id == plan.id, Task.period == str(quarter), Report.id == latest)
        .order_by(Unit.code, Task.id)
    ):
        figures.setdefault(target_id, []).append(
            ReportedFigure(short_name or name, Decimal(value), state == TaskState.REVIEWED.value)
        )
    return [
        TargetResult(
            ref=target.ref,
            title=target.title,
            figure=Decimal(target.figure),
            unit_of_measure=target.unit_of_measure,
            comparator=target.comparator,
            figures=tuple(figures.get(target.id, ())),
        )
        for target in targets
    ]


def _phases(session: Session, plan: Plan, quarter: Quarter) -> list[Phase]:
    """The plan's orientations (section IV) for ``quarter``."""
    phases = session.exec(
        select(Responsibility)
        .where(
            Responsibility.plan_id == plan.id,
            Responsibility.kind == "phase",
            Responsibility.retired == False,  # noqa: E712
        )
        .order_by(Responsibility.position)
    ).all()
    return [
        Phase(
            ref=phase.ref,
            title=phase.title,
            goal=phase.details.get("goal", ""),
            content=phase.details.get("content", ""),
            forms=phase.details.get("forms", ""),
            result=phase.result,
        )
        for phase in phases
        if phase.details.get("quarter") == str(quarter)
    ]
