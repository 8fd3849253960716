"""Loading a checked plan into the database, idempotently and without touching task history.

The plan's digest decides whether anything changed: loading the same file twice writes nothing.
An edited plan updates titles, texts and units in place; a responsibility that left the file is
retired, not deleted, so its tasks and their history stay."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, delete, func, select

from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.collation import fold
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.organisations.models import Organisation, Unit, UnitMembership
from workflow.organisations.tree import Level
from workflow.plans.models import (
    RESPONSIBILITY_ROLES,
    Plan,
    Responsibility,
    ResponsibilityChange,
    ResponsibilityUnit,
    Section,
    Target,
    TargetResponsibility,
)
from workflow.plans.schedule import PlanTime, Slot, schedule
from workflow.tasks.deadlines import DONE_STATES
from workflow.tasks.models import DeadlineExtension, Task, TaskEventRecord
from workflow.tasks.states import RESCHEDULED, ExtensionStatus, TaskKind


@dataclass
class LoadResult:
    """What loading a plan did, for the command line and the admin page."""

    plan: Plan
    changed: bool
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    retired: dict[str, int] = field(default_factory=dict)


def plan_digest(definition: dict) -> str:
    """A fingerprint of a normalised plan: equal digests mean nothing to load."""
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_plan(
    session: Session, definition: dict, clock: Clock, by: User | None = None
) -> LoadResult:
    """Create or update the plan described by ``definition`` (from ``checks``), as loaded at
    ``clock``'s now by ``by`` (None: the command line). Each responsibility created, changed or
    retired is recorded with when and by whom (``ResponsibilityChange``); tasks not yet reported
    follow the plan's new deadlines, each move kept in their history."""
    now = clock.now()
    digest = plan_digest(definition)
    organisation = _organisation(session, definition["organisation"])
    info = definition["plan"]
    plan = session.exec(
        select(Plan).where(Plan.organisation_id == organisation.id, Plan.code == info["code"])
    ).first()
    if plan is not None and plan.digest == digest:
        return LoadResult(plan, changed=False)
    result = LoadResult(
        plan or Plan(organisation_id=organisation.id, code=info["code"]), changed=True
    )
    if plan is None:
        result.created["plan"] = 1
    plan = result.plan
    plan.number, plan.symbol = info["number"], info["symbol"]
    plan.title, plan.issuing_body = info["title"], info["issuing_body"]
    plan.issued_on = _date(info["issued_on"])
    plan.period_start = _date(info["period"]["start"])
    plan.period_end = _date(info["period"]["end"])
    plan.definition, plan.digest, plan.loaded_at = definition, digest, now
    session.add(plan)
    session.flush()
    units = _units(session, organisation, definition["units"], result)
    _sections(session, plan, definition["sections"])
    responsibilities = _responsibilities(
        session, plan, units, definition["responsibilities"], result, now, by
    )
    _targets(session, plan, responsibilities, definition["targets"], result)
    session.flush()
    moved = reschedule(session, plan, responsibilities.values(), clock)
    if moved:
        result.updated["tasks"] = moved
    return result


def _organisation(session: Session, data: dict) -> Organisation:
    organisation = session.exec(
        select(Organisation).where(Organisation.code == data["code"])
    ).first() or Organisation(code=data["code"])
    if organisation.level != Level.COMMUNE:
        raise InvalidInput(
            N_("%(code)s oversees the communes below it and holds no plans of its own."),
            code=organisation.code,
        )
    organisation.name, organisation.kind, organisation.place = (
        data["name"],
        data["kind"],
        data["place"],
    )
    session.add(organisation)
    session.flush()
    return organisation


def _units(
    session: Session, organisation: Organisation, data: list[dict], result: LoadResult
) -> dict[str, Unit]:
    existing = {
        u.code: u for u in session.exec(select(Unit).where(Unit.organisation_id == organisation.id))
    }
    for item in data:
        unit = existing.get(item["code"])
        values = {
            "name": item["name"],
            "short_name": item["short_name"],
            "aliases": item["aliases"],
            "kind": item["kind"],
            "head_title": item["head_title"],
            "holder": item.get("holder", ""),
            "is_group": item["is_group"],
            "members_later": item.get("members_later", False),
            "is_example": item["example"],
        }
        if unit is None:
            unit = existing[item["code"]] = Unit(
                organisation_id=organisation.id, code=item["code"], **values
            )
            _count(result.created, "units")
        elif _assign(unit, values):
            _count(result.updated, "units")
        session.add(unit)
    session.flush()
    # Members named later are the admin's: loading the plan again keeps them.
    groups = [
        existing[item["code"]].id
        for item in data
        if item["is_group"] and not item.get("members_later")
    ]
    if groups:
        session.exec(delete(UnitMembership).where(UnitMembership.group_id.in_(groups)))
    session.add_all(
        UnitMembership(group_id=existing[item["code"]].id, member_id=existing[code].id)
        for item in data
        if not item.get("members_later")
        for code in item["members"]
    )
    return existing


