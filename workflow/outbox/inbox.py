"""A person's notifications in the app: the emails the program wrote to them, read or not.

The list is the outbox itself, so the app and the mailbox never disagree about what was said;
a message shows in the app as soon as it is queued, before the office's hours let it be sent.
Each person sees only what was addressed to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlmodel import Session

from workflow.accounts.models import User
from workflow.errors import NotFound
from workflow.outbox.models import NotificationItem, OutboxMessage
from workflow.plans.models import Responsibility
from workflow.tasks.models import Task


@dataclass(frozen=True)
class InboxLine:
    """One message in the list."""

    id: int
    kind: str
    subject: str
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class NamedTask:
    """A task a message is about, for a link in the app."""

    id: int
    ref: str
    title: str
    occurrence_label: str
    due_at: datetime


def _own(actor: User):
    return OutboxMessage.recipient_id == actor.id


def unread_count(session: Session, actor: User) -> int:
    """How many of ``actor``'s messages they have not opened (the menu's badge)."""
    return session.scalar(select(func.count()).where(_own(actor), OutboxMessage.read_at.is_(None)))


def inbox_size(session: Session, actor: User) -> int:
    return session.scalar(select(func.count()).where(_own(actor)))


def inbox(session: Session, actor: User, offset: int = 0, limit: int = 30) -> list[InboxLine]:
    """``actor``'s messages, newest first, one page of them, in one query."""
    rows = session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.subject,
            OutboxMessage.created_at,
            OutboxMessage.read_at,
        )
        .where(_own(actor))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        InboxLine(row.id, row.kind, row.subject, row.created_at, row.read_at is not None)
        for row in rows
    ]


def inbox_message(session: Session, actor: User, message_id: int) -> OutboxMessage:
    """One of ``actor``'s messages (``NotFound`` for anyone else's)."""
    message = session.scalar(
        select(OutboxMessage).where(OutboxMessage.id == message_id, _own(actor))
    )
    if message is None:
        raise NotFound()
    return message


def message_tasks(session: Session, actor: User, message_id: int) -> list[NamedTask]:
    """The tasks ``actor``'s message named, each once, in the order of their deadlines."""
    rows = session.execute(
        select(
            Task.id,
            Responsibility.ref,
            Responsibility.title,
            Task.occurrence_label,
            Task.due_at,
        )
        .distinct()
        .select_from(NotificationItem)
        .join(OutboxMessage, OutboxMessage.id == NotificationItem.outbox_id)
        .join(Task, Task.id == NotificationItem.task_id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .where(NotificationItem.outbox_id == message_id, _own(actor))
        .order_by(Task.due_at, Responsibility.ref, Task.id)
    ).all()
    return [NamedTask(*row) for row in rows]


def mark_read(session: Session, actor: User, message_id: int, now: datetime) -> None:
    """``actor`` opened their message: it is read from now on (the first time counts)."""
    inbox_message(session, actor, message_id)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.read_at.is_(None))
        .values(read_at=now)
    )


def mark_all_read(session: Session, actor: User, now: datetime) -> int:
    """Every unread message of ``actor``'s is read; returns how many were unread."""
    return session.execute(
        update(OutboxMessage)
        .where(_own(actor), OutboxMessage.read_at.is_(None))
        .values(read_at=now)
    ).rowcount
