"""Running what a person asks for, the same way for every page and for the API.

Every action is one call of one service in the request's transaction (``perform``). A refusal
rolls the transaction back at once, before anyone reads the database to show it: the page that
says "refused" shows the task as it was, never the half-made change. The request commits the
rest (``web.database``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from flask_babel import gettext
from flask_login import current_user

from web.clock import app_clock
from web.database import db_session, rollback
from web.storage import evidence_store
from workflow.accounts.models import User
from workflow.errors import WorkflowError
from workflow.i18n import N_
from workflow.tasks.assignment import assign_task, save_draft
from workflow.tasks.evidence import Upload
from workflow.tasks.extensions import DECISIONS, ask_extension
from workflow.tasks.models import Task
from workflow.tasks.operations import COMMENTED_ACTIONS, submit_report
from workflow.tasks.review import task_name
from workflow.tasks.states import TaskEvent, TaskKind

Result = TypeVar("Result")


def perform(service: Callable[..., Result], *args, **kwargs) -> Result:
    """``service(session, *args, **kwargs)`` in the request's transaction; on a refusal, roll
    back and let the refusal go on to whoever shows it."""
    try:
        return service(db_session(), *args, **kwargs)
    except WorkflowError:
        rollback()
        raise


@dataclass(frozen=True)
class TaskAction:
    """One event asked for on a task, with what it carries; ``comment`` is a report's (or a
    draft's) text, or the reason for an extension or for refusing one; ``due_date`` the day an
    extension asks for; ``assignee`` whom the head gives the task to."""

    event: TaskEvent
    version: int
    comment: str = ""
    links: list[str] = field(default_factory=list)
    figures: Mapping[int, object] = field(default_factory=dict)
    files: list[Upload] = field(default_factory=list)
    due_date: date | None = None
    assignee: str | None = None  # assign: the member's user name; None or empty takes it back


def act_on_task(user: User, task_id: int, action: TaskAction) -> Task:
    """Fire ``action`` on the task through the one service behind its event."""
    clock = app_clock()
    now = clock.now()
    if action.event is TaskEvent.ASK_EXTENSION:
        perform(
            ask_extension,
            user,
            task_id,
            action.version,
            action.due_date,
            action.comment,
            clock=clock,
        )
        return db_session().get(Task, task_id)
    if action.event in DECISIONS:
        service = DECISIONS[action.event]
        perform(service, user, task_id, action.version, action.comment, clock=clock)
        return db_session().get(Task, task_id)
    if action.event is TaskEvent.ASSIGN:
        return perform(assign_task, user, task_id, action.version, action.assignee, now=now)
    if action.event is TaskEvent.SAVE_DRAFT:
        draft = perform(
            save_draft, user, task_id, action.version, action.comment, action.links, now=now
        )
        return db_session().get(Task, draft.task_id)
    if action.event is TaskEvent.REPORT:
        report = perform(
            submit_report,
            user,
            task_id,
            action.version,
            action.comment,
            links=action.links,
            figures=dict(action.figures),
            files=action.files,
            store=evidence_store(),
            now=now,
        )
        return db_session().get(Task, report.task_id)
    service = COMMENTED_ACTIONS[action.event]
    return perform(service, user, task_id, action.version, action.comment, now=now)


# What a person is told once an action went through, in the words an office uses.
CONFIRMATIONS = {
    TaskEvent.START: N_("You have started the task."),
    TaskEvent.REPORT: N_("Your report was sent; Ban Xây dựng Đảng will review it."),
    TaskEvent.APPROVE: N_("The report of %(ref)s (%(unit)s) is approved."),
    TaskEvent.RETURN: N_("The report of %(ref)s (%(unit)s) is returned for more work."),
    TaskEvent.REOPEN: N_("The task is open again."),
    TaskEvent.ASK_EXTENSION: N_(
        "Your request for an extension was sent; Ban Xây dựng Đảng will decide on it."
    ),
    TaskEvent.GRANT_EXTENSION: N_("The extension of %(ref)s (%(unit)s) is granted."),
    TaskEvent.REFUSE_EXTENSION: N_("The extension of %(ref)s (%(unit)s) is refused."),
    TaskEvent.ASSIGN: N_("The assignment inside the unit is saved."),
    TaskEvent.SAVE_DRAFT: N_("The draft is saved; the head of the unit sends the report."),
}


# What a coordinating unit's contribution says instead: the lead's head takes it in.
CONTRIBUTION_CONFIRMATIONS = {
    TaskEvent.REPORT: N_("Your contribution was sent; the lead unit's head will take it in."),
    TaskEvent.APPROVE: N_("The contribution of %(unit)s to %(ref)s is taken in."),
    TaskEvent.RETURN: N_("The contribution of %(unit)s to %(ref)s is returned for more work."),
}


def confirmation(event: TaskEvent, task_id: int) -> str:
    """The confirmation of ``event`` (on the task that was just acted on), naming the task (ref
    and unit) where it helps."""
    session = db_session()
    ref, unit = task_name(session, current_user.user, task_id)
    task = session.get(Task, task_id)
    contribution = task is not None and task.kind == TaskKind.CONTRIBUTION
    message = (CONTRIBUTION_CONFIRMATIONS if contribution else CONFIRMATIONS).get(event)
    return gettext(message or CONFIRMATIONS[event], ref=ref or task_id, unit=unit or "")
