"""Deadline extensions (đề nghị gia hạn): a unit head asks for a later due date, with a reason,
before the task's due time has passed; Ban Xây dựng Đảng grants or refuses it.

Each rule is written once, here (who may ask or decide is ``workflow.permissions``'s
``EVENT_GRANTS``):

- *when* one may ask (``refusal_to_ask``): the task is the unit's own (a contribution follows
  the lead's date), it is open (assigned, in progress, returned),
  no request of it is waiting, fewer extensions were granted than its plan allows
  (``defaults.extensions_per_task``), and its due time has not passed (at the due time exactly
  one still may: ``deadlines.passed``);
- *what* one may ask for (``request_problems``): a day after the current due day and not after
  the plan's period ends, and a reason. The new due time is that day at the local hour of the
  current one (``proposed_due``);
- a grant moves the task's due time. From then on on time, overdue and the reminders follow the
  new one with nothing else to do, since they all read ``Task.due_at``
  (``workflow.tasks.deadlines``); the history keeps the old and the new. A task that is
  approved can no longer be extended; a report waiting for review can (the request came in
  time, the decision later);
- a refusal says why.

The three events never change the task's state; each is a row of the task's history and moves
its version on, so a page that showed the request as it was is told to reload. Operations check
in this order: the task exists for the user (``NotFound``), the role and unit
(``NotAllowed``), the request: one may ask now, or a request is waiting to be decided
(``ExtensionRefused``, ``AlreadyDecided``), the version seen (``StaleVersion``), the input
(``InvalidFields``, each problem beside its field). Of two requests sent at once the database
keeps one (a partial unique index on the waiting ones); of two decisions at once, one
(compare-and-set on the request's status): the other is told it was decided already. Like every
operation these flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import IllegalTransition, InvalidFields, InvalidInput, StaleVersion
from workflow.i18n import N_
from workflow.permissions import may_fire, require_fire
from workflow.plans.models import Plan
from workflow.tasks.deadlines import passed
from workflow.tasks.models import DeadlineExtension, Task
from workflow.tasks.operations import COMMENT_LIMIT, record_step
from workflow.tasks.queries import TaskExtensions, task_extensions, visible_task
from workflow.tasks.states import ExtensionStatus, TaskEvent, TaskKind, TaskState

# The states in which a task's work is still owed by its unit, so its due date may move.
OPEN_STATES = frozenset({TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.RETURNED})


class ExtensionRefused(IllegalTransition):
    """An extension cannot be asked for (or granted) now; ``why`` says which rule refused it:
    ``contribution``, ``pending``, ``none_allowed``, ``limit``, ``past_due`` or ``moot``."""

    code = "extension_refused"

    def __init__(self, why: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.why = why


class AlreadyDecided(IllegalTransition):
    """No request of the task is waiting: someone decided it in the meantime, or none was sent."""

    code = "already_decided"


def local_text(instant: datetime, clock: Clock) -> str:
    """An instant as the history writes it (``31/03/2026 17:00``, local time)."""
    return clock.local(instant).strftime("%d/%m/%Y %H:%M")


def local_day_text(instant: datetime, clock: Clock) -> str:
    return clock.local(instant).strftime("%d/%m/%Y")


# The rules


def refusal_to_ask(
    task: Task, extensions: TaskExtensions, clock: Clock
) -> IllegalTransition | None:
    """Why an extension of ``task`` cannot be asked for now, whoever asks; None if it can."""
    if task.kind == TaskKind.CONTRIBUTION:
        return ExtensionRefused(
            "contribution",
            N_(
                "A contribution is due before the lead unit's report, so its date is agreed "
                "with the lead unit; only the lead's own task may be extended."
            ),
        )
    if task.state not in OPEN_STATES:
        return IllegalTransition(
            state=TaskState(task.state).label,
            event=TaskEvent.ASK_EXTENSION.label,
            labels=("state", "event"),
        )
    if extensions.pending is not None:
        return _already_waiting()
    if extensions.allowed == 0:
        return ExtensionRefused("none_allowed", N_("This plan allows no extension of a due date."))
    if len(extensions.granted) >= extensions.allowed:
        return ExtensionRefused(
            "limit",
            N_("This task has already been extended as many times as its plan allows (%(count)s)."),
            count=extensions.allowed,
        )
    if passed(task.due_at, clock.now()):
        return ExtensionRefused(
            "past_due",
            N_("The due time (%(due)s) has passed: an extension must be asked for before it."),
            due=local_text(task.due_at, clock),
        )
    return None


def proposed_due(task: Task, day: date, clock: Clock) -> datetime:
    """The due time an extension to ``day`` gives: that day, at the current due time's hour."""
    return clock.instant(day, clock.local(task.due_at).time())


