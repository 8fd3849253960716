"""What an administrator does: manage the organisation's users, load plans, open quarters.

Every function refuses anyone but an active admin (``NotAllowed``) before it reads or changes
anything, and sees only the admin's own organisation: another organisation's users are
``NotFound``, its plans cannot be loaded. Functions flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from workflow import clock
from workflow.access import require_role
from workflow.accounts import add_user, hash_password, parse_role
from workflow.errors import InvalidInput, NotFound
from workflow.i18n import N_
from workflow.models import Organisation, Plan, Unit, UnitMembership, User
from workflow.opening import OpenResult, open_quarter
from workflow.periods import Quarter
from workflow.plan_format import PlanInvalid, PlanProblem, parse_plan
from workflow.plan_store import LoadResult, load_plan
from workflow.queries import find_unit
from workflow.states import Role


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
) -> User:
    """Give someone of the admin's organisation an account (a unit head: a unit and a role)."""
    require_role(actor, Role.ADMIN)
    if unit_code:
        _member_unit(session, actor, unit_code)  # a unit of this organisation, not a group
    return add_user(
        session,
        _organisation(session, actor),
        username,
        role,
        email,
        password,
        unit_code=unit_code or None,
        full_name=full_name,
    )


def set_active(session: Session, actor: User, user_id: int, active: bool) -> User:
    """Disable an account (the person can no longer sign in or use a token) or enable it again."""
    require_role(actor, Role.ADMIN)
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
    require_role(actor, Role.ADMIN)
    user = managed_user(session, actor, user_id)
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return user


def set_role_and_unit(
    session: Session, actor: User, user_id: int, role: str, unit_code: str | None
) -> User:
    """Change what a user is; making someone ``unit_head`` of a unit is how a head is assigned."""
    require_role(actor, Role.ADMIN)
    user = managed_user(session, actor, user_id)
    new_role = parse_role(role)
    if user.id == actor.id and new_role is not Role.ADMIN:
        raise InvalidInput(
            N_("You cannot take away your own administrator role: another administrator must.")
        )
    if not new_role.needs_unit:
        unit = None
    elif unit_code:
        unit = _member_unit(session, actor, unit_code)
    else:
        raise InvalidInput(
            N_("A %(role)s must belong to a unit: give its code."), role=new_role.label
        )
    user.role = new_role.value
    user.unit_id = unit.id if unit is not None else None
    session.add(user)
    session.flush()
    return user


def load_plan_file(session: Session, actor: User, text: str | bytes, filename: str) -> LoadResult:
    """Check a plan file and load it for the admin's organisation; any mistake loads nothing.

    Raises:
        PlanInvalid: the file has mistakes, each located as ``FILE:LINE: field: message``.
        InvalidInput: the file is the plan of another organisation.
    """
    require_role(actor, Role.ADMIN)
    if isinstance(text, bytes):
        text = _decode(text, filename)
    definition = parse_plan(text, filename)
    organisation = _organisation(session, actor)
    code = definition["organisation"]["code"]
    if code != organisation.code:
        raise InvalidInput(
            N_("This plan is for the organisation %(code)s, not yours (%(mine)s): not loaded."),
            code=code,
            mine=organisation.code,
        )
    return load_plan(session, definition)


def open_quarter_for(session: Session, actor: User, quarter: Quarter) -> OpenResult:
    """Create the tasks the admin's organisation owes in ``quarter``; opening twice adds none."""
    require_role(actor, Role.ADMIN)
    return open_quarter(session, _organisation(session, actor), quarter)


# Reads of the administration pages, refused to anyone but an admin like the actions.


def managed_user(session: Session, actor: User, user_id: int) -> User:
    """A user of the admin's organisation; ``NotFound`` for anyone else's, so ids reveal nothing."""
    require_role(actor, Role.ADMIN)
    user = session.get(User, user_id)
    if user is None or user.organisation_id != actor.organisation_id:
        raise NotFound(N_("There is no user %(username)s."), username=f"#{user_id}")
    return user


def list_users(session: Session, actor: User) -> list[tuple[User, Unit | None]]:
    """The organisation's users with their unit, by user name."""
    require_role(actor, Role.ADMIN)
    return list(
        session.exec(
            select(User, Unit)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .where(User.organisation_id == actor.organisation_id)
            .order_by(User.username)
        )
    )


