"""Opening a quarter: one task per responsibility owed in it, per lead unit.

A duty led by a group becomes one task for each member unit. Opening is idempotent: a task is
identified by (responsibility, unit, period, occurrence), and opening the same quarter twice
creates nothing new."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlmodel import Session, select

from workflow.clock import Clock
from workflow.organisations.models import Organisation, Unit, UnitMembership
from workflow.periods import Quarter, quarter_due_day
from workflow.plans.models import Plan, Responsibility, ResponsibilityUnit
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.states import OPENED, TaskState


@dataclass(frozen=True)
class Occurrence:
    """One time a responsibility is owed: ``number`` 0 unless it comes in phases (đợt)."""

    number: int
    label: str
    due_at: datetime


@dataclass
class OpenResult:
    quarter: Quarter
    created: int = 0
    existing: int = 0
    plans: list[str] = field(default_factory=list)


def occurrences(
    cadence: dict, report_due: dict, quarter: Quarter, clock: Clock
) -> list[Occurrence]:
    """When a responsibility with this cadence is owed within ``quarter`` (due times are local
    wall-clock times in ``clock``'s zone)."""
    rule_time = time.fromisoformat(report_due["time"])

    def quarter_due(q: Quarter) -> datetime:
        return clock.instant(quarter_due_day(q, report_due["month"], report_due["day"]), rule_time)

    def date_due(text: str) -> datetime:
        value = datetime.fromisoformat(text)
        if len(text) == 10:
            return clock.instant(value.date(), rule_time)
        return clock.instant(value.date(), value.time())

    kind = cadence["kind"]
    if kind == "quarterly" or (kind == "quarters" and str(quarter) in cadence["quarters"]):
        return [Occurrence(0, "", quarter_due(quarter))]
    if kind == "once" and quarter.contains(date.fromisoformat(cadence["due"][:10])):
        return [Occurrence(0, "", date_due(cadence["due"]))]
    if kind == "range" and quarter.contains(date.fromisoformat(cadence["end"])):
        return [Occurrence(0, "", date_due(cadence["end"]))]
    if kind == "phases":
        found = []
        for number, phase in enumerate(cadence["phases"], start=1):
            if phase.get("quarter") == str(quarter):
                found.append(Occurrence(number, phase["name"], quarter_due(quarter)))
            elif phase.get("due") and quarter.contains(date.fromisoformat(phase["due"][:10])):
                found.append(Occurrence(number, phase["name"], date_due(phase["due"])))
        return found
    return []


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
        for responsibility, unit_ids in _leads(session, plan, members):
            for occurrence in occurrences(
                responsibility.cadence, responsibility.details["report_due"], quarter, clock
            ):
                for unit_id in unit_ids:
                    if (responsibility.id, unit_id, occurrence.number) in existing:
                        result.existing += 1
                        continue
                    new_tasks.append(
                        Task(
                            plan_id=plan.id,
                            responsibility_id=responsibility.id,
                            unit_id=unit_id,
                            period=str(quarter),
                            occurrence=occurrence.number,
                            occurrence_label=occurrence.label,
                            due_at=occurrence.due_at,
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
    session.flush()
    return result


def _members_by_group(session: Session, organisation: Organisation) -> dict[int, list[int]]:
    rows = session.exec(
        select(UnitMembership.group_id, UnitMembership.member_id)
        .join(Unit, Unit.id == UnitMembership.member_id)
        .where(Unit.organisation_id == organisation.id)
        .order_by(UnitMembership.group_id, Unit.code)
    ).all()
    members: dict[int, list[int]] = {}
    for group_id, member_id in rows:
        members.setdefault(group_id, []).append(member_id)
    return members


def _leads(session: Session, plan: Plan, members: dict[int, list[int]]):
    """Each live responsibility of ``plan`` with the units that owe it (groups expanded)."""
    rows = session.exec(
        select(Responsibility, ResponsibilityUnit.unit_id)
        .join(ResponsibilityUnit, ResponsibilityUnit.responsibility_id == Responsibility.id)
        .where(
            Responsibility.plan_id == plan.id,
            Responsibility.retired == False,  # noqa: E712
            ResponsibilityUnit.role == "lead",
        )
        .order_by(Responsibility.position, ResponsibilityUnit.position)
    ).all()
    owners: dict[int, tuple[Responsibility, list[int]]] = {}
    for responsibility, unit_id in rows:
        _, units = owners.setdefault(responsibility.id, (responsibility, []))
        for owner in members.get(unit_id, [unit_id]):
            if owner not in units:
                units.append(owner)
    return list(owners.values())
