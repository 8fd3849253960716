"""Who may see and do what: the one place that services, queries and routes ask.

Three questions, each answered only here:

- **Which tasks may a user see?** Admins, leaders and reviewers: every task of their
  organisation. A unit head or member: their own unit's tasks and, read-only, those of
  responsibilities their unit coordinates (directly, or through a group it belongs to), and the
  contributions coordinating units send to the responsibilities their unit leads.
  An overseer of a city, a province or the nation: every task of the communes below, read-only.
  ``visible_tasks_clause`` says it in SQL, so every list and page filters in the database.
- **Which events may a user fire on a task?** ``EVENT_GRANTS``: the roles, and whether the task
  must be of the user's own unit; a coordinating unit's contribution is taken in by the head of
  the lead (``CONTRIBUTION_EVENTS``). Whether the task's state allows the event is the
  machine's question (``workflow.tasks.machine``), or for a deadline extension the rules of
  ``workflow.tasks.extensions``, not this module's.
- **Which pages, exports, feeds and administration may a user open?** ``GRANTS``, by ``Access``.

Every answer starts from the same fact: an inactive user may nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import exists, false, or_, true
from sqlmodel import select

from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.errors import NotAllowed
from workflow.i18n import N_
from workflow.organisations.models import Unit, UnitMembership
from workflow.organisations.tree import communes_below
from workflow.plans.models import Plan, ResponsibilityUnit
from workflow.tasks.machine import events_from
from workflow.tasks.models import Task
from workflow.tasks.states import TaskEvent, TaskKind, TaskState

ORGANISATION_WIDE = frozenset({Role.ADMIN, Role.LEADER, Role.REVIEWER})


# Pages, exports, feeds and administration


class Access(StrEnum):
    """Something a user may open, other than a task (tasks follow ``visible_tasks_clause``)."""

    ACCOUNTABILITY = "accountability"  # figures by unit, the tasks behind them, the print view
    PLAN_PROGRESS = "plan_progress"  # every unit's progress on the plan overview, with links
    REPORTS = "reports"  # the quarterly report and the spreadsheets
    REVIEW_QUEUE = "review_queue"  # every reported task with its report
    ADMINISTRATION = "administration"  # users, units, plan files, opening quarters
    PLAN_DRAFTS = "plan_drafts"  # drafting a plan from its document, checking and publishing it
    OUTBOX = "outbox"  # the organisation's emails, as sent
    REMINDER_PREVIEW = "reminder_preview"  # the next reminders about a unit's tasks
    TARGETS = "targets"  # the plan's targets, the ward's figures, one's own unit's
    TARGET_BREAKDOWN = "target_breakdown"  # every unit's figures for the targets
    EXPLANATION_REQUESTS = "explanation_requests"  # asking a unit to explain a missed target
    UNIT_YEAR = "unit_year"  # any unit's year page and its exports (``may_see_unit_year``)
    GRADE_CONFIRMATION = "grade_confirmation"  # confirming a unit's grade for the year
    GRADING_RULES = "grading_rules"  # the rules that propose the grades
    ROLLUP = "rollup"  # the communes below one's city, province or nation, down to their tasks


GRANTS: dict[Access, frozenset[Role]] = {
    Access.ACCOUNTABILITY: ORGANISATION_WIDE,
    Access.PLAN_PROGRESS: ORGANISATION_WIDE,
    Access.REPORTS: ORGANISATION_WIDE,
    Access.REVIEW_QUEUE: ORGANISATION_WIDE,
    Access.ADMINISTRATION: frozenset({Role.ADMIN}),
    # Ban Xây dựng Đảng (the reviewers) drafts the ward's plans with the administrator.
    Access.PLAN_DRAFTS: frozenset({Role.ADMIN, Role.REVIEWER}),
    Access.OUTBOX: frozenset({Role.ADMIN}),
    Access.REMINDER_PREVIEW: ORGANISATION_WIDE | {Role.UNIT_HEAD},
    Access.TARGETS: ORGANISATION_WIDE | {Role.UNIT_HEAD, Role.MEMBER},
    Access.TARGET_BREAKDOWN: ORGANISATION_WIDE,
    # The Standing Committee (leaders) and Ban Xây dựng Đảng ask; the unit answers with a report.
    Access.EXPLANATION_REQUESTS: frozenset({Role.LEADER, Role.REVIEWER}),
    Access.UNIT_YEAR: ORGANISATION_WIDE,
    # The Standing Committee grades; the office (the administrator) sets the rules it starts from.
    Access.GRADE_CONFIRMATION: frozenset({Role.LEADER}),
    Access.GRADING_RULES: frozenset({Role.ADMIN}),
    # A city's, a province's or the nation's overseers read the communes below them and may
    # remark on a task (a comment); they never move one.
    Access.ROLLUP: frozenset({Role.OVERSEER}),
}


def may(user: User, access: Access | str) -> bool:
    """Whether ``user`` may open ``access`` (menus ask this to show a link or not)."""
    return user.active and user.role in GRANTS[Access(access)]


def require(user: User, access: Access, organisation_id: int | None = None) -> None:
    """Refuse (``NotAllowed``) unless ``user`` may open ``access``, of ``organisation_id``'s
    organisation when one is named."""
    if not may(user, access):
        raise NotAllowed()
    if organisation_id is not None and organisation_id != user.organisation_id:
        raise NotAllowed()


def require_viewer(viewer: User | None, access: Access, organisation_id: int) -> None:
    """``require``, for reads the command line makes too: it names no viewer, and acts for
    whoever may run it on the server."""
    if viewer is not None:
        require(viewer, access, organisation_id)


# Tasks: seeing them


def coordinates_clause(unit_id: int):
    """SQL condition: the task's responsibility is coordinated by ``unit_id`` or its group."""
    return _has_role_clause(unit_id, "coordinating")