def _sections(session: Session, plan: Plan, data: list[dict]) -> None:
    existing = {s.ref: s for s in session.exec(select(Section).where(Section.plan_id == plan.id))}
    for position, item in enumerate(data):
        section = existing.pop(item["ref"], None) or Section(plan_id=plan.id, ref=item["ref"])
        section.title, section.position = item["title"], position
        session.add(section)
    for stale in existing.values():
        session.delete(stale)


# The parts of a responsibility a change names (``ResponsibilityChange.parts``), and what a
# page calls each.
RECORDED_PARTS = {
    "section_ref": N_("section"),
    "kind": N_("kind"),
    "title": N_("title"),
    "text": N_("text"),
    "result": N_("expected result"),
    "cadence": N_("when it is owed"),
    "details": N_("due day, reminders or notes"),
    "units": N_("units"),
}
CHANGE_LABELS = {
    "created": N_("Added to the plan"),
    "changed": N_("Changed in the plan"),
    "retired": N_("Taken out of the plan"),
}


def _responsibilities(
    session: Session,
    plan: Plan,
    units: dict[str, Unit],
    data: list[dict],
    result: LoadResult,
    now: datetime,
    by: User | None,
) -> dict[str, Responsibility]:
    existing = {
        r.ref: r
        for r in session.exec(select(Responsibility).where(Responsibility.plan_id == plan.id))
    }
    changes: dict[str, tuple[str, list[str]]] = {}
    for position, item in enumerate(data):
        values = {
            "section_ref": item["section"],
            "kind": item["kind"],
            "title": item["title"],
            "text": item["text"],
            "result": item["result"],
            "cadence": item["cadence"],
            "details": {
                **item["details"],
                "report_due": item["report_due"],
                "reminders": item["reminders"],
                "note": item["note"],
            },
            "position": position,
            "retired": False,
            "search_text": fold(f"{item['ref']} {item['title']}"),
        }
        row = existing.get(item["ref"])
        if row is None:
            row = existing[item["ref"]] = Responsibility(plan_id=plan.id, ref=item["ref"], **values)
            _count(result.created, "responsibilities")
            changes[item["ref"]] = ("created", [])
        elif parts := _assign(row, values):
            _count(result.updated, "responsibilities")
            changes[item["ref"]] = ("changed", [p for p in parts if p in RECORDED_PARTS])
        session.add(row)
    in_file = {item["ref"] for item in data}
    for ref, row in existing.items():
        if ref not in in_file and not row.retired:
            row.retired = True
            session.add(row)
            _count(result.retired, "responsibilities")
            changes[ref] = ("retired", [])
    session.flush()
    ids = [row.id for row in existing.values()]
    before = _roles(session, ids)
    session.exec(delete(ResponsibilityUnit).where(ResponsibilityUnit.responsibility_id.in_(ids)))
    session.add_all(
        ResponsibilityUnit(
            responsibility_id=existing[item["ref"]].id,
            unit_id=units[code].id,
            role=role,
            position=position,
        )
        for item in data
        for role in RESPONSIBILITY_ROLES
        for position, code in enumerate(item.get(role, []))
    )
    session.flush()
    after = _roles(session, ids)
    for ref, row in existing.items():
        moved = before.get(row.id) != after.get(row.id)
        if moved and changes.get(ref, ("changed",))[0] == "changed":
            changes.setdefault(ref, ("changed", []))[1].append("units")
    session.add_all(
        ResponsibilityChange(
            responsibility_id=existing[ref].id,
            at=now,
            by=by.id if by is not None else None,
            change=change,
            parts=parts,
        )
        for ref, (change, parts) in changes.items()
        if change != "changed" or parts
    )
    return existing


def _roles(session: Session, ids: list[int]) -> dict[int, set[tuple[int, str]]]:
    """Each responsibility's units and their roles."""
    roles: dict[int, set[tuple[int, str]]] = {}
    for responsibility_id, unit_id, role in session.exec(
        select(
            ResponsibilityUnit.responsibility_id,
            ResponsibilityUnit.unit_id,
            ResponsibilityUnit.role,
        ).where(ResponsibilityUnit.responsibility_id.in_(ids))
    ):
        roles.setdefault(responsibility_id, set()).add((unit_id, role))
    return roles


