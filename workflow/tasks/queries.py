"""Reads: finding organisations, units and users, and listing tasks, each in one query."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import and_, func, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.collation import fold
from workflow.errors import NotFound
from workflow.i18n import N_
from workflow.organisations.models import Organisation, Unit
from workflow.periods import Quarter
from workflow.permissions import leads_clause, sees_at_a_glance, visible_tasks_clause
from workflow.plans.models import (
    Plan,
    Responsibility,
    ResponsibilityChange,
    ResponsibilityUnit,
    Target,
    TargetResponsibility,
)
from workflow.plans.schema import plan_setting
from workflow.tasks.contributions import (
    ContributionLine,
    contributions_to,
    lead_tasks_of,
    lead_units,
)
from workflow.tasks.deadlines import (
    DeadlineStatus,
    completed_clause,
    deadline_status,
    extended_clause,
    overdue_clause,
    status_clause,
)
from workflow.tasks.models import (
    Comment,
    DeadlineExtension,
    Report,
    ReportDraft,
    ReportFile,
    TargetFigure,
    Task,
    TaskEventRecord,
)
from workflow.tasks.states import ExtensionStatus, TaskKind, TaskState


def visible_task(session: Session, user: User, task_id: int) -> Task:
    """The task, if ``user`` may see it; ``NotFound`` otherwise, so ids reveal nothing. One
    plain query for the common case (``sees_at_a_glance``), the visibility clause otherwise."""
    row = session.exec(
        select(Task, Plan.organisation_id)
        .join(Plan, Plan.id == Task.plan_id)
        .where(Task.id == task_id)
    ).first()
    seen = row is not None and sees_at_a_glance(user, row[0].unit_id, row[1])
    if seen is None:
        seen = (
            session.exec(
                select(Task.id)
                .join(Plan, Plan.id == Task.plan_id)
                .where(Task.id == task_id, visible_tasks_clause(user))
            ).first()
            is not None
        )
    if not seen:
        raise NotFound(N_("There is no task %(id)s, or you may not see it."), id=task_id)
    return row[0]


@dataclass(frozen=True)
class TaskRow:
    """A task as lists show it."""

    id: int
    ref: str
    title: str
    unit_id: int
    unit_code: str
    unit_name: str
    period: str
    occurrence_label: str
    state: str
    due_at: datetime
    first_reported_at: datetime | None
    version: int
    deadline: DeadlineStatus
    kind: str = TaskKind.DUTY.value  # a duty, a contribution to one, an explanation
    assignee_id: int | None = None  # the member of the unit its head gave it to
    extended: bool = False  # its due date was extended (gia hạn): lists mark it

    @classmethod
    def of(
        cls, task: Task, ref: str, title: str, unit_code: str, unit_name: str, now: datetime
    ) -> TaskRow:
        """A row from a task and the names ``task_rows_select`` reads with it."""
        return cls(
            task.id,
            ref,
            title,
            task.unit_id,
            unit_code,
            unit_name,
            task.period,
            task.occurrence_label,
            task.state,
            task.due_at,
            task.first_reported_at,
            task.version,
            deadline_status(task.state, task.due_at, task.first_reported_at, now),
            task.kind,
            task.assignee_id,
        )

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "ref": self.ref,
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit_code,
            "unit_name": self.unit_name,
            "quarter": self.period,
            "occurrence": self.occurrence_label or None,
            "state": self.state,
            "due": self.due_at.isoformat(),
            "deadline_status": self.deadline.value,
            "extended": self.extended,
            "version": self.version,
        }


def words_clause(search: str):
    """SQL: the task's ref and title hold every word of ``search``, in any order, accents and
    case aside (both sides folded: ``Responsibility.search_text``)."""
    return and_(true(), *(Responsibility.search_text.contains(w) for w in fold(search).split()))


def task_rows_select():
    """Tasks with what a list shows of them (``task_rows``); join ``Plan`` included."""
    return (
        select(
            Task,
            Responsibility.ref,
            Responsibility.title,
            Unit.code,
            Unit.name,
            extended_clause().label("extended"),
        )
        .join(Plan, Plan.id == Task.plan_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
    )


def task_rows(session: Session, query, now: datetime) -> list[TaskRow]:
    """The rows of a ``task_rows_select`` query, as lists show them at ``now``."""
    return [
        replace(TaskRow.of(task, ref, title, unit_code, unit_name, now), extended=bool(extended))
        for task, ref, title, unit_code, unit_name, extended in session.exec(query)
    ]


def latest_report_id():
    """SQL: the id of the task's latest report, correlated on ``Task`` (None without one)."""
    earlier = aliased(Report)
    return (
        select(func.max(earlier.id))
        .where(earlier.task_id == Task.id)
        .correlate(Task)
        .scalar_subquery()
    )


