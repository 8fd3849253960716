"""The sweep: ask the database which tasks may owe a reminder, ask the rules what is due for
them, queue one digest per person, one organisation at a time.

What is due is decided in SQL (``candidates``), so a day's sweep reads only the tasks with a new
line, whatever the number of communes. Each organisation's digests are read and rendered first,
then written in a short transaction of their own, serialised against other sweeps
(``outbox.serialise_writers``): each reminder line is inserted if absent under its unique key and
only the lines that transaction inserted make its digests, so running the sweep twice, or twice
at once, queues nothing new the second time; an organisation that fails loses no other's mail.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, String, cast, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from notifications import outbox
from notifications.candidates import IN_LIST, due_candidates
from notifications.messages import Rendered, render_digest, render_notice
from notifications.rules import (
    NOTICE_RULES,
    TOLD_TO_HEADS,
    TOLD_TO_LEADS,
    TOLD_TO_REVIEWERS,
    Due,
    EventFacts,
    Person,
    TaskFacts,
    due_items,
    event_notices,
    is_digest,
    notice_key,
    notice_rule,
)
from notifications.settings import NotificationSettings
from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.organisations.models import Unit
from workflow.outbox.models import NotificationItem, OutboxMessage
from workflow.plans.models import Plan, Responsibility
from workflow.plans.schema import reminder_rules
from workflow.tasks.contributions import lead_units_of
from workflow.tasks.models import DeadlineExtension, Task, TaskEventRecord
from workflow.tasks.states import ExtensionStatus, TaskKind, TaskState
from workflow.working_days import WorkingCalendar

NOTICE_LOOKBACK = timedelta(days=7)
log = logging.getLogger("giaoviec.sweep")


@dataclass(frozen=True)
class Queued:
    """A message a run queued (or, in a dry run, would have)."""

    to_address: str
    to_name: str
    kind: str
    subject: str
    lines: int


@dataclass
class SweepResult:
    day: date
    queued: list[Queued] = field(default_factory=list)


def sweep_day(settings: NotificationSettings, now: datetime) -> date:
    """The working day a sweep at ``now`` speaks for: today during or before working hours,
    the next working day after them (its mail waits for the office to open)."""
    return settings.calendar.local_day(settings.calendar.next_open_instant(now))


def run_sweep(
    engine: Engine, settings: NotificationSettings, now: datetime, dry_run: bool = False
) -> SweepResult:
    """Queue today's digests, organisation by organisation, then the notices told at once;
    ``dry_run`` writes nothing."""
    day = sweep_day(settings, now)
    result = SweepResult(day)
    with Session(engine) as session:
        batches = due_candidates(session, settings.calendar, day, still_reminded(settings, now))
    for organisation_id, task_ids in batches.items():
        with Session(engine, expire_on_commit=False) as session:
            digests = list(organisation_digests(session, settings, now, organisation_id, task_ids))
        if not digests:
            continue
        with Session(engine, expire_on_commit=False) as session:
            outbox.serialise_writers(session, "giaoviec.sweep")
            result.queued += queue_digests(session, settings, now, digests)
            _end(session, dry_run)
    result.queued += queue_notices(engine, settings, now, dry_run).queued
    return result


def _end(session: Session, dry_run: bool) -> None:
    if dry_run:
        session.rollback()
    else:
        session.commit()


@dataclass(frozen=True)
class Digest:
    """The lines due for one person on one day not yet recorded when they were read, rendered;
    ``tasks`` and ``heads`` render it again should another sweep record some meanwhile."""

    user: User
    day: date
    lines: list[Due]
    rendered: Rendered
    tasks: dict[int, TaskFacts]
    heads: dict[int, list[User]]


def organisation_digests(
    session: Session,
    settings: NotificationSettings,
    now: datetime,
    organisation_id: int,
    task_ids: list[int],
) -> Iterator[Digest]:
    """The digests of one organisation's people about ``task_ids``: what the rules find due,
    less the lines already recorded, rendered; reads only."""
    day = sweep_day(settings, now)
    tasks: dict[int, TaskFacts] = {}
    recorded: set[str] = set()
    for start in range(0, len(task_ids), IN_LIST):
        chunk = task_ids[start : start + IN_LIST]
        tasks |= load_tasks(session, settings.calendar, Task.id.in_(chunk))
        recorded.update(
            session.scalars(select(NotificationItem.key).where(NotificationItem.task_id.in_(chunk)))
        )
    users = load_users(session, User.organisation_id == organisation_id)
    people = [person_of(user) for user in users.values()]
    by_recipient: dict[int, list[Due]] = {}
    for item in due_items(list(tasks.values()), people, day, settings.calendar):
        if item.key not in recorded:
            by_recipient.setdefault(item.recipient_id, []).append(item)
    heads = heads_by_unit(users)
    as_of = settings.calendar.next_open_instant(now)  # when the digest will be read
    for recipient_id, lines in sorted(by_recipient.items()):
        user = users[recipient_id]
        rendered = render_digest(user, lines, tasks, heads, as_of, settings.calendar)
        yield Digest(user, day, lines, rendered, tasks, heads)


def digest_key(recipient_id: int, day: date, lines: list[Due]) -> str:
    """Whom, which day, and which lines: a second digest the same day carries other lines, so
    it has a key of its own and is sent too."""
    content = hashlib.sha256("\n".join(sorted(line.key for line in lines)).encode()).hexdigest()
    return f"{recipient_id}/digest/daily/{day.isoformat()}/{content[:16]}"


def queue_digests(session, settings, now, digests: list[Digest]) -> list[Queued]:
    """Record the lines not yet recorded and queue the messages that carry them, a statement
    per table for the lot. A line recorded since it was read (by another sweep) leaves its
    digest, which is rendered again without it; a digest whose message cannot be queued (its
    key is taken) records none of its lines, so the next run tries them again instead of
    losing them."""
    keys = [line.key for digest in digests for line in digest.lines]
    taken: set[str] = set()
    for start in range(0, len(keys), IN_LIST):
        chunk = keys[start : start + IN_LIST]
        taken.update(
            session.scalars(select(NotificationItem.key).where(NotificationItem.key.in_(chunk)))
        )
    as_of = settings.calendar.next_open_instant(now)
    ready: list[_Message] = []
    for digest in digests:
        lines = [line for line in digest.lines if line.key not in taken]
        if not lines:
            continue
        rendered = digest.rendered
        if len(lines) < len(digest.lines):
            rendered = render_digest(
                digest.user, lines, digest.tasks, digest.heads, as_of, settings.calendar
            )
        key = digest_key(digest.user.id, digest.day, lines)
        rows = [_line_row(line, now) for line in lines]
        ready.append(_Message(digest.user, digest_kind(lines), key, rendered, rows))
    queued = _queue_messages(session, settings, now, ready)
    queued_keys = {message.key for message in queued}
    for message in ready:
        if message.key not in queued_keys:
            log.warning(
                "digest %s is already queued: its %s lines wait for the next run",
                message.key,
                len(message.lines),
            )
    return [message.queued() for message in queued]


@dataclass(frozen=True)
class _Message:
    """A message to queue, with the lines it carries (recorded with it, or not at all)."""

    user: User
    kind: str
    key: str
    rendered: Rendered
    lines: list[dict]

    def queued(self) -> Queued:
        """What the run reports of it: to whom, what, and how many lines."""
        user, subject = self.user, self.rendered.subject
        return Queued(
            user.email, user.full_name or user.username, self.kind, subject, len(self.lines)
        )


def _queue_messages(session, settings, now, messages: list[_Message]) -> list[_Message]:
    """Queue ``messages`` (one statement) and record the lines of those queued (one more); a
    message whose key is taken records none of its lines. Returns those queued."""
    rows = [_message_row(settings, now, message) for message in messages]
    ids = {key: id_ for id_, key in outbox.insert_if_absent(session, OutboxMessage, rows)}
    queued = [message for message in messages if message.key in ids]
    lines = [line | {"outbox_id": ids[m.key]} for m in queued for line in m.lines]
    outbox.insert_if_absent(session, NotificationItem, lines)
    return queued


def digest_kind(lines: list[Due]) -> str:
    """Only a 'digest' carries an unsubscribe link (``mailer``); 'escalation' cannot be stopped."""
    return "digest" if is_digest(lines) else "escalation"


def _line_row(line: Due, now: datetime) -> dict:
    return {
        "key": line.key,
        "recipient_id": line.recipient_id,
        "task_id": line.task_id,
        "rule": line.rule.value,
        "on_date": line.on_date,
        "created_at": now,
    }


def queue_notices(
    engine: Engine, settings: NotificationSettings, now: datetime, dry_run: bool = False
) -> SweepResult:
    """Whoever must hear of a step of a task at once is told (in working hours), once per step:
    the head of a unit whose report came back or whose request for an extension was decided,
    the reviewers of a request waiting (``rules.event_notices``). A catch-up scan of the last
    week's steps nobody has been told of yet, one organisation at a time, each in a
    transaction of its own; ``dry_run`` writes nothing."""
    result = SweepResult(sweep_day(settings, now))
    since = now - NOTICE_LOOKBACK
    with Session(engine) as session:
        organisations = session.scalars(
            select(Plan.organisation_id)
            .distinct()
            .select_from(TaskEventRecord)
            .join(Task, Task.id == TaskEventRecord.task_id)
            .join(Plan, Plan.id == Task.plan_id)
            .where(told_at_once(since), not_yet_told())
            .order_by(Plan.organisation_id)
        ).all()
    for organisation_id in organisations:
        with Session(engine, expire_on_commit=False) as session:
            outbox.serialise_writers(session, "giaoviec.sweep")
            result.queued += _queue_notices(session, settings, now, organisation_id)
            _end(session, dry_run)
    return result


def _queue_notices(session, settings, now, organisation_id: int) -> list[Queued]:
    steps = load_steps(
        session, now - NOTICE_LOOKBACK, settings.calendar, Plan.organisation_id == organisation_id
    )
    users = load_users(session, User.organisation_id == organisation_id)
    notices = event_notices(steps, [person_of(user) for user in users.values()])
    as_of = settings.calendar.next_open_instant(now)  # when the notice will be read
    day = sweep_day(settings, now)
    ready = []
    for person, facts in notices:
        user, kind = users[person.id], notice_rule(facts).value
        key = notice_key(person.id, facts)
        line = {
            "key": key,
            "recipient_id": user.id,
            "task_id": facts.task.id,
            "rule": kind,
            "on_date": day,
            "created_at": now,
        }
        rendered = render_notice(user, facts, as_of, settings.calendar)
        ready.append(_Message(user, kind, key, rendered, [line]))
    return [message.queued() for message in _queue_messages(session, settings, now, ready)]


def _message_row(settings, now, message: _Message) -> dict:
    user, rendered = message.user, message.rendered
    return {
        "key": message.key,
        "kind": message.kind,
        "recipient_id": user.id,
        "to_address": user.email,
        "to_name": user.full_name or user.username,
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "message_id": outbox.message_id(message.key, settings.mail.mail_from),
        "status": "queued",
        "attempts": 0,
        "last_error": "",
        "created_at": now,
        "next_attempt_at": settings.calendar.next_open_instant(now),
    }


def load_tasks(session: Session, calendar: WorkingCalendar, *where) -> dict[int, TaskFacts]:
    """Every task not yet approved (and meeting ``where``), with what the rules and emails
    need: one query."""
    query = _task_columns().where(Task.state != TaskState.REVIEWED.value, *where)
    return {row.id: _task_facts(row, calendar) for row in session.execute(query).all()}


def still_reminded(settings: NotificationSettings, now: datetime):
    """SQL: a task someone is still reminded of: not overdue longer than the settings give up
    after (a plan's tasks fall due within its period, so a plan long closed is reminded of
    no more); a report waiting for review is listed to the reviewers however old."""
    cutoff = now - timedelta(days=settings.give_up_after_days)
    return (Task.due_at >= cutoff) | (Task.state == TaskState.REPORTED.value)


def told_at_once(since: datetime):
    """SQL: the steps since ``since`` that ``rules.event_notices`` tells someone of while they
    still matter: a return while the report is still returned, an extension granted or
    refused, a request while it still waits, a contribution sent while the lead has not taken
    it in. The rules decide who; this only spares the minute job the steps that no longer
    matter (read again every minute for a week, they cost a country's scan seconds)."""
    event = TaskEventRecord.event
    waiting = (
        select(DeadlineExtension.id)
        .where(
            DeadlineExtension.task_id == Task.id,
            DeadlineExtension.status == ExtensionStatus.PENDING.value,
        )
        .exists()
    )
    return (TaskEventRecord.at >= since) & or_(
        (event == "return") & (Task.state == TaskState.RETURNED.value),
        event.in_(TOLD_TO_HEADS - {"return"}),
        event.in_(TOLD_TO_REVIEWERS) & waiting,
        event.in_(TOLD_TO_LEADS)
        & (Task.kind == TaskKind.CONTRIBUTION.value)
        & (Task.state == TaskState.REPORTED.value),
    )


def not_yet_told():
    """SQL: a step no notice has been recorded for. A notice's line ends its key with its
    step's id (``rules.notice_key``), and all the notices of one organisation's steps are
    queued in one transaction, so one line says everyone was told."""
    return ~(
        select(NotificationItem.id)
        .where(
            NotificationItem.task_id == TaskEventRecord.task_id,
            NotificationItem.rule.in_([rule.value for rule in NOTICE_RULES]),
            NotificationItem.key.like(literal("%/event:") + cast(TaskEventRecord.id, String)),
        )
        .exists()
    )


def load_steps(
    session: Session, since: datetime, calendar: WorkingCalendar, *where
) -> list[EventFacts]:
    """The steps since ``since`` (meeting ``where``) nobody has been told of yet that someone
    may have to be, with their task and who took them, whether the task still has a request
    for an extension waiting, and for a contribution the units leading its duty: two
    queries."""
    actor = aliased(User)
    rows = session.execute(
        _task_columns()
        .add_columns(
            TaskEventRecord.id.label("event_id"),
            TaskEventRecord.event.label("event_name"),
            TaskEventRecord.at.label("event_at"),
            TaskEventRecord.comment,
            actor.full_name.label("actor_full_name"),
            actor.username.label("actor_username"),
        )
        .join(TaskEventRecord, TaskEventRecord.task_id == Task.id)
        .outerjoin(actor, actor.id == TaskEventRecord.actor_id)
        .where(told_at_once(since), not_yet_told(), *where)
        .order_by(TaskEventRecord.id)
    ).all()
    contributions = {row.id for row in rows if row.kind == TaskKind.CONTRIBUTION}
    leads = lead_units_of(session, contributions) if contributions else {}
    return [
        EventFacts(
            event_id=row.event_id,
            event=row.event_name,
            task=_task_facts(row, calendar),
            at=row.event_at,
            reason=row.comment,
            actor_name=row.actor_full_name or row.actor_username or "",
            pending=row.extension_asked_at is not None,
            lead_unit_ids=leads.get(row.id, frozenset()),
        )
        for row in rows
    ]


def load_users(session: Session, *where) -> dict[int, User]:
    """Every active user (meeting ``where``): one query."""
    users = session.scalars(
        select(User).where(User.active == True, *where).order_by(User.id)  # noqa: E712
    )
    return {user.id: user for user in users}


def person_of(user: User) -> Person:
    return Person(user.id, user.role, user.unit_id, user.email_digests, user.organisation_id)


def heads_by_unit(users: dict[int, User]) -> dict[int, list[User]]:
    heads: dict[int, list[User]] = {}
    for user in users.values():
        if user.role == Role.UNIT_HEAD and user.unit_id is not None:
            heads.setdefault(user.unit_id, []).append(user)
    return heads


def _task_columns():
    asked = (  # a task has at most one request waiting
        select(func.min(DeadlineExtension.asked_at))
        .where(
            DeadlineExtension.task_id == Task.id,
            DeadlineExtension.status == ExtensionStatus.PENDING.value,
        )
        .correlate(Task)
        .scalar_subquery()
    )
    return (
        select(
            Task.id,
            Task.unit_id,
            Unit.name.label("unit_name"),
            Unit.short_name.label("unit_short_name"),
            Responsibility.ref,
            Responsibility.title,
            Responsibility.details,
            Plan.code.label("plan_code"),
            Plan.number.label("plan_number"),
            Plan.symbol.label("plan_symbol"),
            Plan.title.label("plan_title"),
            Plan.organisation_id,
            Task.period,
            Task.occurrence_label,
            Task.due_at,
            Task.state,
            Task.updated_at,
            Task.kind,
            asked.label("extension_asked_at"),
        )
        .join(Unit, Unit.id == Task.unit_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Plan, Plan.id == Task.plan_id)
        .where(Responsibility.retired == False)  # noqa: E712
    )


def _task_facts(row, calendar: WorkingCalendar) -> TaskFacts:
    plan_ref = f"{row.plan_number}-{row.plan_symbol}" if row.plan_number else row.plan_code
    return TaskFacts(
        id=row.id,
        unit_id=row.unit_id,
        unit_name=row.unit_short_name or row.unit_name,
        ref=row.ref,
        title=row.title,
        plan_ref=plan_ref,
        plan_title=row.plan_title,
        period=row.period,
        occurrence_label=row.occurrence_label,
        due_at=row.due_at,
        due_day=calendar.local_day(row.due_at),
        state=row.state,
        updated_at=row.updated_at,
        reminders=reminder_rules(row.details or {}),
        organisation_id=row.organisation_id,
        kind=row.kind,
        extension_asked_at=row.extension_asked_at,
    )