def _targets(
    session: Session,
    plan: Plan,
    responsibilities: dict[str, Responsibility],
    data: list[dict],
    result: LoadResult,
) -> None:
    existing = {t.ref: t for t in session.exec(select(Target).where(Target.plan_id == plan.id))}
    for position, item in enumerate(data):
        values = {
            "title": item["title"],
            "text": item["text"],
            "figure": item["target"],
            "unit_of_measure": item["unit"],
            "comparator": item["comparator"],
            "measure": item["measure"],
            "baseline": item.get("baseline"),
            "milestones": item.get("milestones", {}),
            "at_risk_within": item.get("at_risk_within"),
            "position": position,
            "retired": False,
        }
        row = existing.get(item["ref"])
        if row is None:
            row = existing[item["ref"]] = Target(plan_id=plan.id, ref=item["ref"], **values)
            _count(result.created, "targets")
        elif _assign(row, values):
            _count(result.updated, "targets")
        session.add(row)
    in_file = {item["ref"] for item in data}
    for ref, row in existing.items():
        if ref not in in_file and not row.retired:
            row.retired = True
            _count(result.retired, "targets")
    session.flush()
    ids = [row.id for row in existing.values()]
    session.exec(delete(TargetResponsibility).where(TargetResponsibility.target_id.in_(ids)))
    session.add_all(
        TargetResponsibility(
            target_id=existing[item["ref"]].id, responsibility_id=responsibilities[ref].id
        )
        for item in data
        for ref in item["reported_in"]
    )


def _assign(row: object, values: dict) -> list[str]:
    """Set ``values`` on ``row``; the names of those that differed."""
    changed = []
    for name, value in values.items():
        current = getattr(row, name)
        if current != value and not (
            _is_number(current) and _is_number(value) and float(current) == float(value)
        ):
            setattr(row, name, value)
            changed.append(name)
    return changed


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal)


def _count(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def reschedule(
    session: Session, plan: Plan, responsibilities: Iterable[Responsibility], clock: Clock
) -> int:
    """Move the tasks not yet reported to the due times the plan now gives them (a milestone
    moved, a due day changed), recording each move in the task's history; how many moved.

    A task keeps its slot: the same quarter and phase; a duty owed once (or a phase with a date)
    may move to another quarter with its deadline, and a contribution with its lead's. An
    extension granted stands: a task is due at the later of the plan's due time and the one
    granted.
    """
    plan_time = PlanTime.of(plan.definition)
    by_id = {r.id: r for r in responsibilities if not r.retired}
    tasks = session.exec(
        select(Task).where(
            Task.plan_id == plan.id,
            Task.responsibility_id.in_(list(by_id)),
            # an explanation is due when the leader said; a contribution follows the lead's slot
            Task.kind.in_([TaskKind.DUTY.value, TaskKind.CONTRIBUTION.value]),
            ~Task.state.in_(DONE_STATES),
        )
    ).all()
    slots = {
        rid: schedule(r.cadence, r.details["report_due"], plan_time) for rid, r in by_id.items()
    }
    granted = _granted_dues(session, plan)
    now, moved = clock.now(), 0
    for task in tasks:
        slot = _slot_of(task, slots[task.responsibility_id])
        if slot is None:
            continue
        local = slot.due if task.kind == TaskKind.DUTY else plan_time.contribution_due(slot.due)
        due, approximate = clock.instant(local.date(), local.time()), slot.approximate
        if task.id in granted and granted[task.id] > due:
            due, approximate = granted[task.id], False
        if (due, approximate, str(slot.period)) == (
            task.due_at,
            task.due_approximate,
            task.period,
        ):
            continue
        session.add(
            TaskEventRecord(
                task_id=task.id,
                at=now,
                event=RESCHEDULED,
                from_state=task.state,
                to_state=task.state,
                comment=f"{_local(task.due_at, clock)} → {_local(due, clock)}",
            )
        )
        task.due_at, task.due_approximate, task.period = due, approximate, str(slot.period)
        task.updated_at = now
        session.add(task)
        moved += 1
    session.flush()
    return moved


def _granted_dues(session: Session, plan: Plan) -> dict[int, datetime]:
    """The latest due time granted by an extension, for each task of ``plan`` that has one."""
    return dict(
        session.exec(
            select(DeadlineExtension.task_id, func.max(DeadlineExtension.proposed_due))
            .join(Task, Task.id == DeadlineExtension.task_id)
            .where(
                Task.plan_id == plan.id,
                DeadlineExtension.status == ExtensionStatus.GRANTED.value,
            )
            .group_by(DeadlineExtension.task_id)
        ).all()
    )


def _slot_of(task: Task, slots: list[Slot]) -> Slot | None:
    same = [s for s in slots if str(s.period) == task.period and s.number == task.occurrence]
    if same:
        return same[0]
    numbered = [s for s in slots if s.number == task.occurrence]
    periodic = len({s.period for s in slots}) > 1 and task.occurrence == 0
    return numbered[0] if len(numbered) == 1 and not periodic else None


def _local(instant: datetime, clock: Clock) -> str:
    return clock.local(instant).strftime("%d/%m/%Y %H:%M")
