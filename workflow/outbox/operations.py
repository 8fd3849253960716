"""What an administrator does to the outbox: send a failed message again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from workflow.accounts.models import User
from workflow.outbox.models import OutboxMessage, OutboxStatus
from workflow.outbox.queries import admin_message


def retry_failed(session: Session, message_id_: int, now: datetime) -> bool:
    """An admin sends a failed message again (the outbox page calls this); flushes only."""
    return (
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id_, OutboxMessage.status == OutboxStatus.FAILED)
            .values(status=OutboxStatus.QUEUED.value, attempts=0, next_attempt_at=now)
        ).rowcount
        == 1
    )


def admin_retry(session: Session, actor: User, message_id_: int, now: datetime) -> bool:
    """An admin puts a failed message of their organisation back in the queue; flushes only."""
    admin_message(session, actor, message_id_)
    return retry_failed(session, message_id_, now)
