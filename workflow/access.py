"""Who may see which tasks: the rule every list, page, file and action goes through.

Admins, leaders and reviewers see every task of their organisation. A unit head or member sees
their own unit's tasks, and, read-only, the tasks of responsibilities their unit coordinates
(directly, or through a group it belongs to).
"""

from __future__ import annotations

from sqlalchemy import exists, false, or_, select

from workflow.errors import NotAllowed
from workflow.models import Plan, ResponsibilityUnit, Task, UnitMembership, User
from workflow.states import Role

ORGANISATION_WIDE = (Role.ADMIN, Role.LEADER, Role.REVIEWER)


def coordinates_clause(unit_id: int):
    """SQL condition: the task's responsibility is coordinated by ``unit_id`` or its group."""
    groups = select(UnitMembership.group_id).where(UnitMembership.member_id == unit_id)
    return exists().where(
        ResponsibilityUnit.responsibility_id == Task.responsibility_id,
        ResponsibilityUnit.role == "coordinating",
        or_(ResponsibilityUnit.unit_id == unit_id, ResponsibilityUnit.unit_id.in_(groups)),
    )


def visible_tasks_clause(user: User):
    """SQL condition selecting the tasks ``user`` may see (join ``Plan`` to use it)."""
    in_organisation = Plan.organisation_id == user.organisation_id
    if not user.active:
        return false()
    if user.role in ORGANISATION_WIDE:
        return in_organisation
    if user.unit_id is None:
        return false()
    return in_organisation & or_(Task.unit_id == user.unit_id, coordinates_clause(user.unit_id))


def require_role(user: User, *roles: Role) -> None:
    """Refuse (``NotAllowed``) unless ``user`` is active and holds one of ``roles``."""
    if not user.active or user.role not in roles:
        raise NotAllowed()
