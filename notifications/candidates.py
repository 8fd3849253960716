"""Which tasks may owe someone a reminder today: decided in SQL, so the sweep reads only them.

The rules (``rules``) say exactly which lines are due; running them over every open task of
every commune each day would read the whole country into memory to find the few lines that are
new. The database is asked instead, with the rules' own points: each distinct due instant (with
its reminder days) gets its latest point and its escalation point from ``rules``, and a task is a
candidate when someone who would get that point has no line for it yet; likewise the quarter's
list and the reviewers' weekly lines. The answer may hold a task the rules then find nothing for
(a head who switched digests off, say), never miss one they would (``test_candidates``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Text, cast, exists, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from notifications.rules import ESCALATED_TO, Rule, escalation_point, latest_point
from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.outbox.models import NotificationItem
from workflow.periods import Quarter
from workflow.plans.models import Plan, Responsibility
from workflow.plans.schema import reminder_rules
from workflow.tasks.deadlines import DONE_STATES
from workflow.tasks.models import DeadlineExtension, Task
from workflow.tasks.states import ExtensionStatus, TaskKind, TaskState
from workflow.working_days import WorkingCalendar

IN_LIST = 500  # due instants asked about in one statement

# The reminder days a responsibility sets, as the database writes them (None or 'null': none).
REMINDERS = cast(Responsibility.details["reminders"], Text)


def due_candidates(
    session: Session, calendar: WorkingCalendar, today: date, *where
) -> dict[int, list[int]]:
    """The ids of the tasks (meeting ``where``) that may have a line due ``today`` not yet
    recorded, by organisation: a few statements whatever the number of tasks."""
    if not calendar.is_working_day(today):
        return {}
    found: dict[int, set[int]] = defaultdict(set)
    for statement in _statements(session, calendar, today, where):
        for organisation_id, task_id in session.execute(statement):
            found[organisation_id].add(task_id)
    return {organisation: sorted(found[organisation]) for organisation in sorted(found)}


def _statements(session, calendar, today, where):
    head, overseer, reviewer = aliased(User), aliased(User), aliased(User)
    heads = (
        head,
        (head.unit_id == Task.unit_id)
        & (head.role == Role.UNIT_HEAD.value)
        & (head.active == True)  # noqa: E712
        & (head.email_digests == True),  # noqa: E712
    )
    overseers = (
        overseer,
        (overseer.organisation_id == Plan.organisation_id)
        & overseer.role.in_([role.value for role in ESCALATED_TO])
        & (overseer.active == True),  # noqa: E712
    )
    reviewers = (
        reviewer,
        (reviewer.organisation_id == Plan.organisation_id)
        & (reviewer.role == Role.REVIEWER.value)
        & (reviewer.active == True)  # noqa: E712
        & (reviewer.email_digests == True),  # noqa: E712
    )
    open_task = Task.state.not_in(DONE_STATES)
    head_points, escalations = _points(session, calendar, today, open_task, where)
    for (rule, on_date, reminders), dues in head_points.items():
        for chunk in _chunks(dues):
            yield _tasks(heads, rule, on_date, where, open_task, _due(chunk, reminders))
    for (on_date, reminders), dues in escalations.items():
        for chunk in _chunks(dues):
            yield _tasks(
                overseers, Rule.ESCALATION, on_date, where, open_task, _due(chunk, reminders)
            )
    quarter = Quarter.of(today)
    if today >= calendar.first_working_day_of_quarter(quarter):
        yield _tasks(
            heads, Rule.OPENING, quarter.first_day, where, open_task, Task.period == str(quarter)
        )
    week_point = calendar.first_working_day_of_week(today)
    opened = calendar.opening_instant(week_point)
    yield _tasks(
        reviewers,
        Rule.REVIEW,
        week_point,
        where,
        Task.state == TaskState.REPORTED.value,
        Task.kind != TaskKind.CONTRIBUTION.value,
        Task.updated_at < opened,
    )
    waiting = exists().where(
        DeadlineExtension.task_id == Task.id,
        DeadlineExtension.status == ExtensionStatus.PENDING.value,
        DeadlineExtension.asked_at < opened,
    )
    yield _tasks(reviewers, Rule.EXTENSION_REVIEW, week_point, where, waiting)


def _points(session, calendar: WorkingCalendar, today: date, open_task, where):
    """Each distinct (due instant, reminder days) of the open tasks, grouped by the latest
    reminder point the rules give it and by its escalation point, once they have come."""
    head_points: dict[tuple, list[datetime]] = defaultdict(list)
    escalations: dict[tuple, list[datetime]] = defaultdict(list)
    rows = session.execute(_from_tasks(Task.due_at, REMINDERS).where(open_task, *where).distinct())
    for due_at, reminders in rows:
        rules = reminder_rules({"reminders": json.loads(reminders) if reminders else None})
        due_day = calendar.local_day(due_at)
        point = latest_point(due_day, rules, today)
        if point is not None:
            head_points[(*point, reminders)].append(due_at)
        escalation = escalation_point(due_day, rules, today)
        if escalation is not None:
            escalations[(escalation, reminders)].append(due_at)
    return head_points, escalations


def _due(dues: list[datetime], reminders: str | None):
    same_reminders = REMINDERS.is_(None) if reminders is None else reminders == REMINDERS
    return Task.due_at.in_(dues) & same_reminders


def _tasks(people, rule: Rule, on_date: date, where, *conditions):
    """The tasks meeting ``conditions`` with someone among ``people`` who has no ``rule`` line
    on ``on_date`` for them."""
    person, joined = people
    recorded = exists().where(
        NotificationItem.task_id == Task.id,
        NotificationItem.recipient_id == person.id,
        NotificationItem.rule == rule.value,
        NotificationItem.on_date == on_date,
    )
    return (
        _from_tasks(Plan.organisation_id, Task.id)
        .join(person, joined)
        .where(*conditions, *where, ~recorded)
        .distinct()
    )


def _from_tasks(*columns):
    return (
        select(*columns)
        .select_from(Task)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Plan, Plan.id == Task.plan_id)
        .where(Responsibility.retired == False)  # noqa: E712
    )


def _chunks(items: list) -> list[list]:
    return [items[start : start + IN_LIST] for start in range(0, len(items), IN_LIST)]
