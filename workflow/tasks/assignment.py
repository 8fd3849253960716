"""Assigning a task inside its unit (phân công): the head gives the work to a member of the unit
(the cán bộ who does it), who may then start it and write the draft of its report; the head
reads the draft on the report form and sends it.

The rules, written once here (who may is ``workflow.permissions``: ``EVENT_GRANTS`` and
``may_draft``):

- the head of the task's unit assigns it to an active member of the same unit, or takes it back
  (no one), while the work is still owed (assigned, in progress, returned);
- the head, or the member it is assigned to, saves the draft while the work is owed; a save
  replaces the one before; sending the report removes it (``submit_report``);
- both are steps of the task's history and move its version on, so a head whose page showed an
  older draft is told to reload before sending a report over it.

Like every operation these flush; the caller commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.errors import IllegalTransition, InvalidInput, NotAllowed, StaleVersion
from workflow.i18n import N_
from workflow.permissions import may_draft, may_fire, require_fire
from workflow.tasks.contributions import lead_units
from workflow.tasks.models import ReportDraft, Task
from workflow.tasks.operations import REPORT_TEXT_LIMIT, clean_links, record_step
from workflow.tasks.queries import visible_task
from workflow.tasks.states import TaskEvent, TaskState

# The states in which the work is still owed by the unit: it may be given to someone, drafted.
OWED_STATES = frozenset({TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.RETURNED})


def assignable_members(session: Session, task: Task) -> list[User]:
    """The active members of the task's unit, by name: whom its head may give it to."""
    return list(
        session.exec(
            select(User)
            .where(User.unit_id == task.unit_id, User.role == Role.MEMBER, User.active == True)  # noqa: E712
            .order_by(User.full_name, User.username)
        )
    )


def assign_task(
    session: Session,
    user: User,
    task_id: int,
    version: int,
    assignee: str | None,
    *,
    now: datetime,
) -> Task:
    """The head gives the task to the member named ``assignee`` (a user name), or takes it back
    (``None`` or empty)."""
    task = visible_task(session, user, task_id)
    require_fire(user, TaskEvent.ASSIGN, task.unit_id, lead_units(session, task))
    _still_owed(task, TaskEvent.ASSIGN)
    if version != task.version:
        raise StaleVersion()
    member = None
    if assignee:
        member = next(
            (m for m in assignable_members(session, task) if m.username == assignee), None
        )
        if member is None:
            raise InvalidInput(
                N_("%(name)s is not an active member of this unit: choose one of its members."),
                name=assignee,
            )
    record_step(
        session,
        user,
        task,
        TaskEvent.ASSIGN,
        version,
        now,
        (member.full_name or member.username) if member else "",
        task.state,
        {"assignee_id": member.id if member else None},
    )
    session.flush()
    session.refresh(task)
    return task


def save_draft(
    session: Session,
    user: User,
    task_id: int,
    version: int,
    text: str,
    links: list[str] | None = None,
    *,
    now: datetime,
) -> ReportDraft:
    """The assigned member (or the head) saves what the report will say."""
    task = visible_task(session, user, task_id)
    if not may_draft(user, task.unit_id, task.assignee_id, lead_units(session, task)):
        raise NotAllowed(
            N_(
                "Only the head of the unit, or the member the task is assigned to, may draft "
                "its report."
            )
        )
    _still_owed(task, TaskEvent.SAVE_DRAFT)
    if version != task.version:
        raise StaleVersion()
    text = (text or "").strip()
    if not text:
        raise InvalidInput(N_("Write the draft first."))
    if len(text) > REPORT_TEXT_LIMIT:
        raise InvalidInput(
            N_("A report's text may be at most %(count)s characters."), count=REPORT_TEXT_LIMIT
        )
    cleaned = clean_links(links or [])
    record_step(session, user, task, TaskEvent.SAVE_DRAFT, version, now, "", task.state, {})
    draft = session.get(ReportDraft, task.id) or ReportDraft(task_id=task.id)
    draft.author_id, draft.saved_at, draft.text, draft.links = user.id, now, text, cleaned
    session.add(draft)
    session.flush()
    session.refresh(task)
    return draft


def assignment_events_for(
    user: User, task: Task, taken_in_by: frozenset[int] | None
) -> list[TaskEvent]:
    """What ``user`` may do about the task's assignment now: the page's forms, the API's
    ``actions``."""
    if task.state not in OWED_STATES:
        return []
    events = []
    if may_fire(user, TaskEvent.ASSIGN, task.unit_id, taken_in_by):
        events.append(TaskEvent.ASSIGN)
    if may_draft(user, task.unit_id, task.assignee_id, taken_in_by):
        events.append(TaskEvent.SAVE_DRAFT)
    return events


def _still_owed(task: Task, event: TaskEvent) -> None:
    if task.state not in OWED_STATES:
        raise IllegalTransition(
            state=TaskState(task.state).label, event=event.label, labels=("state", "event")
        )
