"""Passwords: the rules, hashing and signing in, in one place.

Passwords are kept as salted scrypt hashes (werkzeug): a stolen database does not give them
away. Forms show the same minimum length (``MIN_PASSWORD_LENGTH``) that the engine enforces."""

from __future__ import annotations

from functools import cache

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from workflow.accounts.models import User
from workflow.errors import InvalidInput
from workflow.i18n import N_

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """The hash to keep for a new password, refused (``InvalidInput``) if it breaks the rules."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("A password needs at least %(length)s characters."), length=MIN_PASSWORD_LENGTH
        )
    return generate_password_hash(password)


def password_matches(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def check_password(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None (signing in). A name that does
    not exist costs the same hashing as a wrong password, so the time taken tells nothing."""
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None or not user.active:
        check_password_hash(_decoy_hash(), password)
        return None
    return user if password_matches(user, password) else None


@cache
def _decoy_hash() -> str:
    return generate_password_hash("not anyone's password")
