"""What the API answers, as plain JSON: codes rather than labels (a client translates them), and
instants in ISO 8601, UTC. ``web/api/openapi.py`` documents each shape; the tests hold the two
together."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from workflow.accountability.figures import UnitAccountability, UnitRoles
from workflow.accountability.year import YEAR_ROWS, UnitYear
from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.organisations.models import Unit
from workflow.periods import Quarter
from workflow.permissions import events_for
from workflow.targets.queries import PlanTargets
from workflow.tasks.assignment import assignment_events_for
from workflow.tasks.extensions import extension_events_for
from workflow.tasks.models import Report, TaskEventRecord
from workflow.tasks.queries import ExtensionRecord, TaskDetail, TaskRow


def instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def user_json(user: User, unit: Unit | None) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "unit": {"code": unit.code, "name": unit.name} if unit is not None else None,
        "locale": user.locale,
    }


def task_json(detail: TaskDetail, viewer: User, clock: Clock) -> dict:
    """A task with its plan text, units, what ``viewer`` may do now, reports, requests for an
    extension and history."""
    task, responsibility, now = detail.task, detail.responsibility, clock.now()
    row = TaskRow.of(
        task, responsibility.ref, responsibility.title, detail.unit.code, detail.unit.name, now
    )
    row = replace(row, extended=detail.extensions.extended_from is not None)
    actions = events_for(viewer, task.state, task.unit_id, detail.taken_in_by)
    actions += extension_events_for(viewer, task, detail.extensions, clock)
    actions += assignment_events_for(viewer, task, detail.taken_in_by)
    return {
        **row.as_json(),
        "plan": detail.plan.code,
        "section": responsibility.section_ref,
        "text": responsibility.text,
        "result": responsibility.result or None,
        "lead": [unit.code for unit in detail.lead],
        "coordinating": [unit.code for unit in detail.coordinating],
        **{role: [unit.code for unit in units] for role, units in detail.others.items()},
        "due_approximate": task.due_approximate,
        "first_reported_at": instant(task.first_reported_at),
        "reviewed_at": instant(task.reviewed_at),
        "actions": [event.value for event in actions],
        "extended_from": instant(detail.extensions.extended_from),
        "extensions_allowed": detail.extensions.allowed,
        "extensions": [_extension_json(record) for record in detail.extensions.records],
        "contributions": [
            {
                "task": line.task.id,
                "unit": line.unit.code,
                "state": line.task.state,
                "due": instant(line.task.due_at),
                "deadline_status": line.deadline.value,
                "sent_at": instant(line.task.first_reported_at),
                "late": line.late,
            }
            for line in detail.contributions
        ],
        "contributes_to": [lead.id for lead, _ in detail.lead_tasks],
        "assignee": detail.assignee.username if detail.assignee else None,
        "draft": _draft_json(detail),
        "reports": [_report_json(report, detail) for report in detail.reports],
        "history": [_history_json(record, actor) for record, actor in detail.history],
    }


def _draft_json(detail: TaskDetail) -> dict | None:
    if detail.draft is None:
        return None
    draft, author = detail.draft
    return {
        "text": draft.text,
        "links": list(draft.links),
        "saved_at": instant(draft.saved_at),
        "author": author.username,
    }


def _report_json(report: Report, detail: TaskDetail) -> dict:
    return {
        "id": report.id,
        "submitted_at": instant(report.submitted_at),
        "text": report.text,
        "links": list(report.links),
        "figures": [
            {"target": target.ref, "value": float(figure.value)}
            for target, figure in detail.figures.get(report.id, [])
        ],
        "files": [
            {"filename": f.filename, "content_type": f.content_type, "size": f.size}
            for f in detail.files.get(report.id, [])
        ],
    }


def _extension_json(record: ExtensionRecord) -> dict:
    request = record.request
    return {
        "id": request.id,
        "status": request.status,
        "asked_by": record.asked_by.username,
        "asked_at": instant(request.asked_at),
        "due_when_asked": instant(request.due_when_asked),
        "proposed_due": instant(request.proposed_due),
        "reason": request.reason,
        "decided_by": record.decided_by.username if record.decided_by else None,
        "decided_at": instant(request.decided_at),
        "refusal_reason": request.refusal_reason or None,
    }


def _history_json(record: TaskEventRecord, actor: User | None) -> dict:
    return {
        "by": actor.username if actor is not None else None,
        "at": instant(record.at),
        "event": record.event,
        "from": record.from_state,
        "to": record.to_state,
        "comment": record.comment,
    }


def accountability_json(
    period: Quarter | int, rows: list[UnitAccountability], roles: list[UnitRoles]
) -> dict:
    """The accountability page's figures, one entry per unit, worst first; and, apart, each
    unit's part in tasks it does not owe."""
    return {
        "period": str(period),
        "units": [
            {
                "unit": row.unit_code,
                "unit_name": row.unit_name,
                "heads": list(row.heads),
                "expected": row.expected,
                "due": row.due,
                "not_yet_due": row.not_yet_due,
                "reported": row.reported,
                "reported_on_time": row.on_time,
                "completed_on_time": row.completed_on_time,
                "completed_late": row.completed_late,
                "awaiting_review": row.awaiting_review,
                "reporting_rate": row.reporting_rate,
                "on_time_rate": row.on_time_rate,
                "approved": row.approved,
                "returned": row.returned,
                "overdue_now": row.overdue,
                "extended": row.extended,
                "last_activity": row.last_activity.isoformat() if row.last_activity else None,
            }
            for row in rows
        ],
        "roles_apart": [
            {
                "unit": row.unit_code,
                "unit_name": row.unit_name,
                "coordinating": row.coordinating,
                "contributed_on_time": row.contributed_on_time,
                "contributed_late": row.contributed_late,
                "contributions_overdue": row.contributions_overdue,
                "directs": row.directs,
                "in_charge": row.in_charge,
                "takes_part": row.takes_part,
            }
            for row in roles
        ],
    }


