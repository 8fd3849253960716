"""On time, late, overdue and not yet due: defined once, for a task in hand and in SQL.

A task's deadline status is derived from its due time and never stored: overdue is not a state.
It is kept apart from the work state on purpose: a task can be in progress and overdue, or
reported late. Two boundaries decide everything, each written once below and used by both the
Python and the SQL side:

- ``reported_by``: a report is on time when it came at the due time or before it;
- ``passed``: a due time has passed only after it (at the due time exactly, a task is not yet
  overdue).

"Done" (nothing more owed by the unit for now) means reported or approved; "completed" means
approved by the reviewer. Whether the work was on time is decided by the *first* report.

A task is *due* once its due time has passed or it has been reported: from then on its result is
known, so rates count it; a task neither reported nor past its due time is "not yet due" and
never lowers a rate.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, not_, or_

from workflow.i18n import N_
from workflow.tasks.models import DeadlineExtension, Task
from workflow.tasks.states import ExtensionStatus, TaskState

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


def days_left(due_at: datetime, now: datetime, zone: ZoneInfo) -> int:
    """Days from today to the due day, counted as people count them, by the calendar where the
    organisation is and whatever the hour: 1 the day before, 0 on the due day, -1 (one day
    overdue) from the first minute of the day after. Pages and emails say this number."""
    return (due_at.astimezone(zone).date() - now.astimezone(zone).date()).days


def is_due(due_at: datetime, first_reported_at: datetime | None, now: datetime) -> bool:
    """Whether the task counts in rates (see the module's docstring)."""
    return passed(due_at, now) or first_reported_at is not None


def is_completed(state: str) -> bool:
    return state == TaskState.REVIEWED


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


def due_clause(now: datetime):
    """The task counts in rates: its due time has passed, or it has been reported."""
    return or_(passed(Task.due_at, now), Task.first_reported_at.is_not(None))


def not_yet_due_clause(now: datetime):
    return not_(due_clause(now))


def completed_clause():
    return Task.state == TaskState.REVIEWED.value


def extended_clause():
    """SQL: the task's due date was extended at least once (an extension granted); on time and
    overdue are then judged against the due time granted, which is ``due_at``."""
    return exists().where(
        DeadlineExtension.task_id == Task.id,
        DeadlineExtension.status == ExtensionStatus.GRANTED.value,
    )


def awaiting_review_clause():
    return Task.state == TaskState.REPORTED.value


# Where a task stands, as pages and the API show it: the four statuses of Vietnamese government
# task tracking, and a report waiting for review shown apart from them (it is neither completed
# nor owed).


class DeadlineStatus(StrEnum):
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    AWAITING_REVIEW = "awaiting_review"
    OPEN_WITHIN_DEADLINE = "open_within_deadline"
    OPEN_OVERDUE = "open_overdue"

    @property
    def label(self) -> str:
        return DEADLINE_LABELS[self]


DEADLINE_LABELS = {
    DeadlineStatus.COMPLETED_ON_TIME: N_("Completed on time"),
    DeadlineStatus.COMPLETED_LATE: N_("Completed late"),
    DeadlineStatus.AWAITING_REVIEW: N_("Reported, awaiting review"),
    DeadlineStatus.OPEN_WITHIN_DEADLINE: N_("Not completed, within the deadline"),
    DeadlineStatus.OPEN_OVERDUE: N_("Not completed, overdue"),
}


def deadline_status(
    state: str, due_at: datetime, first_reported_at: datetime | None, now: datetime
) -> DeadlineStatus:
    """Where a task stands against its deadline at ``now``."""
    if is_completed(state):
        on_time = is_on_time(first_reported_at, due_at) is not False
        return DeadlineStatus.COMPLETED_ON_TIME if on_time else DeadlineStatus.COMPLETED_LATE
    if is_done(state):
        return DeadlineStatus.AWAITING_REVIEW
    if is_overdue(state, due_at, now):
        return DeadlineStatus.OPEN_OVERDUE
    return DeadlineStatus.OPEN_WITHIN_DEADLINE


def status_clause(status: DeadlineStatus, now: datetime):
    """SQL: the task stands at ``status`` at ``now``, as ``deadline_status`` decides it."""
    open_task = not_(done_clause())
    return {
        DeadlineStatus.COMPLETED_ON_TIME: and_(completed_clause(), not_(late_clause())),
        DeadlineStatus.COMPLETED_LATE: and_(completed_clause(), late_clause()),
        DeadlineStatus.AWAITING_REVIEW: awaiting_review_clause(),
        DeadlineStatus.OPEN_OVERDUE: overdue_clause(now),
        DeadlineStatus.OPEN_WITHIN_DEADLINE: and_(open_task, not_(passed(Task.due_at, now))),
    }[status]
