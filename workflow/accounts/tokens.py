"""API tokens: issued once, kept only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, select

from workflow import clock
from workflow.accounts.models import ApiToken, User

TOKEN_USE_GRANULARITY = timedelta(hours=1)


def issue_token(session: Session, user: User) -> str:
    """A new API token for ``user``; the token itself is shown once and never stored."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(token)))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    row = session.exec(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row[1].active:
        return None
    now = clock.now()
    # Noted at most hourly, so that reading through the API does not write on every request.
    if row[0].last_used_at is None or now - row[0].last_used_at > TOKEN_USE_GRANULARITY:
        row[0].last_used_at = now
        session.add(row[0])
    return row[1]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
