"""The password rules, hashing and checking, in one place."""

from __future__ import annotations

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from workflow.accounts.models import User
from workflow.errors import InvalidInput
from workflow.i18n import N_

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("A password needs at least %(length)s characters."), length=MIN_PASSWORD_LENGTH
        )
    return generate_password_hash(password)


def check_password(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user