def _has_role_clause(unit_id: int, role: str):
    groups = select(UnitMembership.group_id).where(UnitMembership.member_id == unit_id)
    return exists().where(
        ResponsibilityUnit.responsibility_id == Task.responsibility_id,
        ResponsibilityUnit.role == role,
        or_(ResponsibilityUnit.unit_id == unit_id, ResponsibilityUnit.unit_id.in_(groups)),
    )


def leads_clause(unit_id: int):
    """SQL condition: the task's responsibility is led by ``unit_id`` or a group it belongs to."""
    return _has_role_clause(unit_id, "lead")


def visible_tasks_clause(user: User):
    """SQL condition selecting the tasks ``user`` may see (join ``Plan`` to use it): besides its
    own and those it coordinates, a unit sees the contributions sent to what it leads; an
    overseer, every task of the communes below."""
    in_organisation = Plan.organisation_id == user.organisation_id
    if not user.active:
        return false()
    if user.role in ORGANISATION_WIDE:
        return in_organisation
    if user.role == Role.OVERSEER:  # read-only: no event is granted to an overseer
        communes = communes_below(user.organisation_id).subquery()
        return Plan.organisation_id.in_(select(communes.c.id))
    if user.unit_id is None:
        return false()
    return in_organisation & or_(
        Task.unit_id == user.unit_id,
        coordinates_clause(user.unit_id),
        (Task.kind == TaskKind.CONTRIBUTION.value) & leads_clause(user.unit_id),
    )


def sees_at_a_glance(user: User, unit_id: int, organisation_id: int) -> bool | None:
    """What ``visible_tasks_clause`` says of a task of ``unit_id`` in ``organisation_id``
    when the task's own row is enough to tell: a unit head and their own unit's task, anyone
    and another organisation's, the organisation-wide roles and any of theirs. None when only
    the clause can tell (another unit's task the user's unit may coordinate or lead, an
    overseer's communes). The clause stays the rule: this spares its subqueries to the one
    task an action is about."""
    if not user.active:
        return False
    if user.role == Role.OVERSEER:
        return None
    if organisation_id != user.organisation_id:
        return False
    if user.role in ORGANISATION_WIDE:
        return True
    if user.unit_id is None:
        return False
    return True if unit_id == user.unit_id else None


def progress_tasks_clause(user: User):
    """SQL condition: the tasks whose progress ``user`` sees on the plan overview. The
    organisation-wide roles see every unit's; anyone else their own unit's only, so one unit's
    standing is not shown to the heads of the others."""
    if may(user, Access.PLAN_PROGRESS):
        return true()
    if not user.active or user.unit_id is None:
        return false()
    return Task.unit_id == user.unit_id


def feed_tasks_clause(user: User):
    """SQL condition: the tasks of ``user``'s calendar feed (join ``Plan``): what the user may
    see, less what their unit only coordinates: a feed holds the deadlines one owes."""
    if user.active and user.role not in ORGANISATION_WIDE:
        return visible_tasks_clause(user) & (Task.unit_id == user.unit_id)
    return visible_tasks_clause(user)


def previewable_units_clause(user: User):
    """SQL condition on ``Unit``: the units whose coming reminders ``user`` may preview; a unit
    head their own, the organisation-wide roles any unit of theirs that is not a group."""
    if not may(user, Access.REMINDER_PREVIEW):
        return false()
    if user.role in ORGANISATION_WIDE:
        return (Unit.organisation_id == user.organisation_id) & (Unit.is_group == false())
    return Unit.id == user.unit_id


def may_see_unit_year(user: User, unit_id: int) -> bool:
    """Whether ``user`` may open a unit's year of accountability: the ward-wide roles any unit's,
    a unit head their own."""
    if may(user, Access.UNIT_YEAR):
        return True
    return user.active and user.role == Role.UNIT_HEAD and user.unit_id == unit_id


def may_report_figure(user: User, unit_id: int) -> bool:
    """Whether ``user`` may enter a target figure for ``unit_id`` on the target's page: its head,
    as for the report that would otherwise carry it."""
    return may_fire(user, TaskEvent.REPORT, unit_id)


# Tasks: acting on them


