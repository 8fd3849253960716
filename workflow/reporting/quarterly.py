"""What the quarterly report says, read from the database in a fixed number of statements.

Ban Xây dựng Đảng compiles the units' reports each quarter for Thường trực Đảng ủy. Everything
here is a fact of the database (who reported what, when, what was approved or returned and why,
what is overdue at ``now``), summed up the way a clerk would: by section of the plan, by unit,
with the four statuses of government task tracking; the assessment prose is left to the office.
Eight statements in all, however many units, tasks and events there are.
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
from workflow.plans.models import Plan, Responsibility, Section
from workflow.targets.progress import targets_progress
from workflow.targets.status import TargetStatus
from workflow.tasks.deadlines import (
    DeadlineStatus,
    days_left,
    deadline_status,
    is_on_time,
    overdue_clause,
)
from workflow.tasks.kinds import led_clause
from workflow.tasks.models import DeadlineExtension, Report, Task, TaskEventRecord
from workflow.tasks.queries import PLAN_ORDER
from workflow.tasks.states import ExtensionStatus, TaskEvent, TaskState

# The statuses and states as an official Vietnamese document writes them, whatever the reader's
# language (the document is always Vietnamese).
VI_STATUS_LABELS = {
    DeadlineStatus.COMPLETED_ON_TIME: "Đã hoàn thành đúng hạn",
    DeadlineStatus.COMPLETED_LATE: "Đã hoàn thành quá hạn",
    DeadlineStatus.AWAITING_REVIEW: "Đã báo cáo, chờ duyệt",
    DeadlineStatus.OPEN_WITHIN_DEADLINE: "Chưa hoàn thành, trong hạn",
    DeadlineStatus.OPEN_OVERDUE: "Chưa hoàn thành, quá hạn",
}
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
    return_reason: str  # why it was last returned, "" when it never was
    report_text: str  # the latest report, "" when there is none
    status: DeadlineStatus  # at the report's ``now``
    days_late: int  # days past the due day when first reported, or now while overdue; else 0
    extended_from: datetime | None = None  # the due time before an extension was granted

    @property
    def on_time(self) -> bool | None:
        """Whether it was first reported by its due time; None while it is not reported."""
        return is_on_time(self.first_reported_at, self.due_at)

    @property
    def returned(self) -> bool:
        """Whether its report was returned at least once: what "returned" counts everywhere."""
        return self.times_returned > 0

    @property
    def overdue(self) -> bool:
        return self.status is DeadlineStatus.OPEN_OVERDUE

    @property
    def state_label(self) -> str:
        return VI_STATE_LABELS[self.state]

    @property
    def status_label(self) -> str:
        return VI_STATUS_LABELS[self.status]

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
    value: Decimal | None  # the ward's (``workflow.targets.status.combined``)
    expected: Decimal  # by the end of the quarter
    status: TargetStatus

    def meets(self, value: Decimal) -> bool:
        return meets(self.comparator, value, self.figure)

    @property
    def reached(self) -> int:
        return sum(1 for figure in self.figures if self.meets(figure.value))


@dataclass(frozen=True)
class Counts:
    """Tasks by status, and how many were returned at least once."""

    total: int
    by_status: dict[DeadlineStatus, int]
    returned: int

    @classmethod
    def of(cls, lines: list[TaskLine]) -> Counts:
        by_status = dict.fromkeys(DeadlineStatus, 0)
        for line in lines:
            by_status[line.status] += 1
        return cls(len(lines), by_status, sum(1 for line in lines if line.returned))

    def __getitem__(self, status: DeadlineStatus) -> int:
        return self.by_status[status]


@dataclass(frozen=True)
class SectionSummary:
    """A part of the plan (a section below the top level, or a top-level section without
    any) and where its tasks stand."""

    ref: str
    title: str
    responsibilities: int
    counts: Counts


@dataclass(frozen=True)
class UnitSummary:
    """A unit, its head, where its tasks stand, and short excerpts of its own reports."""

    unit_name: str
    heads: tuple[str, ...]
    counts: Counts
    excerpts: tuple[tuple[str, str], ...]  # (ref, excerpt)


@dataclass(frozen=True)
class UnitShortcomings:
    """A unit's tasks that are overdue, were reported late or were returned, in plan order."""

    unit_name: str
    heads: tuple[str, ...]
    lines: tuple[TaskLine, ...]


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
    issuing_heads: tuple[str, ...]  # its heads' names
    section_titles: dict[str, str]  # in plan order
    lines: list[TaskLine]  # the quarter's tasks, in plan order
    overdue_before: list[TaskLine]  # tasks of earlier quarters still overdue
    targets: list[TargetResult]
    next_phases: list[Phase]

    @property
    def next_quarter(self) -> Quarter:
        return self.quarter.next()

    @property
    def counts(self) -> Counts:
        return Counts.of(self.lines)

    @property
    def units(self) -> int:
        return len({line.unit_code for line in self.lines})

    def sections(self) -> list[SectionSummary]:
        """The plan's parts in plan order, each with the state of its tasks: the second level
        of the plan's numbering (``VI.2``), where the plan has one, else the first."""
        groups: dict[str, list[TaskLine]] = {}
        for line in self.lines:
            groups.setdefault(".".join(line.section_ref.split(".")[:2]), []).append(line)
        order = {ref: index for index, ref in enumerate(self.section_titles)}
        return [
            SectionSummary(
                ref=ref,
                title=self.section_titles.get(ref, ""),
                responsibilities=len({line.ref for line in lines}),
                counts=Counts.of(lines),
            )
            for ref, lines in sorted(groups.items(), key=lambda g: order.get(g[0], len(order)))
        ]

    def unit_summaries(self, excerpts: int = 2, length: int = 220) -> list[UnitSummary]:
        """Each unit in the order of its first task, with up to ``excerpts`` excerpts of its
        approved (else waiting) reports, no text twice, each cut at a word near ``length``
        characters."""
        units: dict[str, list[TaskLine]] = {}
        for line in self.lines:
            units.setdefault(line.unit_code, []).append(line)
        summaries = []
        for lines in units.values():
            reported = sorted(
                (line for line in lines if line.report_text.strip()),
                key=lambda line: line.state != TaskState.REVIEWED.value,
            )
            said: dict[str, str] = {}
            for line in reported:
                said.setdefault(line.report_text.strip(), line.ref)
            chosen = tuple((ref, excerpt(text, length)) for text, ref in said.items())
            first = lines[0]
            summaries.append(
                UnitSummary(first.unit_name, first.heads, Counts.of(lines), chosen[:excerpts])
            )
        return summaries

    def shortcomings(self) -> list[UnitShortcomings]:
        """Units with overdue, returned or late work (this quarter's and earlier overdue), in
        the order of their first task."""
        units: dict[str, list[TaskLine]] = {}
        for line in [*self.overdue_before, *self.lines]:
            if line.overdue or line.returned or line.on_time is False:
                units.setdefault(line.unit_code, []).append(line)
        return [
            UnitShortcomings(lines[0].unit_name, lines[0].heads, tuple(lines))
            for lines in units.values()
        ]


