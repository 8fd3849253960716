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

from sqlalchemy import Engine, func, select, update
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
            for digest in digests:
                queued = _queue_digest(session, settings, now, digest)
                if queued is not None:
                    result.queued.append(queued)
            _end(session, dry_run)
    with Session(engine, expire_on_commit=False) as session:
        result.queued += queue_notices(session, settings, now).queued
        _end(session, dry_run)
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


def _queue_digest(session, settings, now, digest: Digest) -> Queued | None:
    """Record the lines not yet recorded and queue the one message that carries them, as one
    step that cannot half happen: if the message cannot be queued (its key is taken), none of
    its lines is recorded either, so the next run tries them again instead of losing them."""
    user = digest.user
    savepoint = session.begin_nested()
    rows = [_line_row(line, now) for line in digest.lines]
    new = {key for _id, key in outbox.insert_if_absent(session, NotificationItem, rows)}
    lines = [line for line in digest.lines if line.key in new]
    if not lines:
        savepoint.commit()
        return None
    rendered = digest.rendered
    if len(lines) < len(digest.lines):  # another sweep recorded some since they were read
        as_of = settings.calendar.next_open_instant(now)
        rendered = render_digest(user, lines, digest.tasks, digest.heads, as_of, settings.calendar)
    key = digest_key(user.id, digest.day, lines)
    outbox_id = _queue(session, settings, now, user, digest_kind(lines), key, rendered)
    if outbox_id is None:
        savepoint.rollback()
        log.warning(
            "digest %s is already queued: its %s lines wait for the next run", key, len(lines)
        )
        return None
    session.execute(
        update(NotificationItem)
        .where(NotificationItem.key.in_([line.key for line in lines]))
        .values(outbox_id=outbox_id)
    )
    savepoint.commit()
    return _queued(user, digest_kind(lines), rendered, len(lines))


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


def queue_notices(session: Session, settings: NotificationSettings, now: datetime) -> SweepResult:
    """Whoever must hear of a step of a task at once is told (in working hours), once per step:
    the head of a unit whose report came back or whose request for an extension was decided,
    the reviewers of a request waiting (``rules.event_notices``). A catch-up scan of the last
    week's steps, keyed by event id."""
    outbox.serialise_writers(session, "giaoviec.sweep")
    day = sweep_day(settings, now)
    result = SweepResult(day)
    steps = load_steps(session, now - NOTICE_LOOKBACK, settings.calendar)
    if not steps:
        return result
    users = load_users(session, User.organisation_id.in_({s.task.organisation_id for s in steps}))
    people = [person_of(user) for user in users.values()]
    as_of = settings.calendar.next_open_instant(now)  # when the notice will be read
    already = set(
        session.scalars(
            select(OutboxMessage.key).where(
                OutboxMessage.kind.in_([rule.value for rule in NOTICE_RULES]),
                OutboxMessage.created_at >= now - NOTICE_LOOKBACK - timedelta(days=1),
            )
        )
    )
    for person, facts in event_notices(steps, people):
        key = notice_key(person.id, facts)
        if key in already:
            continue
        user, kind = users[person.id], notice_rule(facts).value
        rendered = render_notice(user, facts, as_of, settings.calendar)
        outbox_id = _queue(session, settings, now, user, kind, key, rendered)
        if outbox_id is not None:
            item = {
                "key": key,
                "outbox_id": outbox_id,
                "recipient_id": user.id,
                "task_id": facts.task.id,
                "rule": kind,
                "on_date": day,
                "created_at": now,
            }
            outbox.insert_if_absent(session, NotificationItem, [item])
            result.queued.append(_queued(user, kind, rendered, 1))
    return result


def _queue(session, settings, now, user: User, kind, key, rendered: Rendered) -> int | None:
    inserted = outbox.insert_if_absent(
        session,
        OutboxMessage,
        [
            {
                "key": key,
                "kind": kind,
                "recipient_id": user.id,
                "to_address": user.email,
                "to_name": user.full_name or user.username,
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "message_id": outbox.message_id(key, settings.mail.mail_from),
                "status": "queued",
                "attempts": 0,
                "last_error": "",
                "created_at": now,
                "next_attempt_at": settings.calendar.next_open_instant(now),
            }
        ],
    )
    return inserted[0][0] if inserted else None


def _queued(user: User, kind: str, rendered: Rendered, lines: int) -> Queued:
    return Queued(user.email, user.full_name or user.username, kind, rendered.subject, lines)


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


def load_steps(session: Session, since: datetime, calendar: WorkingCalendar) -> list[EventFacts]:
    """The steps since ``since`` that someone is told of at once, with their task and who took
    them, whether the task still has a request for an extension waiting, and for a contribution
    the units leading its duty: two queries."""
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
        .where(
            TaskEventRecord.event.in_(TOLD_TO_HEADS | TOLD_TO_REVIEWERS)
            | (
                TaskEventRecord.event.in_(TOLD_TO_LEADS)
                & (Task.kind == TaskKind.CONTRIBUTION.value)
            ),
            TaskEventRecord.at >= since,
        )
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