# The order of a plan: quarter, plan, responsibility as numbered, phase, the lead's task before
# the contributions to it, unit.
PLAN_ORDER = (
    Task.period,
    Plan.code,
    Responsibility.position,
    Task.occurrence,
    Task.kind == TaskKind.CONTRIBUTION.value,
    Unit.code,
)


def list_tasks(
    session: Session,
    organisation: Organisation,
    now: datetime,
    *,
    offset: int = 0,
    limit: int | None = None,
    **filters,
) -> list[TaskRow]:
    """Tasks of ``organisation`` matching the filters (``matching``), in plan order; from
    ``offset``, at most ``limit`` of them (all when None)."""
    query = matching(organisation, now, **filters).order_by(*PLAN_ORDER).offset(offset)
    return task_rows(session, query if limit is None else query.limit(limit), now)


def count_tasks(session: Session, organisation: Organisation, now: datetime, **filters) -> int:
    """How many tasks ``list_tasks`` would list with the same filters and no limit."""
    found = matching(organisation, now, **filters).subquery()
    return session.exec(select(func.count()).select_from(found)).one()


def matching(
    organisation: Organisation,
    now: datetime,
    *,
    viewer: User | None = None,
    quarter: Quarter | None = None,
    unit: Unit | None = None,
    state: str | None = None,
    overdue: bool | None = None,
    status: DeadlineStatus | None = None,
    completed: bool | None = None,
    search: str = "",
):
    """SQL: the tasks of ``organisation`` matching the filters, as ``viewer`` may see them (all
    when there is no viewer: the command line). ``search`` finds tasks whose ref and title hold
    each of its words, whatever their accents ("bao cao" finds "Báo cáo")."""
    query = task_rows_select().where(Plan.organisation_id == organisation.id)
    if viewer is not None:
        query = query.where(visible_tasks_clause(viewer))
    if quarter is not None:
        query = query.where(Task.period == str(quarter))
    if unit is not None:
        query = query.where(Task.unit_id == unit.id)
    if state is not None:
        query = query.where(Task.state == state)
    if overdue is not None:
        query = query.where(overdue_clause(now) if overdue else ~overdue_clause(now))
    if status is not None:
        query = query.where(status_clause(status, now))
    if completed is not None:
        query = query.where(completed_clause() if completed else ~completed_clause())
    return query.where(words_clause(search))


def contributions_to_take_in(session: Session, user: User, now: datetime) -> list[TaskRow]:
    """The contributions sent to the duties ``user``'s unit leads and not yet taken in, oldest
    due first: what its head takes in (``workflow.tasks.contributions``)."""
    if user.unit_id is None:
        return []
    query = task_rows_select().where(
        visible_tasks_clause(user),
        Task.kind == TaskKind.CONTRIBUTION.value,
        Task.state == TaskState.REPORTED.value,
        leads_clause(user.unit_id),
    )
    return task_rows(session, query.order_by(Task.due_at, *PLAN_ORDER), now)


