"""People who sign in, and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflow.accounts.roles import Role
from workflow.db.types import in_check, instant_field


class User(SQLModel, table=True):
    """A person who signs in; unit heads and members belong to one unit."""

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(in_check("role", Role), name="ck_user_role"),
        # Per organisation: refusing a name must not tell one commune what another has.
        UniqueConstraint("organisation_id", "username", name="uq_app_user_organisation_username"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    username: str = Field(max_length=64)
    full_name: str = Field(default="", max_length=255)
    email: str = Field(max_length=255)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    active: bool = True
    locale: str = Field(default="vi", max_length=8)
    email_digests: bool = True  # reminder digests by email; escalations cannot be switched off
    # Part of every session and remember-me cookie: raising it ends them all (a new password,
    # an admin's reset, signing out), since a cookie copied before still carries the old one.
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = instant_field()


class ApiToken(SQLModel, table=True):
    """A bearer token for the API; only its SHA-256 is kept."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = instant_field()
    last_used_at: datetime | None = instant_field(nullable=True, default=None)
    revoked_at: datetime | None = instant_field(nullable=True, default=None)


class LoginAttempt(SQLModel, table=True):
    """One try at signing in, kept in the database so every worker counts the same tries."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_address_at", "address", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)  # as typed, folded to lower case, cut to the column
    address: str = Field(max_length=64)  # the client's IP address
    at: datetime = instant_field()
    succeeded: bool
