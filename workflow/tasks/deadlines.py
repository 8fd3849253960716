"""Deadline status, derived from the due time and never stored: overdue is not a state.

Kept apart from the work state on purpose: a task can be in progress and overdue, or reported
late. "Done on time" means first reported before the due time."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, not_

from workflow.i18n import N_
from workflow.tasks.models import Task
from workflow.tasks.states import TaskState

DUE_SOON = timedelta(days=7)
DONE_STATES = (TaskState.REPORTED.value, TaskState.REVIEWED.value)


class DeadlineStatus(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    WITHIN_DEADLINE = "within_deadline"

    @property
    def label(self) -> str:
        return DEADLINE_LABELS[self]


DEADLINE_LABELS = {
    DeadlineStatus.DONE_ON_TIME: N_("Done on time"),
    DeadlineStatus.DONE_LATE: N_("Done late"),
    DeadlineStatus.OVERDUE: N_("Overdue"),
    DeadlineStatus.DUE_SOON: N_("Due soon"),
    DeadlineStatus.WITHIN_DEADLINE: N_("Within the deadline"),
}


def deadline_status(
    state: str, due_at: datetime, first_reported_at: datetime | None, now: datetime
) -> DeadlineStatus:
    """Where a task stands against its deadline at ``now``."""
    if state in DONE_STATES and first_reported_at is not None:
        return (
            DeadlineStatus.DONE_ON_TIME if first_reported_at <= due_at else DeadlineStatus.DONE_LATE
        )
    if due_at < now:
        return DeadlineStatus.OVERDUE
    if due_at - now <= DUE_SOON:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.WITHIN_DEADLINE


def days_between(later: datetime, earlier: datetime) -> int:
    """Whole days from ``earlier`` to ``later`` (days overdue, days left)."""
    return (later - earlier).days


def overdue_clause(now: datetime):
    """SQL condition: the task's due time has passed and it is neither reported nor reviewed."""
    return and_(Task.due_at < now, not_(Task.state.in_(DONE_STATES)))