def task_quarters(session: Session, organisation: Organisation) -> list[Quarter]:
    """The quarters that have tasks in ``organisation``, in order: what a list may be narrowed
    to (never a quarter with nothing in it)."""
    periods = session.exec(
        select(Task.period)
        .join(Plan, Plan.id == Task.plan_id)
        .where(Plan.organisation_id == organisation.id)
        .distinct()
    )
    return sorted(Quarter.parse(period) for period in periods)


def task_history(session: Session, task: Task) -> list[tuple[TaskEventRecord, User | None]]:
    """A task's events, oldest first, each with whoever acted (None: the system)."""
    return list(
        session.exec(
            select(TaskEventRecord, User)
            .outerjoin(User, User.id == TaskEventRecord.actor_id)
            .where(TaskEventRecord.task_id == task.id)
            .order_by(TaskEventRecord.at, TaskEventRecord.id)
        )
    )


@dataclass(frozen=True)
class ExtensionRecord:
    """A request for an extension, with who asked and who decided (None: not yet)."""

    request: DeadlineExtension
    asked_by: User
    decided_by: User | None


@dataclass(frozen=True)
class TaskExtensions:
    """A task's requests for an extension, oldest first, and how many its plan allows."""

    records: list[ExtensionRecord]
    allowed: int

    @property
    def pending(self) -> ExtensionRecord | None:
        waiting = [r for r in self.records if r.request.status == ExtensionStatus.PENDING]
        return waiting[0] if waiting else None

    @property
    def granted(self) -> list[ExtensionRecord]:
        return [r for r in self.records if r.request.status == ExtensionStatus.GRANTED]

    @property
    def extended_from(self) -> datetime | None:
        """The due time before the first extension granted; None if none was."""
        granted = self.granted
        return granted[0].request.due_when_asked if granted else None


def task_extensions(session: Session, task: Task, plan: Plan) -> TaskExtensions:
    """The requests for an extension of ``task``, in one statement."""
    asker, decider = aliased(User), aliased(User)
    rows = session.exec(
        select(DeadlineExtension, asker, decider)
        .join(asker, asker.id == DeadlineExtension.asked_by_id)
        .outerjoin(decider, decider.id == DeadlineExtension.decided_by_id)
        .where(DeadlineExtension.task_id == task.id)
        .order_by(DeadlineExtension.asked_at, DeadlineExtension.id)
        .execution_options(populate_existing=True)
    ).all()
    return TaskExtensions(
        [ExtensionRecord(*row) for row in rows],
        plan_setting(plan.definition, "extensions_per_task"),
    )


@dataclass
class TaskDetail:
    """Everything the task page shows."""

    task: Task
    responsibility: Responsibility
    unit: Unit
    plan: Plan
    lead: list[Unit]
    coordinating: list[Unit]
    others: dict[str, list[Unit]]  # directs, in_charge, takes_part: shown, never owing a task
    history: list[tuple[TaskEventRecord, User | None]]
    reports: list[Report]
    files: dict[int, list[ReportFile]]  # by report id
    figures: dict[int, list[tuple[Target, TargetFigure]]]  # by report id
    targets: list[Target]  # the targets this task reports
    comments: list[tuple[Comment, User, Unit | None]]
    extensions: TaskExtensions = field(default_factory=lambda: TaskExtensions([], 0))
    # a duty: the contributions its coordinating units owe it; a contribution: the lead's
    # tasks it is for, and the units whose heads take it in (``workflow.tasks.contributions``)
    contributions: list[ContributionLine] = field(default_factory=list)
    lead_tasks: list[tuple[Task, Unit]] = field(default_factory=list)
    taken_in_by: frozenset[int] | None = None
    # the member the head gave it to (phân công), and the draft of its report with its author
    assignee: User | None = None
    draft: tuple[ReportDraft, User] | None = None
    # what loaded plans changed in the duty, oldest first, with who loaded them (None: the
    # command line)
    duty_changes: list[tuple[ResponsibilityChange, User | None]] = field(default_factory=list)