def request_problems(
    task: Task, plan: Plan, day: date | None, reason: str, clock: Clock
) -> dict[str, InvalidInput]:
    """What is wrong with a request, by field (``due_date``, ``reason``): all of it at once."""
    problems: dict[str, InvalidInput] = {}
    if day is None:
        problems["due_date"] = InvalidInput(N_("Choose the new due date."))
    elif proposed_due(task, day, clock) <= task.due_at:
        problems["due_date"] = InvalidInput(
            N_("The new due date must be after the current one, %(due)s."),
            due=local_day_text(task.due_at, clock),
        )
    elif day > plan.period_end:
        problems["due_date"] = InvalidInput(
            N_("The new due date may not be after the plan ends, on %(end)s."),
            end=plan.period_end.strftime("%d/%m/%Y"),
        )
    reason_problem = _reason_problem(reason, N_("Give the reason for asking for an extension."))
    if reason_problem is not None:
        problems["reason"] = reason_problem
    return problems


def extension_events_for(
    user: User, task: Task, extensions: TaskExtensions, clock: Clock
) -> list[TaskEvent]:
    """The extension's events ``user`` may fire on ``task`` now (the API's ``actions`` and the
    page's forms list them beside the machine's)."""
    events = []
    asking = may_fire(user, TaskEvent.ASK_EXTENSION, task.unit_id)
    if asking and refusal_to_ask(task, extensions, clock) is None:
        events.append(TaskEvent.ASK_EXTENSION)
    if extensions.pending is not None:
        events += decisions_for(user, task, extensions.pending.request, clock)
    return events


def decisions_for(
    user: User, task: Task, request: DeadlineExtension, clock: Clock
) -> list[TaskEvent]:
    """What ``user`` may decide on the waiting ``request``: grant it (unless the task is
    approved, or due no earlier already), refuse it."""
    events = []
    granting = may_fire(user, TaskEvent.GRANT_EXTENSION, task.unit_id)
    if granting and _refusal_to_grant(task, request, clock) is None:
        events.append(TaskEvent.GRANT_EXTENSION)
    if may_fire(user, TaskEvent.REFUSE_EXTENSION, task.unit_id):
        events.append(TaskEvent.REFUSE_EXTENSION)
    return events


# The operations


def ask_extension(
    session: Session,
    user: User,
    task_id: int,
    version: int,
    day: date | None,
    reason: str,
    *,
    clock: Clock,
) -> DeadlineExtension:
    """The unit head asks for the task's due date to move to ``day``, saying why."""
    now = clock.now()
    task = visible_task(session, user, task_id)
    require_fire(user, TaskEvent.ASK_EXTENSION, task.unit_id)
    plan = session.get(Plan, task.plan_id)
    refusal = refusal_to_ask(task, task_extensions(session, task, plan), clock)
    if refusal is not None:
        raise refusal
    if version != task.version:
        raise StaleVersion()
    reason = (reason or "").strip()
    problems = request_problems(task, plan, day, reason, clock)
    if problems:
        raise InvalidFields(problems)
    request = DeadlineExtension(
        task_id=task.id,
        asked_by_id=user.id,
        asked_at=now,
        due_when_asked=task.due_at,
        proposed_due=proposed_due(task, day, clock),
        reason=reason,
    )
    try:
        with session.begin_nested():
            session.add(request)
            session.flush()
    except IntegrityError:
        # Another request was kept a moment before this one (the partial unique index).
        raise _already_waiting() from None
    _record(
        session, user, task, TaskEvent.ASK_EXTENSION, version, now, _dated(request, clock, reason)
    )
    return request


def grant_extension(
    session: Session, user: User, task_id: int, version: int, comment: str = "", *, clock: Clock
) -> DeadlineExtension:
    """The reviewer grants the waiting request: the task is due at the time asked for."""
    now = clock.now()
    task, request = _deciding(session, user, task_id, version, TaskEvent.GRANT_EXTENSION)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise InvalidFields({"reason": _too_long()})
    refusal = _refusal_to_grant(task, request, clock)
    if refusal is not None:
        raise refusal
    _decide(session, request, ExtensionStatus.GRANTED, user, now)
    _record(
        session,
        user,
        task,
        TaskEvent.GRANT_EXTENSION,
        version,
        now,
        _dated(request, clock, comment),
        due_at=request.proposed_due,
    )
    return request


def _deciding(
    session: Session, user: User, task_id: int, version: int, event: TaskEvent
) -> tuple[Task, DeadlineExtension]:
    """The task and its waiting request, after the checks every decision makes in the
    module's order: the task is there for ``user``, they may decide, a request waits, and
    they saw the task's latest version."""
    task = visible_task(session, user, task_id)
    require_fire(user, event, task.unit_id)
    request = _waiting_request(session, task)
    if version != task.version:
        raise StaleVersion()
    return task, request


