"""Queueing and claiming outbox rows, safely on SQLite and PostgreSQL.

Queueing is insert-if-absent on a unique key (``ON CONFLICT DO NOTHING`` through SQLAlchemy's
dialect inserts; on SQLite this is preferred to ``INSERT OR IGNORE``, which would also swallow
NOT NULL and CHECK violations), so a second copy of a message cannot be written, whoever races.

Claiming takes the next queued row whose time has come in one statement, ``UPDATE ... SET
status = 'sending' WHERE id = (SELECT ... LIMIT 1 FOR UPDATE SKIP LOCKED) AND status = 'queued'
RETURNING ...``: on PostgreSQL two senders never wait on, nor take, each other's rows; on
SQLite one statement is one write transaction, and SQLite runs one at a time. Only a row the
update returned is sent."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from notifications.lock import lock_id
from workflow.db.engine import transaction
from workflow.outbox.models import OutboxMessage, OutboxStatus


def insert_if_absent(session: Session, model, rows: list[dict]) -> list:
    """Insert ``rows`` into ``model``'s table, skipping keys already there; returns the
    ``(id, key)`` of the rows this call inserted."""
    if not rows:
        return []
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = model.__table__
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(table.c.id, table.c.key)
    )
    # Many rows in one statement (SQLAlchemy's "insertmanyvalues"); RETURNING names exactly
    # the rows that were new, by key, in whatever order the database inserted them.
    return session.execute(statement, rows).all()


def serialise_writers(session: Session, name: str) -> None:
    """Let one transaction at a time past this point (released at commit or rollback).

    SQLite already runs one write transaction at a time (``BEGIN IMMEDIATE``); PostgreSQL takes
    a transaction-level advisory lock, so a sweep reads what an earlier sweep committed.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(lock_id(name))))


def message_id(key: str, mail_from: str) -> str:
    """A Message-ID that depends only on the row's key: a re-sent copy carries the same one."""
    domain = mail_from.rsplit("@", 1)[-1].strip("> ") or "giaoviec.localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def requeue_stale(engine: Engine, now: datetime, stale_after: timedelta) -> int:
    """Put 'sending' rows claimed longer than ``stale_after`` ago back in the queue: their
    sender died. Whether the SMTP server had accepted them is unknown; see ``mailer``."""
    with transaction(engine) as session:
        return session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_at < now - stale_after,
            )
            .values(
                status=OutboxStatus.QUEUED.value,
                next_attempt_at=now,
                last_error="interrupted while sending: sent again (same Message-ID)",
            )
        ).rowcount


def claim_next(connection: Connection, now: datetime, sent: int | None = None):
    """The next due queued row, moved to 'sending' now, or None when nothing is due; ``sent``,
    the row the server has just accepted, is marked sent first."""
    if sent is not None:
        mark_sent(connection, [sent], now)
    table = OutboxMessage.__table__
    due = (
        select(table.c.id)
        .where(table.c.status == OutboxStatus.QUEUED, table.c.next_attempt_at <= now)
        .order_by(table.c.next_attempt_at, table.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    row = connection.execute(
        update(table)
        .where(table.c.id == due, table.c.status == OutboxStatus.QUEUED)
        .values(status=OutboxStatus.SENDING.value, claimed_at=now)
        .returning(*table.c)
    ).one_or_none()
    return OutboxMessage(**row._mapping) if row is not None else None


def postpone_due(
    engine: Engine, now: datetime, until: datetime, error: str, max_attempts: int
) -> int:
    """The server is unreachable: every queued row due at ``now`` waits until ``until``, the
    try counted (failed for good once the attempts are used up). Returns how many."""
    attempts = OutboxMessage.attempts + 1
    due = (OutboxMessage.status == OutboxStatus.QUEUED) & (OutboxMessage.next_attempt_at <= now)
    with transaction(engine) as session:
        failed = session.execute(
            update(OutboxMessage)
            .where(due, attempts >= max_attempts)
            .values(status=OutboxStatus.FAILED.value, attempts=attempts, last_error=error[:2000])
        ).rowcount
        return (
            failed
            + session.execute(
                update(OutboxMessage)
                .where(due)
                .values(attempts=attempts, last_error=error[:2000], next_attempt_at=until)
            ).rowcount
        )


def mark_sent(connection: Connection, message_ids: list[int], now: datetime) -> None:
    table = OutboxMessage.__table__
    connection.execute(
        update(table)
        .where(table.c.id.in_(message_ids), table.c.status == OutboxStatus.SENDING)
        .values(
            status=OutboxStatus.SENT.value,
            sent_at=now,
            attempts=table.c.attempts + 1,
            last_error="",
        )
    )


def mark_unsent(
    engine: Engine,
    message_ids: list[int],
    error: str,
    next_attempt_at: datetime | None,
    max_attempts: int,
    *,
    count_attempt: bool = True,
) -> None:
    """Back to the queue until ``next_attempt_at``; failed for good when ``next_attempt_at`` is
    None (a permanent refusal) or the attempts are used up."""
    if not message_ids:
        return
    attempts = OutboxMessage.attempts + (1 if count_attempt else 0)
    with transaction(engine) as session:
        base = update(OutboxMessage).where(
            OutboxMessage.id.in_(message_ids), OutboxMessage.status == OutboxStatus.SENDING
        )
        if next_attempt_at is None:
            session.execute(
                base.values(status=OutboxStatus.FAILED.value, attempts=attempts, last_error=error)
            )
            return
        session.execute(
            base.where(attempts >= max_attempts).values(
                status=OutboxStatus.FAILED.value, attempts=attempts, last_error=error
            )
        )
        session.execute(
            base.values(
                status=OutboxStatus.QUEUED.value,
                attempts=attempts,
                last_error=error[:2000],
                next_attempt_at=next_attempt_at,
            )
        )
