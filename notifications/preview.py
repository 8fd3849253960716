"""Seeing mail before and as it goes out: the next reminders a unit will get, worked out with
the same pure rules the sweep uses and written nowhere; and a queued or sent message rebuilt
exactly as the SMTP server receives it.

The preview assumes the tasks stay as they are now (a task reported tomorrow drops out of the
following days' reminders) and the people too; a quarter's tasks appear once it is opened.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from notifications.mailer import MailSettings, build_email
from notifications.rules import Rule, TaskFacts, due_items
from notifications.settings import NotificationSettings
from notifications.sweep import load_tasks, load_users, person_of, still_reminded, sweep_day
from workflow.accounts.models import User
from workflow.errors import NotFound
from workflow.organisations.models import Unit
from workflow.outbox.models import NotificationItem, OutboxMessage
from workflow.permissions import Access, previewable_units_clause, require
from workflow.tasks.models import Task

HORIZON_DAYS = 30
RULE_ORDER = list(Rule)


@dataclass(frozen=True)
class PreviewLine:
    """One reminder line that would be in ``recipient``'s digest on ``day``."""

    day: date
    rule: Rule
    recipient: User
    task: TaskFacts
    days: int


@dataclass
class ReminderPreview:
    unit: Unit
    units: list[Unit]  # the units the viewer may preview
    first_day: date
    last_day: date
    days: list[tuple[date, list[PreviewLine]]]

    @property
    def lines(self) -> list[PreviewLine]:
        return [line for _day, lines in self.days for line in lines]


def previewable_units(session: Session, actor: User) -> list[Unit]:
    """The units whose reminders ``actor`` may preview (``permissions``), by code."""
    require(actor, Access.REMINDER_PREVIEW)
    return list(
        session.exec(select(Unit).where(previewable_units_clause(actor)).order_by(Unit.code))
    )


def reminder_preview(
    session: Session,
    actor: User,
    unit_id: int | None,
    settings: NotificationSettings,
    now: datetime,
    horizon_days: int = HORIZON_DAYS,
) -> ReminderPreview:
    """The reminders about ``unit_id``'s tasks that the daily sweeps of the next
    ``horizon_days`` would queue, day by day, to whom; reads only."""
    units = previewable_units(session, actor)
    unit = next((u for u in units if unit_id is None or u.id == unit_id), None)
    if unit is None:
        raise NotFound()
    tasks = load_tasks(
        session, settings.calendar, Task.unit_id == unit.id, still_reminded(settings, now)
    )
    users = load_users(session, User.organisation_id == actor.organisation_id)
    people = [person_of(user) for user in users.values()]
    seen = set(
        session.scalars(select(NotificationItem.key).where(NotificationItem.task_id.in_(tasks)))
    )
    first_day = sweep_day(settings, now)
    last_day = first_day + timedelta(days=horizon_days)
    days = []
    day = first_day
    while day <= last_day:
        lines = []
        for item in due_items(list(tasks.values()), people, day, settings.calendar):
            if item.key in seen:
                continue
            seen.add(item.key)
            task = tasks[item.task_id]
            lines.append(PreviewLine(day, item.rule, users[item.recipient_id], task, item.days))
        if lines:
            lines.sort(key=_line_order)
            days.append((day, lines))
        day += timedelta(days=1)
    return ReminderPreview(unit, units, first_day, last_day, days)


def _line_order(line: PreviewLine):
    name = line.recipient.full_name or line.recipient.username
    return (name, line.recipient.id, RULE_ORDER.index(line.rule), line.task.due_at, line.task.ref)


@dataclass(frozen=True)
class AsSent:
    """A message as its recipient's mail program reads it."""

    headers: list[tuple[str, str]]  # decoded
    text: str
    html: str
    source: str  # the raw message, as on the wire


SHOWN_HEADERS = (
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
)


def as_sent(row: OutboxMessage, mail: MailSettings, now: datetime) -> AsSent:
    """Rebuild ``row`` as the sender puts it on the wire (dated when it was sent, or now)."""
    message = build_email(row, mail, row.sent_at or now)
    raw = message.as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    headers = [(name, str(parsed[name])) for name in SHOWN_HEADERS if parsed[name] is not None]
    return AsSent(
        headers=headers,
        text=parsed.get_body(("plain",)).get_content(),
        html=parsed.get_body(("html",)).get_content(),
        source=raw.decode("ascii", errors="replace"),
    )