def refuse_extension(
    session: Session, user: User, task_id: int, version: int, reason: str, *, clock: Clock
) -> DeadlineExtension:
    """The reviewer refuses the waiting request, saying why; the due date stays."""
    now = clock.now()
    task, request = _deciding(session, user, task_id, version, TaskEvent.REFUSE_EXTENSION)
    reason = (reason or "").strip()
    problem = _reason_problem(reason, N_("Give the reason for refusing the extension."))
    if problem is not None:
        raise InvalidFields({"reason": problem})
    _decide(session, request, ExtensionStatus.REFUSED, user, now, refusal_reason=reason)
    _record(
        session,
        user,
        task,
        TaskEvent.REFUSE_EXTENSION,
        version,
        now,
        _dated(request, clock, reason),
    )
    return request


# The service behind each decision, as ``web.actions`` runs them.
DECISIONS: dict[TaskEvent, Callable[..., DeadlineExtension]] = {
    TaskEvent.GRANT_EXTENSION: grant_extension,
    TaskEvent.REFUSE_EXTENSION: refuse_extension,
}


# The steps


def _refusal_to_grant(
    task: Task, request: DeadlineExtension, clock: Clock
) -> IllegalTransition | None:
    """Why the waiting request cannot be granted: the task is approved, or it is due no earlier
    than the time asked for already (its plan moved it meanwhile)."""
    if task.state == TaskState.REVIEWED:
        return IllegalTransition(
            state=TaskState(task.state).label,
            event=TaskEvent.GRANT_EXTENSION.label,
            labels=("state", "event"),
        )
    if request.proposed_due <= task.due_at:
        return ExtensionRefused(
            "moot",
            N_("The task is now due %(due)s, no earlier than asked for: refuse the request."),
            due=local_text(task.due_at, clock),
        )
    return None


def _already_waiting() -> ExtensionRefused:
    return ExtensionRefused(
        "pending",
        N_("A request for an extension of this task is already waiting for a decision."),
    )


def _waiting_request(session: Session, task: Task) -> DeadlineExtension:
    """The request waiting for a decision; ``AlreadyDecided`` if there is none."""
    requests = session.exec(
        select(DeadlineExtension)
        .where(DeadlineExtension.task_id == task.id)
        .order_by(DeadlineExtension.asked_at.desc(), DeadlineExtension.id.desc())
        .execution_options(populate_existing=True)
    ).all()
    waiting = [r for r in requests if r.status == ExtensionStatus.PENDING]
    if waiting:
        return waiting[0]
    if requests:
        raise AlreadyDecided(
            N_("This request for an extension was already decided (%(status)s): reload the task."),
            status=ExtensionStatus(requests[0].status).label,
            labels=("status",),
        )
    raise AlreadyDecided(N_("No request for an extension of this task is waiting."))


def _decide(
    session: Session,
    request: DeadlineExtension,
    status: ExtensionStatus,
    user: User,
    now: datetime,
    refusal_reason: str = "",
) -> None:
    """Compare-and-set the request's status: of two decisions at once, only one finds it
    waiting."""
    changed = session.execute(
        update(DeadlineExtension)
        .where(
            DeadlineExtension.id == request.id,
            DeadlineExtension.status == ExtensionStatus.PENDING.value,
        )
        .values(
            status=status.value,
            decided_by_id=user.id,
            decided_at=now,
            refusal_reason=refusal_reason,
        )
    ).rowcount
    if changed != 1:
        session.expire(request)
        raise AlreadyDecided(
            N_("This request for an extension was already decided (%(status)s): reload the task."),
            status=ExtensionStatus(request.status).label,
            labels=("status",),
        )
    session.refresh(request)


def _record(
    session: Session,
    user: User,
    task: Task,
    event: TaskEvent,
    version: int,
    now: datetime,
    comment: str,
    due_at: datetime | None = None,
) -> None:
    """The event in the task's history, and the task's next version (and due time), by
    compare-and-set on the version the user saw."""
    values = {"due_at": due_at, "due_approximate": False} if due_at is not None else {}
    record_step(session, user, task, event, version, now, comment, task.state, values)
    session.flush()
    session.refresh(task)


def _dated(request: DeadlineExtension, clock: Clock, words: str) -> str:
    """A history comment: from which due time to which, then the person's words."""
    dates = (
        f"{local_text(request.due_when_asked, clock)} → {local_text(request.proposed_due, clock)}"
    )
    return f"{dates}\n{words}" if words else dates


def _reason_problem(reason: str, missing: str) -> InvalidInput | None:
    if not reason:
        return InvalidInput(missing)
    if len(reason) > COMMENT_LIMIT:
        return _too_long()
    return None


def _too_long() -> InvalidInput:
    return InvalidInput(N_("A reason may be at most %(count)s characters."), count=COMMENT_LIMIT)
