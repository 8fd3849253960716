"""Who may see which tasks: the rule every list, page, file and action goes through.

Admins, leaders and reviewers see every task of their organisation. A unit head or member sees
their own unit's tasks, and, read-only, the tasks of responsibilities their unit coordinates
(directly, or through a group it belongs to)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, false, or_
from sqlmodel import select

from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.errors import NotAllowed
from workflow.organisations.models import UnitMembership
from workflow.plans.models import Plan, ResponsibilityUnit
from workflow.tasks.machine import events_from
from workflow.tasks.models import Task
from workflow.tasks.states import TaskEvent, TaskState

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


@dataclass(frozen=True)
class Permission:
    """Who may fire an event: these roles, and whether they must belong to the task's unit."""

    roles: frozenset[Role]
    own_unit_only: bool


PERMISSIONS = {
    TaskEvent.START: Permission(frozenset({Role.UNIT_HEAD, Role.MEMBER}), own_unit_only=True),
    TaskEvent.REPORT: Permission(frozenset({Role.UNIT_HEAD}), own_unit_only=True),
    TaskEvent.APPROVE: Permission(frozenset({Role.REVIEWER}), own_unit_only=False),
    TaskEvent.RETURN: Permission(frozenset({Role.REVIEWER}), own_unit_only=False),
    TaskEvent.REOPEN: Permission(frozenset({Role.REVIEWER, Role.ADMIN}), own_unit_only=False),
}


def may_fire(event: TaskEvent, role: Role, user_unit_id: int | None, task_unit_id: int) -> bool:
    """Whether a user of ``role`` in ``user_unit_id`` may fire ``event`` on a task of
    ``task_unit_id``, whatever state the task is in."""
    permission = PERMISSIONS[event]
    if role not in permission.roles:
        return False
    return not permission.own_unit_only or user_unit_id == task_unit_id


def events_for(
    role: Role, user_unit_id: int | None, state: TaskState, task_unit_id: int
) -> list[TaskEvent]:
    """What a user may do to a task now: the buttons a page offers."""
    return [e for e in events_from(state) if may_fire(e, role, user_unit_id, task_unit_id)]


def may_see_task_lists(user: User) -> bool:
    """Whether ``user`` may open the lists of tasks behind the figures."""
    return user.active and user.role in ORGANISATION_WIDE
