"""The secret links of calendar feeds; only the SHA-256 of each token is kept."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from workflow.clock import now
from workflow.db.types import UTCDateTime


class CalendarToken(SQLModel, table=True):
    """A user's calendar feed link; revoking it makes the link answer 404."""

    __tablename__ = "calendar_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False, default_factory=now)
    revoked_at: datetime | None = Field(sa_type=UTCDateTime, nullable=True, default=None)
