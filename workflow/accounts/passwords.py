"""Passwords: the rules, hashing and signing in, in one place.

Passwords are kept as salted scrypt hashes (werkzeug): a stolen database does not give them
away. Forms show the same minimum length (``MIN_PASSWORD_LENGTH``) that the engine enforces."""

from __future__ import annotations

from functools import cache

from sqlalchemy import func
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from workflow.accounts.models import User
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.organisations.models import Organisation

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


def check_password(
    session: Session, username: str, password: str, organisation_code: str = ""
) -> User | None:
    """The active user with this name and password, or None (signing in). A name is unique
    within its organisation only: one that several organisations use signs in with the
    organisation's code. Whatever is wrong (no such name, a name that needs its organisation, a
    wrong password) costs the same hashing, so neither the answer nor the time tells which."""
    query = select(User).where(User.username == username.strip())
    if organisation_code.strip():
        query = query.join(Organisation, Organisation.id == User.organisation_id).where(
            func.upper(Organisation.code) == organisation_code.strip().upper()
        )
    found = session.exec(query.limit(2)).all()
    user = found[0] if len(found) == 1 else None
    if user is None or not user.active:
        check_password_hash(_decoy_hash(), password)
        return None
    return user if password_matches(user, password) else None


def names_need_organisation(session: Session) -> bool:
    """Whether the sign-in page asks for the organisation: when the users here belong to more
    than one (a ward's own server has one, and its page stays as it was)."""
    return len(session.exec(select(User.organisation_id).distinct().limit(2)).all()) > 1


@cache
def _decoy_hash() -> str:
    return generate_password_hash("not anyone's password")
