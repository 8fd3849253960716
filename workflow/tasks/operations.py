"""One function per thing a person does to a task; each flushes, the caller commits.

Every action checks, in this order: the task exists and the user may see it (else ``NotFound``),
the user's role and unit allow the action (``NotAllowed``), the user saw the latest version
(``StaleVersion``), the input is complete (``InvalidInput``), and the machine accepts the event
in the task's state (``IllegalTransition``). The state then changes by compare-and-set on the
version, so of two people acting at once exactly one wins and the other is told to reload."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.errors import IllegalTransition, InvalidInput, StaleVersion
from workflow.i18n import N_
from workflow.permissions import require_fire
from workflow.plans.models import Target, TargetResponsibility
from workflow.targets.numbers import parse_figure
from workflow.tasks.contributions import lead_units, waiting_contributions
from workflow.tasks.evidence import EvidenceStore, Upload
from workflow.tasks.machine import COMMENT_REQUIRED, fire
from workflow.tasks.models import (
    Comment,
    Report,
    ReportDraft,
    TargetFigure,
    Task,
    TaskEventRecord,
)
from workflow.tasks.queries import visible_task
from workflow.tasks.states import TaskEvent, TaskState

MISSING_COMMENT = {
    TaskEvent.REPORT: N_("Write what was done: the report text is required."),
    TaskEvent.RETURN: N_("Give the reason for returning the report."),
    TaskEvent.REOPEN: N_("Give the reason for reopening the task."),
}


# The most a person may write (README, "Limits"): a comment or a reason, a report's text, its
# links. Generous for any real report, and a bound on what a page and the .docx must hold.
COMMENT_LIMIT = 5000
REPORT_TEXT_LIMIT = 20_000
LINKS_LIMIT = 20
LINK_LENGTH_LIMIT = 2000

# What an event's text may hold at most, and what a longer one is told (None: any other event).
TEXT_LIMITS = {
    TaskEvent.REPORT: (
        REPORT_TEXT_LIMIT,
        N_("A report's text may be at most %(count)s characters."),
    ),
    None: (COMMENT_LIMIT, N_("A reason may be at most %(count)s characters.")),
}


TASK, TASK_EVENT = Task.__table__, TaskEventRecord.__table__


@dataclass
class _Stateful:
    """The state machine's view of a task: the row itself is changed only by compare-and-set."""

    state: str


def start_task(
    session: Session, user: User, task_id: int, version: int, comment: str = "", *, now: datetime
) -> Task:
    """The unit starts work on a task (or starts again on a returned one)."""
    return _transition(session, user, task_id, TaskEvent.START, version, comment, now)


def submit_report(
    session: Session,
    user: User,
    task_id: int,
    version: int,
    text: str,
    links: list[str] | None = None,
    figures: dict[int, str | Decimal] | None = None,
    files: list[Upload] | None = None,
    store: EvidenceStore | None = None,
    *,
    now: datetime,
) -> Report:
    """The unit head reports what was done, with links, files and the figures of the task's
    targets; a lead's report takes in the contributions sent to it by then
    (``workflow.tasks.contributions``). Files are written last, and removed again if anything
    else is refused."""
    checked: dict = {}

    def check_input(task: Task) -> None:
        checked["links"] = clean_links(links or [])
        checked["figures"] = _check_figures(session, task, figures or {})

    task = _transition(session, user, task_id, TaskEvent.REPORT, version, text, now, check_input)
    report = Report(
        task_id=task.id,
        author_id=user.id,
        submitted_at=now,
        text=text.strip(),
        links=checked["links"],
    )
    session.add(report)
    session.flush()
    for target_id, value in checked["figures"].items():
        session.add(
            TargetFigure(
                report_id=report.id,
                target_id=target_id,
                unit_id=task.unit_id,
                period=task.period,
                reported_by=user.id,
                reported_at=now,
                value=value,
            )
        )
    session.flush()
    for contribution in waiting_contributions(session, task):
        _take_in(session, user, contribution, now)
    draft = session.get(ReportDraft, task.id)
    if draft is not None:  # sent: the draft it was written from is done with
        session.delete(draft)
    if files:
        if store is None:
            raise InvalidInput(N_("Files cannot be received here."))
        store.keep(session, report, files)
    return report


def _take_in(session: Session, user: User, contribution: Task, now: datetime) -> None:
    """A contribution taken in with the lead's report: approved by the lead's head, as if they
    had approved it on its own page (they may: they lead its responsibility)."""
    _transition(session, user, contribution.id, TaskEvent.APPROVE, contribution.version, "", now)


def approve_report(
    session: Session, user: User, task_id: int, version: int, comment: str = "", *, now: datetime
) -> Task:
    """The reviewer accepts the unit's report."""
    return _transition(session, user, task_id, TaskEvent.APPROVE, version, comment, now)


def return_report(
    session: Session, user: User, task_id: int, version: int, reason: str, *, now: datetime
) -> Task:
    """The reviewer sends the report back to the unit, saying why."""
    return _transition(session, user, task_id, TaskEvent.RETURN, version, reason, now)


