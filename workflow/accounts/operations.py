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
from workflow.errors import InvalidFields, InvalidInput, NotFound
from workflow.i18n import N_
from workflow.organisations.heads import record_head_change
from workflow.organisations.models import Organisation
from workflow.organisations.queries import find_unit, organisation_of
from workflow.organisations.tree import Level
from workflow.permissions import Access, require

LANGUAGES = ("vi", "en")
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{1,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def account_problems(
    session: Session,
    organisation: Organisation,
    *,
    role: str,
    unit_code: str | None,
    username: str | None = None,
    email: str | None = None,
) -> dict[str, InvalidInput]:
    """Everything wrong with an account's fields, each under its field's name (``username``,
    ``email``, ``role``, ``unit``); only the fields given are checked, and the unit only for a
    role that belongs to one. Empty when all is well."""
    problems: dict[str, InvalidInput] = {}
    if username is not None:
        username = username.strip()
        if not USERNAME_PATTERN.match(username):
            problems["username"] = InvalidInput(
                N_("A user name is 2 to 64 letters without accents, digits, . _ or -.")
            )
        elif session.exec(
            select(User.id).where(
                User.organisation_id == organisation.id, User.username == username
            )
        ).first():
            problems["username"] = InvalidInput(
                N_("The user name %(username)s is taken."), username=username
            )
    if email is not None and not EMAIL_PATTERN.match(email.strip()):
        problems["email"] = InvalidInput(N_("This is not an email address: %(email)s"), email=email)
    try:
        parsed = parse_role(role)
    except InvalidInput as refusal:
        problems["role"], parsed = refusal, None
    if parsed is not None and not parsed.fits(organisation.level == Level.COMMUNE):
        problems["role"] = InvalidInput(
            N_("A commune's users do its work; above it, only overseers and administrators.")
        )
    if parsed is not None and not parsed.needs_unit:
        return problems  # the unit is not asked for, so not looked at
    unit = None
    if unit_code:
        try:
            unit = find_unit(session, organisation, unit_code)
        except NotFound as missing:
            problems["unit"] = InvalidInput(missing.message, **missing.params)
    if unit is not None and unit.is_group:
        problems["unit"] = InvalidInput(
            N_("%(unit)s is a group: choose one of its member units."), unit=unit.code
        )
    if parsed is not None and not unit_code:
        problems["unit"] = InvalidInput(
            N_("A %(role)s must belong to a unit: give its code."),
            role=parsed.label,
            labels=("role",),
        )
    return problems


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
    by: User | None = None,
) -> User:
    """Create a user; unit heads and members must name their unit (a unit head's term begins).
    Every wrong field is refused at once (``InvalidFields``)."""
    problems = account_problems(
        session, organisation, role=role, unit_code=unit_code, username=username, email=email
    )
    if problems:
        raise InvalidFields(problems)
    role_ = parse_role(role)
    unit = find_unit(session, organisation, unit_code) if unit_code and role_.needs_unit else None
    user = User(
        organisation_id=organisation.id,
        username=username.strip(),
        full_name=full_name.strip(),
        email=email.strip(),
        password_hash=hash_password(password),
        role=role_.value,
        unit_id=unit.id if unit else None,
        locale=locale,
        created_at=now,
    )
    session.add(user)
    session.flush()
    record_head_change(session, user, now, by)
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """A user changes their own password, proving they know the current one."""
    if not password_matches(user, current):
        raise InvalidInput(N_("The current password is wrong."))
    user.password_hash = hash_password(new)
    end_sessions(session, user)


def end_sessions(session: Session, user: User) -> None:
    """Every session and remember-me cookie of ``user`` stops working, on every device (the
    page that asked signs in again at once if it should stay signed in); flushes only."""
    user.session_version += 1
    session.add(user)
    session.flush()


def set_language(session: Session, user: User, locale: str) -> None:
    """Remember the language a user reads pages and emails in."""
    if locale not in LANGUAGES:
        raise InvalidInput(N_("Unknown language %(locale)s."), locale=locale)
    user.locale = locale
    session.add(user)
    session.flush()


def new_user_problems(
    session: Session,
    actor: User,
    *,
    username: str,
    email: str,
    role: str,
    unit_code: str | None,
) -> dict[str, InvalidInput]:
    """What the new-user form has wrong, field by field, before anything is created: the page
    shows these beside its own checks, all at once."""
    require(actor, Access.ADMINISTRATION)
    return account_problems(
        session,
        organisation_of(session, actor),
        role=role,
        unit_code=unit_code,
        username=username,
        email=email,
    )


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
        by=actor,
    )


def set_active(session: Session, actor: User, user_id: int, active: bool, *, now: datetime) -> User:
    """Disable an account (the person can no longer sign in or use a token) or enable it again;
    a unit head's term ends, or begins again."""
    require(actor, Access.ADMINISTRATION)
    user = managed_user(session, actor, user_id)
    if user.id == actor.id and not active:
        raise InvalidInput(
            N_("You cannot disable your own account: another administrator must do it.")
        )
    user.active = active
    session.add(user)
    session.flush()
    record_head_change(session, user, now, actor)
    return user


def reset_password(session: Session, actor: User, user_id: int, password: str) -> User:
    """Set a new password for someone who lost theirs; the admin tells them the new one."""
    require(actor, Access.ADMINISTRATION)
    user = managed_user(session, actor, user_id)
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    return user


def set_role_and_unit(
    session: Session,
    actor: User,
    user_id: int,
    role: str,
    unit_code: str | None,
    *,
    now: datetime,
) -> User:
    """Change what a user is; making someone ``unit_head`` of a unit is how a head is assigned
    (their term begins now, and the term they leave ends)."""
    require(actor, Access.ADMINISTRATION)
    user = managed_user(session, actor, user_id)
    organisation = organisation_of(session, actor)
    problems = account_problems(session, organisation, role=role, unit_code=unit_code)
    if problems:
        raise InvalidFields(problems)
    new_role = parse_role(role)
    if user.id == actor.id and new_role is not Role.ADMIN:
        raise InvalidInput(
            N_("You cannot take away your own administrator role: another administrator must.")
        )
    needed = unit_code and new_role.needs_unit
    unit = find_unit(session, organisation, unit_code) if needed else None
    user.role = new_role.value
    user.unit_id = unit.id if unit is not None else None
    session.add(user)
    session.flush()
    record_head_change(session, user, now, actor)
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
