"""The outbox: every email the program will send, and the reminders each one carries.

A message is written here in the same transaction as the decision to send it and sent after that
transaction committed. Both tables have a unique key, so a second copy cannot be written."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

from workflow.db.types import instant_field
from workflow.i18n import N_


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    OutboxStatus.QUEUED: N_("Queued"),
    OutboxStatus.SENDING: N_("Sending"),
    OutboxStatus.SENT: N_("Sent"),
    OutboxStatus.FAILED: N_("Failed"),
}


class OutboxMessage(SQLModel, table=True):
    """One email, rendered in its recipient's language when it was queued; also a line of their
    list of notifications in the app (``workflow.outbox.inbox``), read or not."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed')", name="ck_outbox_status"
        ),
        Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_outbox_recipient_read", "recipient_id", "read_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=255)  # recipient / task or digest / rule / date
    kind: str = Field(max_length=16)  # digest | returned | extension
    recipient_id: int = Field(foreign_key="app_user.id", index=True)
    to_address: str = Field(max_length=255)
    to_name: str = Field(default="", max_length=255)
    subject: str = Field(sa_type=Text)
    body_text: str = Field(sa_type=Text)
    body_html: str = Field(sa_type=Text)
    message_id: str = Field(unique=True, max_length=255)
    status: str = Field(default=OutboxStatus.QUEUED.value, max_length=16)
    attempts: int = 0
    last_error: str = Field(default="", sa_type=Text)
    created_at: datetime = instant_field()
    next_attempt_at: datetime = instant_field()
    claimed_at: datetime | None = instant_field(nullable=True, default=None)
    sent_at: datetime | None = instant_field(nullable=True, default=None)
    read_at: datetime | None = instant_field(nullable=True, default=None)  # in the app's list


class NotificationItem(SQLModel, table=True):
    """One reminder for one person about one task on one date: what makes a digest line unique."""

    __tablename__ = "notification_item"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=255)
    outbox_id: int | None = Field(default=None, foreign_key="outbox.id", index=True)
    recipient_id: int = Field(foreign_key="app_user.id", index=True)
    task_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    rule: str = Field(max_length=32)
    on_date: date
    created_at: datetime = instant_field()
