"""Coordination (phối hợp): each coordinating unit's contribution to a duty another unit leads.

A contribution is a task of the coordinating unit (``TaskKind.CONTRIBUTION``), opened with the
lead's task for the same slot (responsibility, quarter, phase) and due the plan's number of days
before it (``PlanTime.contribution_due``). The coordinating unit starts it and sends it like a
report; the head of a lead unit takes it in (approves it, or returns it for more), and sending
the lead's own report takes in every contribution sent by then: the lead consolidates them. A
late contribution is the coordinating unit's, never the lead's (``workflow.tasks.kinds``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from workflow.organisations.models import Unit, UnitMembership
from workflow.plans.models import ResponsibilityUnit
from workflow.tasks.deadlines import DeadlineStatus, deadline_status, is_on_time
from workflow.tasks.models import Report, Task
from workflow.tasks.states import TaskKind, TaskState


def lead_units(session: Session, task: Task) -> frozenset[int] | None:
    """The units whose heads take in ``task`` if it is a contribution: those leading its
    responsibility, groups as their members; None for any other task (Ban Xây dựng Đảng
    reviews it). What ``workflow.permissions.may_fire`` calls ``taken_in_by``."""
    if task.kind != TaskKind.CONTRIBUTION:
        return None
    leads = select(ResponsibilityUnit.unit_id).where(
        ResponsibilityUnit.responsibility_id == task.responsibility_id,
        ResponsibilityUnit.role == "lead",
    )
    rows = session.exec(
        select(Unit.id)
        .outerjoin(UnitMembership, UnitMembership.member_id == Unit.id)
        .where(or_(Unit.id.in_(leads), UnitMembership.group_id.in_(leads)))
    )
    return frozenset(rows)


def same_slot(task: Task):
    """SQL: a task of the same responsibility, quarter and phase as ``task``."""
    return (
        (Task.responsibility_id == task.responsibility_id)
        & (Task.period == task.period)
        & (Task.occurrence == task.occurrence)
    )


@dataclass(frozen=True)
class ContributionLine:
    """A coordinating unit's contribution as the lead's task page shows it."""

    task: Task
    unit: Unit
    deadline: DeadlineStatus
    text: str | None  # the latest contribution sent, None while nothing was

    @property
    def sent(self) -> bool:
        return self.task.first_reported_at is not None

    @property
    def late(self) -> bool:
        return is_on_time(self.task.first_reported_at, self.task.due_at) is False


def contributions_to(session: Session, task: Task, now: datetime) -> list[ContributionLine]:
    """The contributions owed to ``task`` (a duty) by its coordinating units, by unit name, each
    with the text it sent last; in one statement. None for a contribution or an explanation."""
    if task.kind != TaskKind.DUTY:
        return []
    slot = select(Task.id).where(same_slot(task), Task.kind == TaskKind.CONTRIBUTION.value)
    latest = (  # the latest report of each of the slot's contributions, not of every task
        select(Report.task_id, func.max(Report.id).label("report_id"))
        .where(Report.task_id.in_(slot))
        .group_by(Report.task_id)
        .subquery("latest")
    )
    rows = session.exec(
        select(Task, Unit, Report.text)
        .join(Unit, Unit.id == Task.unit_id)
        .outerjoin(latest, latest.c.task_id == Task.id)
        .outerjoin(Report, Report.id == latest.c.report_id)
        .where(same_slot(task), Task.kind == TaskKind.CONTRIBUTION.value)
        .order_by(Unit.code)
    ).all()
    return [
        ContributionLine(
            contribution,
            unit,
            deadline_status(
                contribution.state, contribution.due_at, contribution.first_reported_at, now
            ),
            text,
        )
        for contribution, unit, text in rows
    ]


def lead_units_of(session: Session, contribution_ids) -> dict[int, frozenset[int]]:
    """The units of the lead's tasks each contribution is for, by contribution: one query
    whatever their number (the notice of a contribution sent goes to their heads)."""
    lead = aliased(Task)
    rows = session.exec(
        select(Task.id, lead.unit_id)
        .join(
            lead,
            (lead.responsibility_id == Task.responsibility_id)
            & (lead.period == Task.period)
            & (lead.occurrence == Task.occurrence)
            & (lead.kind == TaskKind.DUTY.value),
        )
        .where(Task.id.in_(contribution_ids), Task.kind == TaskKind.CONTRIBUTION.value)
    ).all()
    units: dict[int, set[int]] = {}
    for contribution_id, unit_id in rows:
        units.setdefault(contribution_id, set()).add(unit_id)
    return {task_id: frozenset(unit_ids) for task_id, unit_ids in units.items()}


def lead_tasks_of(session: Session, task: Task) -> list[tuple[Task, Unit]]:
    """The lead's tasks a contribution is for (one per lead unit), with their units."""
    if task.kind != TaskKind.CONTRIBUTION:
        return []
    return list(
        session.exec(
            select(Task, Unit)
            .join(Unit, Unit.id == Task.unit_id)
            .where(same_slot(task), Task.kind == TaskKind.DUTY.value)
            .order_by(Unit.code)
        ).all()
    )


def waiting_contributions(session: Session, task: Task) -> list[Task]:
    """The contributions to ``task``'s slot sent and not yet taken in: what the lead's report
    takes in when it is sent."""
    if task.kind != TaskKind.DUTY:
        return []
    return list(
        session.exec(
            select(Task).where(
                same_slot(task),
                Task.kind == TaskKind.CONTRIBUTION.value,
                Task.state == TaskState.REPORTED.value,
            )
        ).all()
    )
