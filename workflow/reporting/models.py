"""The secret links of calendar feeds; only the SHA-256 of each token is kept."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from workflow.db.types import instant_field


class CalendarToken(SQLModel, table=True):
    """A user's calendar feed link; revoking it makes the link answer 404."""

    __tablename__ = "calendar_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = instant_field()
    revoked_at: datetime | None = instant_field(nullable=True, default=None)
