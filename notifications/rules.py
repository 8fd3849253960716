"""What is due for whom: pure functions of (tasks, people, today, calendar), no database, no I/O.

Every reminder has a *point*: the date the plan's rules put it on (14, 7, 3, 1 and 0 days before
the due day; the day after it, then every 7 days; escalation at 7 days overdue; the weekly review
digest on the week's first working day; the quarter's list on its first working day). A point on a
weekend or holiday is delivered on the next working day. On a run, each task yields at most its
latest point that has come (so after downtime it catches up once, with the days counted from the
run), and the caller drops those already in the outbox: a point's key is unique.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from workflow.accounts.roles import Role
from workflow.periods import Quarter
from workflow.plans.schema import DEFAULT_REMINDERS
from workflow.tasks.deadlines import is_done
from workflow.tasks.states import TaskKind, TaskState
from workflow.working_days import WorkingCalendar

# Who is told of overdue work, whatever their digest setting: escalations cannot be switched off.
ESCALATED_TO = frozenset({Role.REVIEWER, Role.LEADER})


class Rule(StrEnum):
    OPENING = "opening"  # the quarter's list, to the unit head
    BEFORE = "before"  # due soon, to the unit head
    OVERDUE = "overdue"  # to the unit head
    ESCALATION = "escalation"  # to reviewers and leaders; cannot be switched off
    REVIEW = "review"  # weekly: reports waiting for review, to reviewers
    RETURNED = "returned"  # at once: a report was returned, to the unit head
    EXTENSION = "extension"  # at once: asked for (to reviewers), decided (to the unit head)
    EXTENSION_REVIEW = "extension_review"  # weekly: requests waiting for a decision, to reviewers
    CONTRIBUTION = "contribution"  # at once: a contribution sent, to the lead unit's heads


# What a person's digest setting stops; escalations and returned-report notices go out whatever
# it says (a mail of escalations alone is not a digest: it has no unsubscribe link).
SWITCHED_OFF_BY_DIGESTS = frozenset(
    {Rule.OPENING, Rule.BEFORE, Rule.OVERDUE, Rule.REVIEW, Rule.EXTENSION_REVIEW}
)


@dataclass(frozen=True)
class TaskFacts:
    """What the rules and the emails need to know about one open task."""

    id: int
    unit_id: int
    unit_name: str
    ref: str
    title: str
    plan_ref: str
    plan_title: str
    period: str
    occurrence_label: str
    due_at: datetime
    due_day: date  # the local date of ``due_at``
    state: str
    updated_at: datetime
    reminders: dict = field(default_factory=lambda: dict(DEFAULT_REMINDERS))
    organisation_id: int = 0
    kind: str = TaskKind.DUTY.value  # a contribution is reminded like any task, listed apart
    extension_asked_at: datetime | None = None  # when the request still waiting was sent

    @property
    def is_contribution(self) -> bool:
        return self.kind == TaskKind.CONTRIBUTION


@dataclass(frozen=True)
class Person:
    id: int
    role: str
    unit_id: int | None
    email_digests: bool = True
    organisation_id: int = 0


@dataclass(frozen=True)
class Due:
    """One line of someone's digest: ``rule`` for ``task_id`` at the point ``on_date``;
    ``days`` is days left (opening, before), overdue (overdue, escalation) or waiting (review)."""

    recipient_id: int
    task_id: int
    rule: Rule
    on_date: date
    days: int

    @property
    def key(self) -> str:
        return f"{self.recipient_id}/task:{self.task_id}/{self.rule}/{self.on_date.isoformat()}"


def due_items(
    tasks: list[TaskFacts], people: list[Person], today: date, calendar: WorkingCalendar
) -> list[Due]:
    """Every reminder due on ``today`` (nothing on a day off), before dropping those sent."""
    if not calendar.is_working_day(today):
        return []
    heads: dict[int, list[Person]] = {}
    overseers: dict[int, list[Person]] = {}
    reviewers: dict[int, list[Person]] = {}
    for person in people:
        if person.role == Role.UNIT_HEAD and person.unit_id is not None:
            heads.setdefault(person.unit_id, []).append(person)
        if person.role in ESCALATED_TO:
            overseers.setdefault(person.organisation_id, []).append(person)
        if person.role == Role.REVIEWER:
            reviewers.setdefault(person.organisation_id, []).append(person)
    items: list[Due] = []
    for task in tasks:
        deciders = reviewers.get(task.organisation_id, [])
        if task.state == TaskState.REPORTED and not task.is_contribution:  # the lead takes it in
            items += waiting_items(task, task.updated_at, Rule.REVIEW, deciders, today, calendar)
        if task.extension_asked_at is not None:
            asked = task.extension_asked_at
            items += waiting_items(task, asked, Rule.EXTENSION_REVIEW, deciders, today, calendar)
        if is_done(task.state):
            continue
        for head in heads.get(task.unit_id, []):
            items += head_items(task, head, today, calendar)
        items += escalation_items(task, overseers.get(task.organisation_id, []), today)
    switched_off = {person.id for person in people if not person.email_digests}
    return [
        item
        for item in items
        if not (item.rule in SWITCHED_OFF_BY_DIGESTS and item.recipient_id in switched_off)
    ]


def is_digest(items: list[Due]) -> bool:
    """Whether the digest setting could have stopped some of ``items``: a mail of escalations
    alone is not a digest, and offers no way to unsubscribe."""
    return any(item.rule in SWITCHED_OFF_BY_DIGESTS for item in items)


def is_catch_up(item: Due, today: date, calendar: WorkingCalendar) -> bool:
    """Whether ``item`` comes later than the working day its point was delivered on: after
    downtime, to a head named since, or to one who switched digests on again."""
    return today > calendar.next_working_day(item.on_date)


def head_items(task: TaskFacts, head: Person, today: date, calendar: WorkingCalendar) -> list[Due]:
    """The quarter's list (once per task), and the latest reminder point that has come."""
    items = []
    quarter = Quarter.of(today)
    if task.period == str(quarter) and today >= calendar.first_working_day_of_quarter(quarter):
        left = (task.due_day - today).days
        items.append(Due(head.id, task.id, Rule.OPENING, quarter.first_day, left))
    point = latest_point(task.due_day, task.reminders, today)
    if point is not None:
        rule, on_date = point
        days = (task.due_day - today).days if rule is Rule.BEFORE else (today - task.due_day).days
        items.append(Due(head.id, task.id, rule, on_date, days))
    return items


