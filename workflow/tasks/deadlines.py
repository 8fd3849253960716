"""On time, late, overdue and not yet due: defined once, for a task in hand and in SQL.

A task's deadline status is derived from its due time and never stored: overdue is not a state.
It is kept apart from the work state on purpose: a task can be in progress and overdue, or
reported late. Two boundaries decide everything, each written once below and used by both the
Python and the SQL side:

- ``reported_by``: a report is on time when it came at the due time or before it;
- ``passed``: a due time has passed only after it (at the due time exactly, a task is not yet
  overdue).

"Done" means reported or approved; "done on time" means *first* reported on time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, not_

from workflow.i18n import N_
from workflow.tasks.models import Task
from workflow.tasks.states import TaskState

DUE_SOON = timedelta(days=7)
DONE_STATES = (TaskState.REPORTED.value, TaskState.REVIEWED.value)


def reported_by(reported_at, due_at):
    """The boundary of "on time", for values and for columns alike."""
    return reported_at <= due_at


def passed(due_at, now):
    """The boundary of "overdue", for values and for columns alike."""
    return due_at < now


# For a task in hand


def is_done(state: str) -> bool:
    return state in DONE_STATES


def is_on_time(first_reported_at: datetime | None, due_at: datetime) -> bool | None:
    """Whether the first report was on time; None while there is none."""
    if first_reported_at is None:
        return None
    return reported_by(first_reported_at, due_at)


def is_overdue(state: str, due_at: datetime, now: datetime) -> bool:
    return not is_done(state) and passed(due_at, now)


def is_not_yet_due(due_at: datetime, now: datetime) -> bool:
    return not passed(due_at, now)


# The same, as SQL conditions on ``Task``


def on_time_clause():
    return and_(
        Task.first_reported_at.is_not(None), reported_by(Task.first_reported_at, Task.due_at)
    )


def late_clause():
    return and_(
        Task.first_reported_at.is_not(None),
        not_(reported_by(Task.first_reported_at, Task.due_at)),
    )


def done_clause():
    return Task.state.in_(DONE_STATES)


def overdue_clause(now: datetime):
    """The task's due time has passed and it is neither reported nor approved."""
    return and_(not_(done_clause()), passed(Task.due_at, now))


def not_yet_due_clause(now: datetime):
    return not_(passed(Task.due_at, now))


# Where a task stands, as pages and the API show it


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
    if is_done(state) and first_reported_at is not None:
        on_time = is_on_time(first_reported_at, due_at)
        return DeadlineStatus.DONE_ON_TIME if on_time else DeadlineStatus.DONE_LATE
    if is_overdue(state, due_at, now):
        return DeadlineStatus.OVERDUE
    if due_at - now <= DUE_SOON:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.WITHIN_DEADLINE