def _number(value) -> float | None:
    return None if value is None else float(value)


def targets_json(found: PlanTargets, year: int) -> dict:
    """Each target of the plan with its goal and, quarter by quarter, where the ward and each
    unit the caller may see stand (``workflow.targets.status``)."""
    return {
        "plan": found.plan.code if found.plan else None,
        "year": year,
        "targets": [
            {
                "ref": p.target.ref,
                "title": p.target.title,
                "figure": _number(p.target.figure),
                "comparator": p.target.comparator or "=",
                "unit_of_measure": p.target.unit_of_measure,
                "baseline": _number(p.target.baseline),
                "status": p.latest.assessment.status.value if p.latest else None,
                "quarters": [
                    {
                        "quarter": str(q.quarter),
                        "value": _number(q.value),
                        "expected": _number(q.assessment.expected),
                        "status": q.assessment.status.value,
                        "units": [
                            {
                                "unit": u.unit_code,
                                "unit_name": u.unit_name,
                                "value": _number(u.figure.value) if u.figure else None,
                                "count": _number(u.figure.count) if u.figure else None,
                                "total": _number(u.figure.total) if u.figure else None,
                                "source": (u.figure.source if u.figure else "") or "",
                                "with_report": bool(u.figure and u.figure.report_id),
                                "approved": u.approved,
                                "status": u.assessment.status.value,
                            }
                            for u in q.units
                        ],
                    }
                    for q in p.quarters
                ],
                "explanations": [
                    {
                        "task_id": t.id,
                        "quarter": t.period,
                        "state": t.state,
                        "due": instant(t.due_at),
                    }
                    for t in p.explanations
                ],
            }
            for p in found.targets
        ],
    }


def _year_figures(figures) -> dict:
    return {key: getattr(figures, key) for key, _label in YEAR_ROWS}


def unit_year_json(year: UnitYear) -> dict:
    """A unit's year: the figures of its year page, for the year and for each head."""
    return {
        "unit": year.unit.code,
        "unit_name": year.unit.name,
        "year": year.year,
        "figures": _year_figures(year.figures),
        "heads": [
            {
                "name": head.term.name if head.term else None,
                "from": instant(head.term.started_at) if head.term else None,
                "to": instant(head.term.ended_at) if head.term else None,
                "figures": _year_figures(head.figures),
            }
            for head in year.heads
        ],
        "returns": [
            {
                "ref": item.ref,
                "quarter": item.period,
                "due": instant(item.due_at),
                "at": instant(item.at),
                "reason": item.reason,
            }
            for item in year.returns
        ],
        "targets": [
            {"ref": line.ref, "quarter": str(line.quarter), "status": line.status.value}
            for line in year.target_lines
        ],
        "proposed_grade": year.proposed.value if year.proposed else None,
        "confirmed_grade": (
            {
                "grade": year.confirmed.grade,
                "proposed": year.confirmed.proposed,
                "note": year.confirmed.note,
                "by": year.confirmed_by.username,
                "at": instant(year.confirmed.confirmed_at),
            }
            if year.confirmed
            else None
        ),
    }
