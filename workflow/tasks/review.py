"""Ban Xây dựng Đảng's review queue: every reported task with its report inline, approving
several reports at once, and the requests for an extension waiting for a decision.

The queue is read in a fixed number of statements whatever its length: the tasks with their
latest report in one, then the files, the figures and the last return of all of them, one each;
the requests for an extension in one more."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import false, func, or_
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import InvalidInput, WorkflowError
from workflow.i18n import N_
from workflow.organisations.models import Unit
from workflow.periods import Quarter
from workflow.permissions import (
    Access,
    events_for,
    require,
    require_fire_role,
    visible_tasks_clause,
)
from workflow.plans.models import Plan, Responsibility, Section, Target
from workflow.tasks.extensions import decisions_for
from workflow.tasks.kinds import led_clause
from workflow.tasks.models import (
    DeadlineExtension,
    Report,
    ReportFile,
    TargetFigure,
    Task,
    TaskEventRecord,
)
from workflow.tasks.operations import approve_report
from workflow.tasks.queries import ExtensionRecord, TaskRow, latest_report_id, words_clause
from workflow.tasks.states import ExtensionStatus, TaskEvent, TaskState


@dataclass(frozen=True)
class LastReturn:
    """The reviewer's last "return" of a task now reported again, and how often it was returned."""

    at: datetime
    reason: str
    by: str | None
    times: int


@dataclass
class QueueItem:
    """A reported task as the reviewer weighs it: its latest report, evidence and figures."""

    task: TaskRow
    section_ref: str
    report: Report | None
    author: str | None
    files: list[ReportFile] = field(default_factory=list)
    figures: list[tuple[Target, TargetFigure]] = field(default_factory=list)
    last_return: LastReturn | None = None
    actions: list[TaskEvent] = field(default_factory=list)  # what the viewer may do now


@dataclass
class WaitingExtension:
    """A request for an extension waiting for the reviewer, with its task."""

    task: TaskRow
    section_ref: str
    record: ExtensionRecord
    actions: list[TaskEvent] = field(default_factory=list)  # grant, refuse: what the viewer may


@dataclass(frozen=True)
class QueueChoices:
    """What the queue's filters offer."""

    quarters: list[Quarter]
    units: list[Unit]
    sections: list[tuple[str, str]]  # ref, title


class SelectionRefused(WorkflowError):
    """One report of a selection was refused, so none of the selection was approved."""

    code = "selection_refused"
    message = N_("Nothing was approved: %(ref)s (%(unit)s) was refused. %(reason)s")

    def __init__(
        self, cause: WorkflowError, task_id: int, ref: str | None = None, unit: str | None = None
    ) -> None:
        self.cause, self.task_id, self.ref, self.unit = cause, task_id, ref, unit
        message = self.message if ref else N_("Nothing was approved. %(reason)s")
        super().__init__(message, ref=ref, unit=unit, reason=str(cause))
        self.code = cause.code

    def translate(self, gettext) -> str:
        """The task's ref and unit are names; the cause is translated with its own message."""
        reason = self.cause.translate(gettext)
        return gettext(self.message) % {"ref": self.ref, "unit": self.unit, "reason": reason}


