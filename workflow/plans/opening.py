"""Opening a quarter: one task per responsibility owed in it, per lead unit, and one contribution
per coordinating unit.

A duty led (or coordinated) by a group becomes one task (or contribution) for each member unit;
a unit that leads a duty does not also contribute to it. A contribution is due the plan's number
of days before the lead's report (``PlanTime.contribution_due``). Opening is idempotent: a task
is identified by (responsibility, unit, period, occurrence), and opening the same quarter twice
creates nothing new; opening it again after a plan gains coordinating units adds only theirs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from workflow.clock import Clock
from workflow.organisations.models import Organisation, Unit, UnitMembership
from workflow.periods import Quarter
from workflow.plans.models import Plan, Responsibility, ResponsibilityUnit
from workflow.plans.schedule import PlanTime, Slot, schedule
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.states import OPENED, TaskKind, TaskState


@dataclass
class OpenResult:
    quarter: Quarter
    created: int = 0  # tasks, of which ``contributions`` are coordinating units' contributions
    contributions: int = 0
    existing: int = 0
    plans: list[str] = field(default_factory=list)


def slots_in(responsibility: Responsibility, quarter: Quarter, plan: PlanTime) -> list[Slot]:
    """When ``responsibility`` is owed within ``quarter``."""
    slots = schedule(responsibility.cadence, responsibility.details["report_due"], plan)
    return [slot for slot in slots if slot.period == quarter]


def open_quarter(
    session: Session, organisation: Organisation, quarter: Quarter, clock: Clock
) -> OpenResult:
    """Create the tasks of ``quarter`` for every plan of ``organisation`` that covers it, as
    opened at ``clock``'s now."""
    result = OpenResult(quarter)
    plans = session.exec(
        select(Plan)
        .where(
            Plan.organisation_id == organisation.id,
            Plan.period_start <= quarter.last_day,
            Plan.period_end >= quarter.first_day,
        )
        .order_by(Plan.code)
    ).all()
    members = _members_by_group(session, organisation)
    opened_at = clock.now()
    for plan in plans:
        result.plans.append(plan.code)
        existing = set(
            session.exec(
                select(Task.responsibility_id, Task.unit_id, Task.occurrence).where(
                    Task.plan_id == plan.id, Task.period == str(quarter)
                )
            ).all()
        )
        new_tasks = []
        plan_time = PlanTime.of(plan.definition)
        for responsibility, owing in _owing(session, plan, members):
            for slot in slots_in(responsibility, quarter, plan_time):
                lead_due = clock.instant(slot.due.date(), slot.due.time())
                contribution_due = plan_time.contribution_due(slot.due)
                contribution_due = clock.instant(contribution_due.date(), contribution_due.time())
                for unit_id, kind in owing:
                    if (responsibility.id, unit_id, slot.number) in existing:
                        result.existing += 1
                        continue
                    new_tasks.append(
                        Task(
                            plan_id=plan.id,
                            responsibility_id=responsibility.id,
                            kind=kind.value,
                            unit_id=unit_id,
                            period=str(quarter),
                            occurrence=slot.number,
                            occurrence_label=slot.label,
                            due_at=lead_due if kind is TaskKind.DUTY else contribution_due,
                            due_approximate=slot.approximate,
                            created_at=opened_at,
                            updated_at=opened_at,
                        )
                    )
        session.add_all(new_tasks)
        session.flush()
        session.add_all(
            TaskEventRecord(
                task_id=task.id, at=opened_at, event=OPENED, to_state=TaskState.ASSIGNED.value
            )
            for task in new_tasks
        )
        result.created += len(new_tasks)
        result.contributions += sum(t.kind == TaskKind.CONTRIBUTION for t in new_tasks)
    session.flush()
    return result


def _members_by_group(session: Session, organisation: Organisation) -> dict[int, list[int]]:
    """Each group's member units; a group whose members are not named yet has none, and owes
    nothing."""
    groups = session.exec(
        select(Unit.id).where(Unit.organisation_id == organisation.id, Unit.is_group == True)  # noqa: E712
    ).all()
    rows = session.exec(
        select(UnitMembership.group_id, UnitMembership.member_id)
        .join(Unit, Unit.id == UnitMembership.member_id)
        .where(Unit.organisation_id == organisation.id)
        .order_by(UnitMembership.group_id, Unit.code)
    ).all()
    members: dict[int, list[int]] = {group_id: [] for group_id in groups}
    for group_id, member_id in rows:
        members.setdefault(group_id, []).append(member_id)
    return members


# What a unit owes for a responsibility, by its role in it: only the lead and the coordinating
# units owe anything (directing, overall charge and taking part are shown, never owed).
OWING_ROLES = {"lead": TaskKind.DUTY, "coordinating": TaskKind.CONTRIBUTION}


def _owing(session: Session, plan: Plan, members: dict[int, list[int]]):
    """Each live responsibility of ``plan`` with the units that owe it something, groups
    expanded: (unit, ``TaskKind.DUTY``) for each that leads it, then (unit,
    ``TaskKind.CONTRIBUTION``) for each that coordinates it and does not lead it."""
    rows = session.exec(
        select(Responsibility, ResponsibilityUnit.unit_id, ResponsibilityUnit.role)
        .join(ResponsibilityUnit, ResponsibilityUnit.responsibility_id == Responsibility.id)
        .where(
            Responsibility.plan_id == plan.id,
            Responsibility.retired == False,  # noqa: E712
            ResponsibilityUnit.role.in_(OWING_ROLES),
        )
        .order_by(Responsibility.position, ResponsibilityUnit.position)
    ).all()
    units: dict[int, tuple[Responsibility, dict[str, list[int]]]] = {}
    for responsibility, unit_id, role in rows:
        _, by_role = units.setdefault(
            responsibility.id, (responsibility, {r: [] for r in OWING_ROLES})
        )
        for owner in members.get(unit_id, [unit_id]):
            if owner not in by_role[role]:
                by_role[role].append(owner)
    return [
        (
            responsibility,
            [
                (unit, kind)
                for role, kind in OWING_ROLES.items()
                for unit in by_role[role]
                if kind is TaskKind.DUTY or unit not in by_role["lead"]
            ],
        )
        for responsibility, by_role in units.values()
        if by_role["lead"]  # nobody to contribute to until a lead is named
    ]
