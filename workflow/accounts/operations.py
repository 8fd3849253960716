"""What is done to accounts: creating users, passwords, roles, language and notification
settings. An administrator's actions refuse anyone else (``Access.ADMINISTRATION``) before
reading or changing anything, and reach only the administrator's own organisation."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.accounts.passwords import hash_password, password_matches
from workflow.accounts.queries import managed_user
from workflow.accounts.roles import Role, parse_role
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.organisations.models import Organisation
from workflow.organisations.queries import find_unit, member_unit, organisation_of
from workflow.permissions import Access, require

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
    *,
    now: datetime,
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
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """A user changes their own password, proving they know the current one."""
    if not password_matches(user, current):
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


def create_user(
    session: Session,
    actor: User,
    *,
    username: str,
    full_name: str,
    email: str,
    role: str,
    unit_code: str | None,
    password: str,
    now: datetime,
) -> User:
    """Give someone of the admin's organisation an account (a unit head: a unit and a role)."""
    require(actor, Access.ADMINISTRATION)
    if unit_code:
        member_unit(session, actor, unit_code)  # a unit of this organisation, not a group
    return add_user(
        session,
        organisation_of(session, actor),
        username,
        role,
        email,
        password,
        unit_code=unit_code or None,
        full_name=full_name,
        now=now,
    )


def set_active(session: Session, actor: User, user_id: int, active: bool) -> User:
    """Disable an account (the person can no longer sign in or use a token) or enable it again."""
    require(actor, Access.ADMINISTRATION)
    user = managed_user(session, actor, user_id)
    if user.id == actor.id and not active:
        raise InvalidInput(
            N_("You cannot disable your own account: another administrator must do it.")
        )
    user.active = active
    session.add(user)
    session.flush()
    return user


def reset_password(session: Session, actor: User, user_id: int, password: str) -> User:
    """Set a new password for someone who lost theirs; the admin tells them the new one."""
    require(actor, Access.ADMINISTRATION)
    user = managed_user(session, actor, user_id)
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return user


def set_role_and_unit(
    session: Session, actor: User, user_id: int, role: str, unit_code: str | None
) -> User:
    """Change what a user is; making someone ``unit_head`` of a unit is how a head is assigned."""
    require(actor, Access.ADMINISTRATION)
    user = managed_user(session, actor, user_id)
    new_role = parse_role(role)
    if user.id == actor.id and new_role is not Role.ADMIN:
        raise InvalidInput(
            N_("You cannot take away your own administrator role: another administrator must.")
        )
    if not new_role.needs_unit:
        unit = None
    elif unit_code:
        unit = member_unit(session, actor, unit_code)
    else:
        raise InvalidInput(
            N_("A %(role)s must belong to a unit: give its code."), role=new_role.label
        )
    user.role = new_role.value
    user.unit_id = unit.id if unit is not None else None
    session.add(user)
    session.flush()
    return user


def set_email_digests(session: Session, user: User, on: bool) -> None:
    """Switch ``user``'s reminder digests on or off (escalations and returned-report notices
    are sent whatever this says); flushes only."""
    user.email_digests = bool(on)
    session.add(user)
    session.flush()


def save_notification_settings(session: Session, user: User, digests: bool, locale: str) -> None:
    """What the settings page saves: both choices, or neither (``InvalidInput``)."""
    set_language(session, user, locale)
    set_email_digests(session, user, digests)