def reopen_task(
    session: Session, user: User, task_id: int, version: int, reason: str, *, now: datetime
) -> Task:
    """A reviewer or admin reopens an approved task, saying why."""
    return _transition(session, user, task_id, TaskEvent.REOPEN, version, reason, now)


def _transition(
    session: Session,
    user: User,
    task_id: int,
    event: TaskEvent,
    version: int,
    comment: str,
    at: datetime,
    check_input: Callable[[Task], None] | None = None,
) -> Task:
    """Apply ``event`` after the checks in the module's order; ``check_input`` checks what else
    the action carries (links, figures) at the "input" step."""
    task = visible_task(session, user, task_id)
    require_fire(user, event, task.unit_id, lead_units(session, task))
    if version != task.version:
        raise StaleVersion()
    comment = (comment or "").strip()
    if event in COMMENT_REQUIRED and not comment:
        raise InvalidInput(MISSING_COMMENT[event])
    limit, too_long = TEXT_LIMITS.get(event, TEXT_LIMITS[None])
    if len(comment) > limit:
        raise InvalidInput(too_long, count=limit)
    if check_input is not None:
        check_input(task)
    stateful = _Stateful(task.state)
    if not fire(event, stateful):
        raise IllegalTransition(
            state=TaskState(task.state).label, event=event.label, labels=("state", "event")
        )
    values = {"state": stateful.state}
    if event is TaskEvent.REPORT and task.first_reported_at is None:
        values["first_reported_at"] = at
    if event is TaskEvent.APPROVE:
        values["reviewed_at"] = at
    if event is TaskEvent.RETURN:
        values["times_returned"] = task.times_returned + 1
    record_step(session, user, task, event, version, at, comment, stateful.state, values)
    session.flush()
    return task


def record_step(
    session: Session,
    user: User,
    task: Task,
    event: TaskEvent,
    version: int,
    at: datetime,
    comment: str,
    to_state: str,
    values: dict,
) -> None:
    """One step of a task: its next version with ``values``, by compare-and-set on the
    version the user saw (``StaleVersion`` if someone else moved it first), and the step in
    its history. Every action on a task ends here, so here the row learns that a person acted
    on it (``Task.last_activity_at``).

    Written as two plain statements on the tables (the ORM's bulk UPDATE path cost more than
    the database did), and the task in hand is given the values written: the compare-and-set
    proves that the row was the version it was read at."""
    new = {"version": version + 1, "updated_at": at, "last_activity_at": at, **values}
    connection = session.connection()
    changed = connection.execute(
        TASK.update().where(TASK.c.id == task.id, TASK.c.version == version).values(new)
    ).rowcount
    if changed != 1:
        raise StaleVersion()
    connection.execute(
        TASK_EVENT.insert().values(
            task_id=task.id,
            actor_id=user.id,
            at=at,
            event=event.value,
            from_state=task.state,
            to_state=to_state,
            comment=comment,
        )
    )
    for key, value in new.items():
        set_committed_value(task, key, value)


def clean_links(links: list[str]) -> list[str]:
    cleaned = [link.strip() for link in links if link and link.strip()]
    if len(cleaned) > LINKS_LIMIT:
        raise InvalidInput(N_("A report may carry at most %(count)s links."), count=LINKS_LIMIT)
    for link in cleaned:
        if len(link) > LINK_LENGTH_LIMIT:
            raise InvalidInput(
                N_("A link may be at most %(count)s characters."), count=LINK_LENGTH_LIMIT
            )
        if not link.lower().startswith(("http://", "https://")):
            raise InvalidInput(
                N_("A link must start with http:// or https://: %(link)s"), link=link
            )
    return cleaned


def _check_figures(session: Session, task: Task, figures: dict) -> dict[int, Decimal]:
    """Figures must be numbers, for targets that this task's responsibility reports."""
    allowed = set(
        session.exec(
            select(TargetResponsibility.target_id)
            .join(Target, Target.id == TargetResponsibility.target_id)
            .where(
                TargetResponsibility.responsibility_id == task.responsibility_id,
                Target.figure.is_not(None),
            )
        )
    )
    checked = {}
    for target_id, raw in figures.items():
        value = parse_figure(raw)
        if value is None:
            continue
        if int(target_id) not in allowed:
            raise InvalidInput(N_("This task does not report that target."))
        checked[int(target_id)] = value
    return checked


def comment_on_task(
    session: Session, user: User, task_id: int, text: str, *, now: datetime
) -> Comment:
    """Anyone who may see a task (its unit, a coordinating unit, a reviewer) may remark on it."""
    task = visible_task(session, user, task_id)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(N_("Write a comment first."))
    if len(text) > COMMENT_LIMIT:
        raise InvalidInput(
            N_("A comment may be at most %(count)s characters."), count=COMMENT_LIMIT
        )
    comment = Comment(task_id=task.id, author_id=user.id, at=now, text=text)
    session.add(comment)
    session.flush()
    return comment


# The service behind each event that carries only a comment (a report carries more).
COMMENTED_ACTIONS: dict[TaskEvent, Callable[..., Task]] = {
    TaskEvent.START: start_task,
    TaskEvent.APPROVE: approve_report,
    TaskEvent.RETURN: return_report,
    TaskEvent.REOPEN: reopen_task,
}