@dataclass(frozen=True)
class EventGrant:
    """Who may fire an event: these roles, and whether they must belong to the task's unit."""

    roles: frozenset[Role]
    own_unit_only: bool


EVENT_GRANTS = {
    TaskEvent.START: EventGrant(frozenset({Role.UNIT_HEAD, Role.MEMBER}), own_unit_only=True),
    TaskEvent.REPORT: EventGrant(frozenset({Role.UNIT_HEAD}), own_unit_only=True),
    TaskEvent.APPROVE: EventGrant(frozenset({Role.REVIEWER}), own_unit_only=False),
    TaskEvent.RETURN: EventGrant(frozenset({Role.REVIEWER}), own_unit_only=False),
    TaskEvent.REOPEN: EventGrant(frozenset({Role.REVIEWER, Role.ADMIN}), own_unit_only=False),
    # A deadline extension: the head of the task's own unit asks, Ban Xây dựng Đảng decides.
    TaskEvent.ASK_EXTENSION: EventGrant(frozenset({Role.UNIT_HEAD}), own_unit_only=True),
    TaskEvent.GRANT_EXTENSION: EventGrant(frozenset({Role.REVIEWER}), own_unit_only=False),
    TaskEvent.REFUSE_EXTENSION: EventGrant(frozenset({Role.REVIEWER}), own_unit_only=False),
    # Inside the unit (phân công): its head gives the task to a member, who drafts the report
    # (``may_draft``: the head, or that member); the head sends it.
    TaskEvent.ASSIGN: EventGrant(frozenset({Role.UNIT_HEAD}), own_unit_only=True),
    TaskEvent.SAVE_DRAFT: EventGrant(frozenset({Role.UNIT_HEAD, Role.MEMBER}), own_unit_only=True),
}

# A contribution (phối hợp) is the coordinating unit's to start and send, and the lead's to take
# in: the head of a unit that leads the responsibility approves it into the lead's own report,
# returns it or reopens it (``taken_in_by``). Ban Xây dựng Đảng reviews the lead's report, never
# a contribution; a contribution's due day follows the lead's, so it is never extended alone.
TAKEN_IN_BY_LEAD = frozenset({TaskEvent.APPROVE, TaskEvent.RETURN, TaskEvent.REOPEN})
CONTRIBUTION_EVENTS = (
    frozenset({TaskEvent.START, TaskEvent.REPORT, TaskEvent.ASSIGN, TaskEvent.SAVE_DRAFT})
    | TAKEN_IN_BY_LEAD
)


def may_fire(
    user: User,
    event: TaskEvent,
    task_unit_id: int,
    taken_in_by: frozenset[int] | None = None,
) -> bool:
    """Whether ``user`` may fire ``event`` on a task of ``task_unit_id``, whatever state the
    task is in. ``taken_in_by``: for a contribution, the units that lead its responsibility
    (``workflow.tasks.contributions.lead_units``); None for any other task."""
    if taken_in_by is not None:
        if event not in CONTRIBUTION_EVENTS or not user.active:
            return False
        if event in TAKEN_IN_BY_LEAD:
            return user.role == Role.UNIT_HEAD and user.unit_id in taken_in_by
    grant = EVENT_GRANTS[event]
    if not role_may_fire(user, event):
        return False
    return not grant.own_unit_only or user.unit_id == task_unit_id


def may_draft(
    user: User, task_unit_id: int, assignee_id: int | None, taken_in_by: frozenset[int] | None
) -> bool:
    """Whether ``user`` may write the draft of a task's report: the head of its unit, or the
    member of the unit the head assigned it to."""
    if not may_fire(user, TaskEvent.SAVE_DRAFT, task_unit_id, taken_in_by):
        return False
    return user.role == Role.UNIT_HEAD or user.id == assignee_id


def role_may_fire(user: User, event: TaskEvent) -> bool:
    """Whether ``user``'s role may fire ``event`` on some task (a bulk action asks first)."""
    return user.active and user.role in EVENT_GRANTS[event].roles


def require_fire_role(user: User, event: TaskEvent) -> None:
    """Refuse (``NotAllowed``) unless ``role_may_fire``."""
    if not role_may_fire(user, event):
        raise NotAllowed()


def require_fire(
    user: User,
    event: TaskEvent,
    task_unit_id: int,
    taken_in_by: frozenset[int] | None = None,
) -> None:
    """Refuse (``NotAllowed``, naming the event) unless ``may_fire``."""
    if not may_fire(user, event, task_unit_id, taken_in_by):
        raise NotAllowed(
            N_('You may not "%(event)s" this task.'), event=event.label, labels=("event",)
        )


def events_for(
    user: User,
    state: TaskState | str,
    task_unit_id: int,
    taken_in_by: frozenset[int] | None = None,
) -> list[TaskEvent]:
    """What ``user`` may do to a task's state now: the buttons a page offers, the API's
    ``actions`` (with the extension's events, ``workflow.tasks.extensions``, beside them)."""
    return [
        event for event in events_from(state) if may_fire(user, event, task_unit_id, taken_in_by)
    ]