def member_units(session: Session, actor: User) -> list[Unit]:
    """The units a user can belong to: every unit of the organisation that is not a group."""
    require_role(actor, Role.ADMIN)
    return list(
        session.exec(
            select(Unit)
            .where(Unit.organisation_id == actor.organisation_id, Unit.is_group == False)  # noqa: E712
            .order_by(Unit.code)
        )
    )


@dataclass
class UnitOverview:
    """A unit as the units page shows it: its groups (or, for a group, its members) and heads."""

    unit: Unit
    groups: list[Unit]
    members: list[Unit]
    heads: list[User]
    member_count: int


def unit_overview(session: Session, actor: User) -> list[UnitOverview]:
    """Every unit of the organisation with its groups, active heads and active member count,
    in four queries whatever the number of units."""
    require_role(actor, Role.ADMIN)
    organisation_id = actor.organisation_id
    units = session.exec(
        select(Unit).where(Unit.organisation_id == organisation_id).order_by(Unit.code)
    ).all()
    rows = {unit.id: UnitOverview(unit, [], [], [], 0) for unit in units}
    links = session.exec(
        select(UnitMembership)
        .join(Unit, Unit.id == UnitMembership.group_id)
        .where(Unit.organisation_id == organisation_id)
    ).all()
    for link in links:
        rows[link.member_id].groups.append(rows[link.group_id].unit)
        rows[link.group_id].members.append(rows[link.member_id].unit)
    heads = session.exec(
        select(User)
        .where(
            User.organisation_id == organisation_id,
            User.active == True,  # noqa: E712
            User.role == Role.UNIT_HEAD.value,
            User.unit_id.is_not(None),
        )
        .order_by(User.username)
    ).all()
    for head in heads:
        rows[head.unit_id].heads.append(head)
    counts = session.exec(
        select(User.unit_id, func.count())
        .where(
            User.organisation_id == organisation_id,
            User.active == True,  # noqa: E712
            User.role == Role.MEMBER.value,
            User.unit_id.is_not(None),
        )
        .group_by(User.unit_id)
    ).all()
    for unit_id, count in counts:
        rows[unit_id].member_count = count
    for row in rows.values():
        row.groups.sort(key=lambda unit: unit.code)
        row.members.sort(key=lambda unit: unit.code)
    return list(rows.values())


def loaded_plans(session: Session, actor: User) -> list[Plan]:
    """The organisation's plans, by code."""
    require_role(actor, Role.ADMIN)
    return list(
        session.exec(
            select(Plan).where(Plan.organisation_id == actor.organisation_id).order_by(Plan.code)
        )
    )


def quarters_to_open(session: Session, actor: User) -> tuple[list[Quarter], Quarter]:
    """The quarters the organisation's plans cover (and the current one), and the current one."""
    require_role(actor, Role.ADMIN)
    current = Quarter.of(clock.today())
    start, end = session.exec(
        select(func.min(Plan.period_start), func.max(Plan.period_end)).where(
            Plan.organisation_id == actor.organisation_id
        )
    ).one()
    quarters = {current}
    if start is not None and end is not None:
        quarter, last = Quarter.of(start), Quarter.of(end)
        while quarter <= last:
            quarters.add(quarter)
            quarter = quarter.next()
    return sorted(quarters), current


def _organisation(session: Session, actor: User) -> Organisation:
    return session.get(Organisation, actor.organisation_id)


def _member_unit(session: Session, actor: User, code: str) -> Unit:
    try:
        unit = find_unit(session, _organisation(session, actor), code)
    except NotFound as missing:  # a form's input, not a missing page
        raise InvalidInput(missing.message, **missing.params) from None
    if unit.is_group:
        raise InvalidInput(
            N_("%(unit)s is a group: choose one of its member units."), unit=unit.code
        )
    return unit


def _decode(data: bytes, filename: str) -> str:
    """The text of an uploaded plan file, which must be UTF-8 (a byte-order mark is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problem = PlanProblem(filename, 1, "-", N_("the file is not UTF-8 text"))
        raise PlanInvalid([problem]) from None
