"""Explanation requests (yêu cầu giải trình): a leader asks a unit why a target it reports was
missed in a quarter, and by when to answer.

The request is a task of its own (``Task.kind == TaskKind.EXPLANATION.value``), filed under the
responsibility through which the unit reports the target, for the quarter missed, due on the
day the leader chose: the unit answers it as any task, by a report that Ban Xây dựng Đảng
approves or returns, and reminders, lists and accountability count it like any other. Its
history begins with the request, who asked and what. Its label is written in Vietnamese, the
plan's language, as a phase's label is.

One may ask only about a target that is missed (red, ``workflow.targets.status``) in that
quarter, for the ward or for that unit, and only once at a time: a second request for the same
target, unit and quarter waits until the first is approved. Of two leaders asking at once, the
database keeps one (the task's unique key): the other is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import IllegalTransition, InvalidFields, InvalidInput, NotAllowed
from workflow.i18n import N_
from workflow.permissions import Access, require
from workflow.plans.models import Target
from workflow.targets.figures import begun_quarter, checked, owing_responsibility, visible_target
from workflow.targets.progress import targets_progress
from workflow.targets.status import TargetStatus
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.operations import COMMENT_LIMIT
from workflow.tasks.states import OPENED, TaskKind, TaskState

LABEL = "Giải trình chỉ tiêu {ref}"
DUE_AT = time(17, 0)


class ExplanationRefused(IllegalTransition):
    """An explanation cannot be asked for now: ``why`` is ``not_missed`` or ``waiting``."""

    code = "explanation_refused"

    def __init__(self, why: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.why = why


@dataclass(frozen=True)
class ExplanationRequest:
    """What an explanation task answers: the target, the quarter, who asked, when and what."""

    target: Target
    asked_by: User | None
    asked_at: datetime
    text: str


def request_explanation(
    session: Session,
    user: User,
    target_id: int,
    unit_id: int,
    period: str,
    due_on: date | None,
    text: str,
    clock: Clock,
) -> Task:
    """A leader asks ``unit_id`` to explain ``target_id``'s figure of ``period`` by ``due_on``."""
    target, plan = visible_target(session, user, target_id)
    require(user, Access.EXPLANATION_REQUESTS, plan.organisation_id)
    today = clock.today()
    responsibility_id = owing_responsibility(session, target, unit_id)
    if responsibility_id is None:
        raise NotAllowed(N_("That unit does not report this target."))
    problems: dict[str, InvalidInput] = {}
    quarter = checked(problems, "period", lambda: begun_quarter(plan, period, today))
    if due_on is None or due_on <= today:
        problems["due_on"] = InvalidInput(N_("Choose a day after today."))
    text = text.strip()
    if not text:
        problems["text"] = InvalidInput(N_("Say what the unit should explain."))
    elif len(text) > COMMENT_LIMIT:
        problems["text"] = InvalidInput(N_("At most %(count)s characters."), count=COMMENT_LIMIT)
    if problems:
        raise InvalidFields(problems)
    (progress,) = targets_progress(session, plan, [quarter], today, target_id=target.id)
    standing = progress.at(quarter)
    unit_line = next((u for u in standing.units if u.unit_id == unit_id), None)
    if TargetStatus.MISSED not in (
        standing.assessment.status,
        unit_line.assessment.status if unit_line else None,
    ):
        raise ExplanationRefused(
            "not_missed",
            N_("Target %(ref)s is not missed in that quarter: there is nothing to explain."),
            ref=target.ref,
        )
    earlier = session.exec(
        select(Task.state, Task.occurrence).where(
            Task.responsibility_id == responsibility_id,
            Task.unit_id == unit_id,
            Task.period == str(quarter),
            Task.kind == TaskKind.EXPLANATION.value,
            Task.target_id == target.id,
        )
    ).all()
    if any(state != TaskState.REVIEWED.value for state, _ in earlier):
        raise _waiting(target)
    lowest = session.exec(
        select(func.min(Task.occurrence)).where(
            Task.responsibility_id == responsibility_id,
            Task.unit_id == unit_id,
            Task.period == str(quarter),
        )
    ).one()
    now = clock.now()
    task = Task(
        plan_id=plan.id,
        responsibility_id=responsibility_id,
        unit_id=unit_id,
        period=str(quarter),
        occurrence=min(lowest or 0, 0) - 1,
        occurrence_label=LABEL.format(ref=target.ref),
        kind=TaskKind.EXPLANATION.value,
        target_id=target.id,
        due_at=clock.instant(due_on, DUE_AT),
        created_at=now,
        updated_at=now,
        last_activity_at=now,  # opened by the leader who asks (the step below)
    )
    try:
        with session.begin_nested():
            session.add(task)
            session.flush()
    except IntegrityError:
        raise _waiting(target) from None  # another leader's request, a moment before
    session.add(
        TaskEventRecord(
            task_id=task.id,
            actor_id=user.id,
            at=now,
            event=OPENED,
            to_state=TaskState.ASSIGNED.value,
            comment=text,
        )
    )
    session.flush()
    return task


def _waiting(target: Target) -> ExplanationRefused:
    return ExplanationRefused(
        "waiting",
        N_("An explanation of target %(ref)s by this unit for that quarter is already awaited."),
        ref=target.ref,
    )


def explanation_request(session: Session, task: Task) -> ExplanationRequest | None:
    """What an explanation task answers; ``None`` for a duty."""
    if task.kind != TaskKind.EXPLANATION:
        return None
    target = session.get(Target, task.target_id)
    opened = session.exec(
        select(TaskEventRecord, User)
        .outerjoin(User, User.id == TaskEventRecord.actor_id)
        .where(TaskEventRecord.task_id == task.id, TaskEventRecord.event == OPENED)
        .order_by(TaskEventRecord.id)
    ).first()
    event, asked_by = opened
    return ExplanationRequest(target, asked_by, event.at, event.comment)
