"""API tokens: issued once, kept only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from workflow.accounts.models import ApiToken, User

TOKEN_USE_GRANULARITY = timedelta(hours=1)


def new_token() -> tuple[str, str]:
    """A new secret token and the digest to keep of it (API tokens, calendar links)."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, user: User, now: datetime) -> str:
    """A new API token for ``user``; the token itself is shown once and never stored."""
    token, digest = new_token()
    session.add(ApiToken(user_id=user.id, token_hash=digest, created_at=now))
    session.flush()
    return token


def user_for_token(session: Session, token: str, now: datetime) -> User | None:
    """The active user a bearer token belongs to, or None."""
    row = session.exec(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row[1].active:
        return None
    # Noted at most hourly, so that reading through the API does not write on every request.
    if row[0].last_used_at is None or now - row[0].last_used_at > TOKEN_USE_GRANULARITY:
        row[0].last_used_at = now
        session.add(row[0])
    return row[1]
