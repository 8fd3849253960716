"""A person's tasks as an iCalendar feed behind a secret, revocable link.

One event per task at its due time (Asia/Ho_Chi_Minh), with an alarm for each reminder day of its
responsibility while it is not yet reported. An alarm rings when the office opens on that day,
not at the due hour (17:00, when people leave), and on the working day before it when that day
is a weekend or a holiday (``workflow.working_days``), as the reminder emails do. A unit head or
member gets their unit's tasks; leaders, reviewers and admins every task of the organisation.
The link's token is shown once; only its SHA-256 is kept. Texts lose the control characters
RFC 5545's TEXT may not hold (``xml_safe``: the same ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.accounts.tokens import new_token, token_digest
from workflow.clock import Clock
from workflow.organisations.models import Organisation, Unit
from workflow.periods import Quarter
from workflow.permissions import feed_tasks_clause
from workflow.plans.models import Plan, Responsibility
from workflow.plans.schema import reminder_rules
from workflow.reporting.models import CalendarToken
from workflow.reporting.quarterly import VI_STATE_LABELS
from workflow.reporting.safe_text import xml_safe
from workflow.tasks.deadlines import days_left, is_done
from workflow.tasks.models import Task
from workflow.tasks.states import TaskKind
from workflow.working_days import WorkingCalendar


@dataclass(frozen=True)
class CalendarTask:
    id: int
    ref: str
    title: str
    unit_name: str
    period: str
    occurrence_label: str
    state: str
    due_at: datetime
    before_days: tuple[int, ...]
    kind: str = TaskKind.DUTY.value


def issue_calendar_token(session: Session, user: User, now: datetime) -> str:
    """A new feed link token for ``user``, replacing (revoking) any earlier one."""
    revoke_calendar_tokens(session, user, now)
    token, digest = new_token()
    session.add(CalendarToken(user_id=user.id, token_hash=digest, created_at=now))
    session.flush()
    return token


def revoke_calendar_tokens(session: Session, user: User, now: datetime) -> int:
    """Revoke every live feed link of ``user``; how many there were."""
    live = session.exec(
        select(CalendarToken).where(
            CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)
        )
    ).all()
    for token in live:
        token.revoked_at = now
        session.add(token)
    session.flush()
    return len(live)


def active_calendar_token(session: Session, user: User) -> CalendarToken | None:
    return session.exec(
        select(CalendarToken).where(
            CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)
        )
    ).first()


def user_for_calendar_token(session: Session, token: str) -> User | None:
    """The active user whose live feed link ``token`` is, or None."""
    return session.exec(
        select(User)
        .join(CalendarToken, CalendarToken.user_id == User.id)
        .where(
            CalendarToken.token_hash == token_digest(token),
            CalendarToken.revoked_at.is_(None),
            User.active == True,  # noqa: E712
        )
    ).first()


def calendar_tasks(session: Session, user: User) -> list[CalendarTask]:
    """The tasks of ``user``'s feed, by due time, in one statement."""
    query = (
        select(Task, Responsibility, Unit.short_name, Unit.name)
        .join(Plan, Plan.id == Task.plan_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
        .where(feed_tasks_clause(user))
        .order_by(Task.due_at, Task.id)
    )
    result = []
    for task, responsibility, short_name, name in session.exec(query):
        result.append(
            CalendarTask(
                id=task.id,
                ref=responsibility.ref,
                title=responsibility.title,
                unit_name=short_name or name,
                period=task.period,
                occurrence_label=task.occurrence_label,
                state=task.state,
                due_at=task.due_at,
                before_days=tuple(reminder_rules(responsibility.details)["before_days"]),
                kind=task.kind,
            )
        )
    return result


def calendar_feed(
    organisation: Organisation,
    tasks: list[CalendarTask],
    base_url: str,
    clock: Clock,
    working: WorkingCalendar,
) -> bytes:
    """The feed as .ics bytes; each task's UID stays the same from one download to the next."""
    calendar = Calendar()
    calendar.add("prodid", "-//Giao Việc//giaoviec//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", xml_safe(f"Giao Việc – {organisation.name}"))
    calendar.add("x-wr-timezone", str(clock.zone))
    for task in tasks:
        calendar.add_component(_event(organisation, task, base_url, clock, working))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def alarm_day(due_day: date, days_before: int, working: WorkingCalendar) -> date:
    """The working day the alarm of ``days_before`` the due day rings on."""
    return working.previous_working_day(due_day - timedelta(days=days_before))


def _event(
    organisation: Organisation,
    task: CalendarTask,
    base_url: str,
    clock: Clock,
    working: WorkingCalendar,
) -> Event:
    event = Event()
    event.add("uid", f"task-{task.id}@{organisation.code}.giaoviec")
    event.add("dtstamp", clock.now())
    event.add("dtstart", clock.local(task.due_at))
    phase = f" ({task.occurrence_label})" if task.occurrence_label else ""
    owed = "Hạn gửi nội dung phối hợp" if task.kind == TaskKind.CONTRIBUTION else "Hạn báo cáo"
    event.add("summary", xml_safe(f"{owed} {task.ref}{phase}: {task.title} – {task.unit_name}"))
    quarter = Quarter.parse(task.period).roman
    event.add(
        "description",
        f"Quý {quarter}. Trạng thái: {VI_STATE_LABELS[task.state]}.\n"
        f"{base_url.rstrip('/')}/tasks/{task.id}",
    )
    event.add("url", f"{base_url.rstrip('/')}/tasks/{task.id}")
    if not is_done(task.state):
        due = working.local_day(task.due_at)
        for day in sorted({alarm_day(due, days, working) for days in task.before_days}):
            event.add_component(_alarm(task, day, working))
    return event


def _alarm(task: CalendarTask, day: date, working: WorkingCalendar) -> Alarm:
    rings = working.opening_instant(day)
    due_text = task.due_at.astimezone(working.zone).strftime("%H:%M %d/%m/%Y")
    left = days_left(task.due_at, rings, working.zone)
    when = f"Còn {left} ngày (hạn {due_text})" if left else f"Hạn hôm nay, {due_text}"
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", xml_safe(f"{when}: {task.ref} {task.title}"))
    # An absolute trigger: a UTC date-time, which RFC 5545 wants marked (the default is a duration)
    alarm.add("trigger", rings, parameters={"VALUE": "DATE-TIME"})
    return alarm
