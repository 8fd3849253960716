"""People and their credentials: creating users, checking passwords, issuing API tokens.

Passwords are kept as salted scrypt hashes (werkzeug), API tokens as SHA-256 digests: a stolen
database gives away neither.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from workflow import clock
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.models import ApiToken, Organisation, User
from workflow.queries import find_unit
from workflow.states import Role

MIN_PASSWORD_LENGTH = 8
TOKEN_USE_GRANULARITY = timedelta(hours=1)
LANGUAGES = ("vi", "en")
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{1,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def add_user(
    session: Session,
    organisation: Organisation,
    username: str,
    role: str,
    email: str,
    password: str,
    unit_code: str | None = None,
    full_name: str = "",
    locale: str = "vi",
) -> User:
    """Create a user; unit heads and members must name their unit."""
    username = username.strip()
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(N_("A user name is 2 to 64 letters without accents, digits, . _ or -."))
    role = parse_role(role)
    if not EMAIL_PATTERN.match(email.strip()):
        raise InvalidInput(N_("This is not an email address: %(email)s"), email=email)
    unit = find_unit(session, organisation, unit_code) if unit_code else None
    if role.needs_unit and unit is None:
        raise InvalidInput(
            N_("A %(role)s must belong to a unit: give its code."),
            role=role.label,
            labels=("role",),
        )
    if unit is not None and unit.is_group:
        raise InvalidInput(
            N_("%(unit)s is a group: choose one of its member units."), unit=unit.code
        )
    if session.exec(select(User).where(User.username == username)).first():
        raise InvalidInput(N_("The user name %(username)s is taken."), username=username)
    user = User(
        organisation_id=organisation.id,
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        password_hash=hash_password(password),
        role=role.value,
        unit_id=unit.id if unit and role.needs_unit else None,
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def parse_role(value: str) -> Role:
    """The role named ``value``, or a clear refusal listing the roles."""
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            N_("Unknown role %(role)s; use one of: %(roles)s"), role=value, roles=", ".join(Role)
        ) from None


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


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """A user changes their own password, proving they know the current one."""
    if not check_password_hash(user.password_hash, current):
        raise InvalidInput(N_("The current password is wrong."))
    user.password_hash = hash_password(new)
    session.add(user)
    session.flush()


def set_language(session: Session, user: User, locale: str) -> None:
    """Remember the language a user reads pages and emails in."""
    if locale not in LANGUAGES:
        raise InvalidInput(N_("Unknown language %(locale)s."), locale=locale)
    user.locale = locale
    session.add(user)
    session.flush()
