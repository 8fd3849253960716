"""Reads of the organisation: finding it and its units, and who heads each unit."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.collation import text_key
from workflow.errors import InvalidInput, NotFound
from workflow.i18n import N_
from workflow.organisations.heads import Term, terms_of_units
from workflow.organisations.models import Organisation, Unit, UnitMembership
from workflow.organisations.tree import Level
from workflow.permissions import Access, require


def find_organisation(session: Session, code: str | None = None) -> Organisation:
    """The organisation with ``code``, or the only commune when no code is given (the levels
    above communes hold no plans)."""
    if code:
        organisation = session.exec(select(Organisation).where(Organisation.code == code)).first()
        if organisation is None:
            raise NotFound(N_("There is no organisation %(code)s."), code=code)
        return organisation
    organisations = session.exec(
        select(Organisation).where(Organisation.level == Level.COMMUNE.value).limit(2)
    ).all()
    if not organisations:
        raise NotFound(N_("No plan has been loaded yet: run giaoviec plan load FILE."))
    if len(organisations) > 1:
        raise InvalidInput(N_("This database holds several organisations: name one with --org."))
    return organisations[0]


def find_unit(session: Session, organisation: Organisation, code: str) -> Unit:
    unit = session.exec(
        select(Unit).where(Unit.organisation_id == organisation.id, Unit.code == code)
    ).first()
    if unit is None:
        raise NotFound(N_("There is no unit %(code)s."), code=code)
    return unit


def unit_heads(session: Session, organisation: Organisation) -> dict[int, list[str]]:
    """The names of the active unit heads of each unit, by unit id, in alphabetical order."""
    return _heads(session, User.organisation_id == organisation.id)


def heads_of_units(session: Session, unit_ids: list[int]) -> dict[int, list[str]]:
    """``unit_heads`` of these units only, of whichever organisations (a roll-up's page)."""
    return _heads(session, User.unit_id.in_(unit_ids)) if unit_ids else {}


def _heads(session: Session, *where) -> dict[int, list[str]]:
    heads: dict[int, list[str]] = {}
    for unit_id, full_name, username in session.exec(
        select(User.unit_id, User.full_name, User.username)
        .where(
            *where,
            User.role == Role.UNIT_HEAD.value,
            User.active == True,  # noqa: E712
            User.unit_id.is_not(None),
        )
        .order_by(User.unit_id, User.id)
    ):
        heads.setdefault(unit_id, []).append(full_name or username)
    return {unit_id: sorted(names, key=text_key) for unit_id, names in heads.items()}


def member_units(session: Session, actor: User) -> list[Unit]:
    """The units a user can belong to: every unit of the organisation that is not a group."""
    require(actor, Access.ADMINISTRATION)
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
    terms: list[Term] = field(default_factory=list)  # its head history, oldest first


def unit_overview(session: Session, actor: User) -> list[UnitOverview]:
    """Every unit of the organisation with its groups, active heads, active member count and
    head history, in five queries whatever the number of units."""
    require(actor, Access.ADMINISTRATION)
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
    for term in terms_of_units(session, list(rows)):
        rows[term.unit_id].terms.append(term)
    for row in rows.values():
        row.groups.sort(key=lambda unit: unit.code)
        row.members.sort(key=lambda unit: unit.code)
    return list(rows.values())


def organisation_of(session: Session, user: User) -> Organisation:
    """The organisation ``user`` belongs to."""
    return session.get(Organisation, user.organisation_id)


def member_unit(session: Session, user: User, code: str) -> Unit:
    """A unit of ``user``'s organisation that people can belong to (not a group), named in a
    form: a wrong code is bad input, not a missing page."""
    try:
        unit = find_unit(session, organisation_of(session, user), code)
    except NotFound as missing:
        raise InvalidInput(missing.message, **missing.params) from None
    if unit.is_group:
        raise InvalidInput(
            N_("%(unit)s is a group: choose one of its member units."), unit=unit.code
        )
    return unit