def excerpt(text: str, length: int) -> str:
    """``text`` on one line, cut at a word before ``length`` characters, with "[...]" where
    it was cut (not "…", which the document keeps for what the office fills in)."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0].rstrip(",;:.")
    return f"{cut} [...]"


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
    rows = session.exec(_lines_query(plan, quarter, now)).all()
    lines = [_line(row, heads, now, clock.zone) for row in rows]
    issuing_unit = session.exec(
        select(Unit)
        .where(Unit.organisation_id == organisation.id, Unit.kind == "party_board")
        .order_by(Unit.id)
    ).first()
    return QuarterlyReport(
        organisation=organisation,
        plan=plan,
        quarter=quarter,
        now=now,
        zone=clock.zone,
        issuing_unit=issuing_unit,
        issuing_heads=tuple(heads.get(issuing_unit.id, ())) if issuing_unit else (),
        section_titles=dict(
            session.exec(
                select(Section.ref, Section.title)
                .where(Section.plan_id == plan.id)
                .order_by(Section.position)
            ).all()
        ),
        lines=[line for line in lines if line.period == str(quarter)],
        overdue_before=[line for line in lines if line.period != str(quarter)],
        targets=_targets(session, plan, quarter, clock.today()),
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
    last_decision = (
        select(func.max(event.id))
        .where(event.task_id == Task.id, event.event.in_(decisions))
        .correlate(Task)
        .scalar_subquery()
    )
    last_reason = (
        select(event.comment)
        .where(event.task_id == Task.id, event.event == TaskEvent.RETURN.value)
        .order_by(event.id.desc())
        .limit(1)
        .correlate(Task)
        .scalar_subquery()
    )
    extended_from = (
        select(func.min(DeadlineExtension.due_when_asked))
        .where(
            DeadlineExtension.task_id == Task.id,
            DeadlineExtension.status == ExtensionStatus.GRANTED.value,
        )
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
            last_reason.label("return_reason"),
            TaskEventRecord.at,
            User.full_name,
            User.username,
            extended_from.label("extended_from"),
        )
        .join(Plan, Plan.id == Task.plan_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
        .outerjoin(TaskEventRecord, TaskEventRecord.id == last_decision)
        .outerjoin(User, User.id == TaskEventRecord.actor_id)
        .where(
            Task.plan_id == plan.id,
            led_clause(),
            or_(Task.period == str(quarter), overdue_earlier),
        )
        .order_by(*PLAN_ORDER)
    )


def _line(row, heads: dict[int, list[str]], now: datetime, zone: ZoneInfo) -> TaskLine:
    (
        task,
        ref,
        title,
        section,
        code,
        short_name,
        name,
        text,
        reason,
        at,
        full,
        user,
        extended_from,
    ) = row
    status = deadline_status(task.state, task.due_at, task.first_reported_at, now)
    late_at = task.first_reported_at or (now if status is DeadlineStatus.OPEN_OVERDUE else None)
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
        times_returned=task.times_returned,
        return_reason=reason or "",
        report_text=text or "",
        status=status,
        days_late=max(-days_left(task.due_at, late_at, zone), 0) if late_at else 0,
        extended_from=extended_from,
    )


def _targets(session: Session, plan: Plan, quarter: Quarter, today) -> list[TargetResult]:
    """Each target with a figure, the units' latest figures of the quarter and where the
    target stands (``workflow.targets.progress``)."""
    results = []
    for progress in targets_progress(session, plan, [quarter], today):
        standing = progress.at(quarter)
        target = progress.target
        results.append(
            TargetResult(
                ref=target.ref,
                title=target.title,
                figure=Decimal(target.figure),
                unit_of_measure=target.unit_of_measure,
                comparator=target.comparator,
                figures=tuple(
                    ReportedFigure(u.unit_name, Decimal(u.figure.value), u.approved)
                    for u in standing.units
                    if u.figure is not None
                ),
                value=standing.value,
                expected=standing.assessment.expected,
                status=standing.assessment.status,
            )
        )
    return results


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
