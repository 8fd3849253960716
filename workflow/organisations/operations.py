"""What an administrator does to the organisation's units: name the members of a group the
plan leaves to them ("các đồng chí Phó Chủ tịch")."""

from __future__ import annotations

from sqlmodel import Session, delete

from workflow.accounts.models import User
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.organisations.models import Unit, UnitMembership
from workflow.organisations.queries import find_unit, member_unit, organisation_of
from workflow.permissions import Access, require


def name_group_members(
    session: Session, actor: User, group_code: str, member_codes: list[str]
) -> Unit:
    """Set the members of a group whose members are named later; the next opening of a
    quarter gives each of them the group's duties. Flushes only."""
    require(actor, Access.ADMINISTRATION)
    group = find_unit(session, organisation_of(session, actor), group_code)
    if not group.is_group:
        raise InvalidInput(N_("%(unit)s is not a group."), unit=group.display_name)
    if not group.members_later:
        raise InvalidInput(
            N_("The plan names the members of %(group)s: change them in the plan file."),
            group=group.display_name,
        )
    members = [member_unit(session, actor, code) for code in dict.fromkeys(member_codes)]
    session.exec(delete(UnitMembership).where(UnitMembership.group_id == group.id))
    session.add_all(UnitMembership(group_id=group.id, member_id=unit.id) for unit in members)
    session.flush()
    return group