def review_queue(
    session: Session,
    user: User,
    now: datetime,
    quarter: Quarter | None = None,
    unit_code: str | None = None,
    section: str | None = None,
    search: str = "",
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[QueueItem]:
    """Every reported task ``user`` may review or oversee, oldest latest report first; from
    ``offset``, at most ``limit`` of them (a page of the queue).

    ``section`` is a section ref and keeps its subsections too: ``VI`` keeps ``VI.2``.
    ``search`` holds words of the ref or title, accents optional.
    """
    require(user, Access.REVIEW_QUEUE)
    query = _tasks_query(user, quarter, unit_code, section, search)
    rows = session.exec(query.offset(offset).limit(limit)).all()
    items = [_queue_item(user, now, *row) for row in rows]
    reports = {item.report.id: item for item in items if item.report is not None}
    if reports:
        for record in session.exec(
            select(ReportFile)
            .where(ReportFile.report_id.in_(list(reports)))
            .order_by(ReportFile.id)
        ):
            reports[record.report_id].files.append(record)
        for target, figure in session.exec(
            select(Target, TargetFigure)
            .join(TargetFigure, TargetFigure.target_id == Target.id)
            .where(TargetFigure.report_id.in_(list(reports)))
            .order_by(Target.position, Target.id)
        ):
            reports[figure.report_id].figures.append((target, figure))
    if items:
        by_task = {item.task.id: item for item in items}
        for task_id, last_return in _last_returns(session, list(by_task)).items():
            by_task[task_id].last_return = last_return
    return items


def waiting_extensions(
    session: Session,
    user: User,
    clock: Clock,
    quarter: Quarter | None = None,
    unit_code: str | None = None,
    section: str | None = None,
    search: str = "",
) -> list[WaitingExtension]:
    """Every request for an extension waiting for a decision on a task ``user`` may review or
    oversee, oldest first, narrowed as the queue is; in one statement."""
    require(user, Access.REVIEW_QUEUE)
    query = _narrowed(
        select(
            Task,
            Responsibility.ref,
            Responsibility.title,
            Responsibility.section_ref,
            Unit.code,
            Unit.name,
            DeadlineExtension,
            User,
        )
        .join(Plan, Plan.id == Task.plan_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
        .join(DeadlineExtension, DeadlineExtension.task_id == Task.id)
        .join(User, User.id == DeadlineExtension.asked_by_id)
        .where(
            visible_tasks_clause(user),
            DeadlineExtension.status == ExtensionStatus.PENDING.value,
        ),
        quarter,
        unit_code,
        section,
        search,
    )
    rows = session.exec(
        query.order_by(DeadlineExtension.asked_at, DeadlineExtension.id).execution_options(
            populate_existing=True
        )
    ).all()
    now = clock.now()
    return [
        WaitingExtension(
            task=TaskRow.of(task, ref, title, code, name, now),
            section_ref=section_ref,
            record=ExtensionRecord(request, asker, None),
            actions=decisions_for(user, task, request, clock),
        )
        for task, ref, title, section_ref, code, name, request, asker in rows
    ]


def queue_size(
    session: Session,
    user: User,
    quarter: Quarter | None = None,
    unit_code: str | None = None,
    section: str | None = None,
    search: str = "",
) -> int:
    """How many reports the queue holds with these filters, all pages together."""
    require(user, Access.REVIEW_QUEUE)
    waiting = _tasks_query(user, quarter, unit_code, section, search).subquery()
    return session.exec(select(func.count()).select_from(waiting)).one()


def queue_choices(session: Session, user: User) -> QueueChoices:
    """The quarters, units and sections the queue can be narrowed to."""
    require(user, Access.REVIEW_QUEUE)
    quarters = session.exec(
        select(Task.period)
        .distinct()
        .join(Plan, Plan.id == Task.plan_id)
        .where(visible_tasks_clause(user))
        .order_by(Task.period)
    ).all()
    units = session.exec(
        select(Unit)
        .where(Unit.organisation_id == user.organisation_id, Unit.is_group == false())
        .order_by(Unit.code)
    ).all()
    sections = session.exec(
        select(Section.ref, Section.title)
        .join(Plan, Plan.id == Section.plan_id)
        .where(Plan.organisation_id == user.organisation_id)
        .order_by(Plan.code, Section.position, Section.ref)
    ).all()
    titles: dict[str, str] = {}
    for ref, title in sections:
        titles.setdefault(ref, title)  # several plans may share a ref: the first one names it
    return QueueChoices(
        quarters=[Quarter.parse(period) for period in quarters],
        units=list(units),
        sections=list(titles.items()),
    )


def approve_reports(
    session: Session,
    user: User,
    items: list[tuple[int, int]],
    comment: str = "",
    *,
    now: datetime,
) -> list[Task]:
    """The reviewer approves the selected reports (task id, version seen) in one go: all of
    them, or none if any one is refused.

    Raises:
        SelectionRefused: naming the first task refused and why; nothing was approved.
    """
    require_fire_role(user, TaskEvent.APPROVE)
    items = list(dict.fromkeys((int(task_id), int(version)) for task_id, version in items))
    if not items:
        raise InvalidInput(N_("Select at least one report to approve."))
    approved: list[Task] = []
    savepoint = session.begin_nested()
    for task_id, version in items:
        try:
            approved.append(approve_report(session, user, task_id, version, comment, now=now))
        except WorkflowError as error:
            savepoint.rollback()
            for task in approved:
                session.expire(task)
            raise SelectionRefused(error, task_id, *task_name(session, user, task_id)) from error
    savepoint.commit()
    return approved


def _tasks_query(
    user: User,
    quarter: Quarter | None,
    unit_code: str | None,
    section: str | None,
    search: str = "",
):
    """Reported tasks with their responsibility, unit, latest report and its author."""
    latest_report = latest_report_id()
    query = (
        select(
            Task,
            Responsibility.ref,
            Responsibility.title,
            Responsibility.section_ref,
            Unit.code,
            Unit.name,
            Report,
            User.full_name,
            User.username,
        )
        .join(Plan, Plan.id == Task.plan_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
        .outerjoin(Report, Report.id == latest_report)
        .outerjoin(User, User.id == Report.author_id)
        .where(
            visible_tasks_clause(user),
            Task.state == TaskState.REPORTED.value,
            led_clause(),  # a contribution waits for the lead, not for the reviewer
        )
    )
    query = _narrowed(query, quarter, unit_code, section, search)
    # Rows are re-read even if the session holds them: a refused bulk approval rolls back.
    return query.order_by(
        func.coalesce(Report.submitted_at, Task.updated_at), Task.id
    ).execution_options(populate_existing=True)


def _narrowed(
    query, quarter: Quarter | None, unit_code: str | None, section: str | None, search: str
):
    """``query`` (of tasks joined to their unit and responsibility) narrowed by the queue's
    filters."""
    if quarter is not None:
        query = query.where(Task.period == str(quarter))
    if unit_code:
        query = query.where(Unit.code == unit_code)
    if section:
        section = section.strip().rstrip(".")
        query = query.where(
            or_(
                Responsibility.section_ref == section,
                Responsibility.section_ref.startswith(f"{section}.", autoescape=True),
            )
        )
    return query.where(words_clause(search))


def _queue_item(viewer, now, task, ref, title, section, unit_code, unit_name, report, *author):
    row = TaskRow.of(task, ref, title, unit_code, unit_name, now)
    return QueueItem(
        task=row,
        section_ref=section,
        report=report,
        author=author[0] or author[1],
        actions=events_for(viewer, task.state, task.unit_id),
    )


def _last_returns(session: Session, task_ids: list[int]) -> dict[int, LastReturn]:
    """For each task that was returned before, its latest return and the number of returns."""
    ranked = (
        select(
            TaskEventRecord.task_id,
            TaskEventRecord.at,
            TaskEventRecord.comment,
            User.full_name,
            User.username,
            func.count().over(partition_by=TaskEventRecord.task_id).label("times"),
            func.row_number()
            .over(
                partition_by=TaskEventRecord.task_id,
                order_by=(TaskEventRecord.at.desc(), TaskEventRecord.id.desc()),
            )
            .label("rank"),
        )
        .outerjoin(User, User.id == TaskEventRecord.actor_id)
        .where(
            TaskEventRecord.task_id.in_(task_ids),
            TaskEventRecord.event == TaskEvent.RETURN.value,
        )
        .subquery()
    )
    rows = session.exec(select(*ranked.c).where(ranked.c.rank == 1)).all()
    return {
        row.task_id: LastReturn(row.at, row.comment, row.full_name or row.username, row.times)
        for row in rows
    }


def task_name(session: Session, user: User, task_id: int) -> tuple[str | None, str | None]:
    """A task's ref and unit, if ``user`` may know them: how a refusal names the task."""
    name = session.exec(
        select(Responsibility.ref, Unit.name)
        .select_from(Task)
        .join(Plan, Plan.id == Task.plan_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
        .where(Task.id == task_id, visible_tasks_clause(user))
    ).first()
    return (name[0], name[1]) if name else (None, None)