def task_detail(session: Session, viewer: User, task_id: int, now: datetime) -> TaskDetail:
    """A task as ``viewer`` may see it, with its plan text, units, history and contributions."""
    task = visible_task(session, viewer, task_id)
    responsibility = session.get(Responsibility, task.responsibility_id)
    units = session.exec(
        select(Unit, ResponsibilityUnit.role)
        .join(ResponsibilityUnit, ResponsibilityUnit.unit_id == Unit.id)
        .where(ResponsibilityUnit.responsibility_id == responsibility.id)
        .order_by(ResponsibilityUnit.position)
    ).all()
    plan = session.get(Plan, task.plan_id)
    reports = list(
        session.exec(select(Report).where(Report.task_id == task.id).order_by(Report.submitted_at))
    )
    report_ids = [r.id for r in reports]
    files: dict[int, list[ReportFile]] = {}
    for record in session.exec(
        select(ReportFile).where(ReportFile.report_id.in_(report_ids)).order_by(ReportFile.id)
    ):
        files.setdefault(record.report_id, []).append(record)
    figures: dict[int, list[tuple[Target, TargetFigure]]] = {}
    for target, figure in session.exec(
        select(Target, TargetFigure)
        .join(TargetFigure, TargetFigure.target_id == Target.id)
        .where(TargetFigure.report_id.in_(report_ids))
        .order_by(Target.position)
    ):
        figures.setdefault(figure.report_id, []).append((target, figure))
    return TaskDetail(
        task=task,
        responsibility=responsibility,
        unit=session.get(Unit, task.unit_id),
        plan=plan,
        lead=[unit for unit, role in units if role == "lead"],
        coordinating=[unit for unit, role in units if role == "coordinating"],
        others={
            kind: [unit for unit, role in units if role == kind]
            for kind in ("directs", "in_charge", "takes_part")
        },
        history=task_history(session, task),
        reports=reports,
        files=files,
        figures=figures,
        targets=targets_reported_by(session, responsibility.id),
        comments=list(
            session.exec(
                select(Comment, User, Unit)
                .join(User, User.id == Comment.author_id)
                .outerjoin(Unit, Unit.id == User.unit_id)
                .where(Comment.task_id == task.id)
                .order_by(Comment.at, Comment.id)
            )
        ),
        extensions=task_extensions(session, task, plan),
        contributions=contributions_to(session, task, now),
        lead_tasks=lead_tasks_of(session, task),
        taken_in_by=lead_units(session, task),
        assignee=session.get(User, task.assignee_id) if task.assignee_id else None,
        draft=_draft(session, task),
        duty_changes=list(
            session.exec(
                select(ResponsibilityChange, User)
                .outerjoin(User, User.id == ResponsibilityChange.by)
                .where(ResponsibilityChange.responsibility_id == responsibility.id)
                .order_by(ResponsibilityChange.at, ResponsibilityChange.id)
            )
        ),
    )


def _draft(session: Session, task: Task) -> tuple[ReportDraft, User] | None:
    """The draft of the task's report and who wrote it, if there is one."""
    row = session.exec(
        select(ReportDraft, User)
        .join(User, User.id == ReportDraft.author_id)
        .where(ReportDraft.task_id == task.id)
    ).first()
    return (row[0], row[1]) if row else None


def targets_reported_by(session: Session, responsibility_id: int) -> list[Target]:
    """The targets with a figure that a responsibility's reports carry."""
    return list(
        session.exec(
            select(Target)
            .join(TargetResponsibility, TargetResponsibility.target_id == Target.id)
            .where(
                TargetResponsibility.responsibility_id == responsibility_id,
                Target.figure.is_not(None),
                Target.retired == False,  # noqa: E712
            )
            .order_by(Target.position)
        )
    )