def latest_point(due_day: date, rules: dict, today: date) -> tuple[Rule, date] | None:
    """The last reminder point on or before ``today`` for a task due on ``due_day``.

    On a working day, a point has come exactly when it is on or before today: a point on a day
    off is delivered on the next working day, which is at the latest today.
    """
    points = [(due_day - timedelta(days=k), Rule.BEFORE) for k in rules["before_days"]]
    first = due_day + timedelta(days=rules["overdue_after_days"])
    if first <= today:
        every = rules["overdue_every_days"]
        points.append((first + timedelta(days=(today - first).days // every * every), Rule.OVERDUE))
    come = [(on_date, rule) for on_date, rule in points if on_date <= today]
    if not come:
        return None
    on_date, rule = max(come, key=lambda point: (point[0], point[1] is Rule.OVERDUE))
    return rule, on_date


def escalation_items(task: TaskFacts, overseers: list[Person], today: date) -> list[Due]:
    """At ``escalate_after_days`` overdue, once, to every reviewer and leader."""
    point = escalation_point(task.due_day, task.reminders, today)
    if point is None:
        return []
    days = (today - task.due_day).days
    return [Due(person.id, task.id, Rule.ESCALATION, point, days) for person in overseers]


def escalation_point(due_day: date, rules: dict, today: date) -> date | None:
    """The escalation's point for a task due on ``due_day``, once it has come."""
    point = due_day + timedelta(days=rules["escalate_after_days"])
    if point > today or due_day >= today:
        return None
    return point


def waiting_items(
    task: TaskFacts,
    since: datetime,
    rule: Rule,
    reviewers: list[Person],
    today: date,
    calendar: WorkingCalendar,
) -> list[Due]:
    """What waits for the reviewers since ``since`` (a report, a request for an extension)
    when the week's first working day opened goes in that week's digest: a reminder of what
    each was told of once, at the time."""
    week_point = calendar.first_working_day_of_week(today)
    if since >= calendar.opening_instant(week_point):
        return []
    waited = (today - calendar.local_day(since)).days
    return [Due(person.id, task.id, rule, week_point, waited) for person in reviewers]


@dataclass(frozen=True)
class EventFacts:
    """A step of a task someone must hear of at once: a report sent back (``return``), a
    deadline extension asked for, granted or refused, or a contribution sent (``report`` of a
    contribution); ``reason`` is its comment, ``actor_name`` who took it; ``pending`` whether
    the task still has a request waiting; ``lead_unit_ids`` the units leading the duty a
    contribution is for."""

    event_id: int
    event: str
    task: TaskFacts
    at: datetime
    reason: str
    actor_name: str
    pending: bool = False
    lead_unit_ids: frozenset[int] = frozenset()


# Which steps are told at once, and to whom: the unit's heads hear of a return (while the task
# is still returned) and of a decision on their request; the reviewers of a request (while it
# still waits for one of them); the heads of the lead unit of a contribution sent (while it
# waits for them to take it in).
TOLD_TO_HEADS = frozenset({"return", "grant_extension", "refuse_extension"})
TOLD_TO_REVIEWERS = frozenset({"ask_extension"})
TOLD_TO_LEADS = frozenset({"report"})  # of a contribution only


def event_notices(steps: list[EventFacts], people: list[Person]) -> list[tuple[Person, EventFacts]]:
    """Each step for each person it is told to (whatever their digest setting: these are not
    digests), while it still matters."""
    heads: dict[int, list[Person]] = {}
    reviewers: dict[int, list[Person]] = {}
    for person in people:
        if person.role == Role.UNIT_HEAD and person.unit_id is not None:
            heads.setdefault(person.unit_id, []).append(person)
        if person.role == Role.REVIEWER:
            reviewers.setdefault(person.organisation_id, []).append(person)
    notices = []
    for facts in steps:
        if facts.event == "return" and facts.task.state != TaskState.RETURNED:
            continue
        if facts.event in TOLD_TO_HEADS:
            notices += [(head, facts) for head in heads.get(facts.task.unit_id, [])]
        elif facts.event in TOLD_TO_REVIEWERS and facts.pending:
            notices += [(r, facts) for r in reviewers.get(facts.task.organisation_id, [])]
        elif facts.event in TOLD_TO_LEADS and waits_for_lead(facts.task):
            for unit_id in sorted(facts.lead_unit_ids):
                notices += [(head, facts) for head in heads.get(unit_id, [])]
    return notices


def waits_for_lead(task: TaskFacts) -> bool:
    """A contribution sent and not yet taken in (approved or returned) by the lead."""
    return task.is_contribution and task.state == TaskState.REPORTED


def notice_rule(facts: EventFacts) -> Rule:
    """What a notice is (its outbox kind): of a returned report, of an extension's step, or of
    a contribution sent."""
    if facts.event == "return":
        return Rule.RETURNED
    if facts.event in TOLD_TO_LEADS:
        return Rule.CONTRIBUTION
    return Rule.EXTENSION


NOTICE_RULES = frozenset({Rule.RETURNED, Rule.EXTENSION, Rule.CONTRIBUTION})


def notice_key(recipient_id: int, facts: EventFacts) -> str:
    """A notice's key: one per person and step (a return keeps the key it always had)."""
    return f"{recipient_id}/task:{facts.task.id}/{notice_rule(facts)}/event:{facts.event_id}"
