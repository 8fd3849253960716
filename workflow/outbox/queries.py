"""The outbox as an administrator reads it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from workflow.accounts.models import User
from workflow.errors import NotFound
from workflow.outbox.models import OutboxMessage, OutboxStatus
from workflow.permissions import Access, require


def admin_counts(session: Session, actor: User) -> dict[str, int]:
    """How many messages of the admin's organisation are in each status (every status listed)."""
    require(actor, Access.OUTBOX)
    rows = session.execute(
        select(OutboxMessage.status, func.count())
        .join(User, User.id == OutboxMessage.recipient_id)
        .where(User.organisation_id == actor.organisation_id)
        .group_by(OutboxMessage.status)
    ).all()
    return {status.value: 0 for status in OutboxStatus} | {status: n for status, n in rows}


def admin_messages(
    session: Session, actor: User, status: str | None = None, limit: int = 200
) -> list[OutboxMessage]:
    """The admin's organisation's messages, newest first, in one query; ``status`` filters."""
    require(actor, Access.OUTBOX)
    query = (
        select(OutboxMessage)
        .join(User, User.id == OutboxMessage.recipient_id)
        .where(User.organisation_id == actor.organisation_id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(OutboxMessage.status == OutboxStatus(status).value)
    return list(session.scalars(query))


def admin_message(session: Session, actor: User, message_id_: int) -> OutboxMessage:
    """One message of the admin's organisation (``NotFound`` for any other)."""
    require(actor, Access.OUTBOX)
    row = session.scalar(
        select(OutboxMessage)
        .join(User, User.id == OutboxMessage.recipient_id)
        .where(OutboxMessage.id == message_id_, User.organisation_id == actor.organisation_id)
    )
    if row is None:
        raise NotFound()
    return row
