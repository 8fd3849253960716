"""What each accountability figure counts, as one SQL condition per figure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import case, exists, func, true

from workflow.i18n import N_
from workflow.periods import Period, Quarter
from workflow.tasks.deadlines import on_time_clause, overdue_clause
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.states import TaskEvent, TaskState


def period_clause(period: Period):
    """SQL condition: the task belongs to ``period`` (a quarter, or any quarter of a year)."""
    if isinstance(period, Quarter):
        return Task.period == str(period)
    return Task.period.in_([str(Quarter(period, number)) for number in range(1, 5)])


def returned_clause():
    """SQL: the task's report was returned at least once."""
    return exists().where(
        TaskEventRecord.task_id == Task.id, TaskEventRecord.event == TaskEvent.RETURN.value
    )


# What each figure counts, as one SQL condition on a task; ``now`` decides what is overdue.
MEASURES: dict[str, Callable[[datetime], object]] = {
    "expected": lambda now: true(),
    "reported": lambda now: Task.first_reported_at.is_not(None),
    "on_time": lambda now: on_time_clause(),
    "approved": lambda now: Task.state == TaskState.REVIEWED.value,
    "returned": lambda now: returned_clause(),
    "overdue": overdue_clause,
}
MEASURE_LABELS = {
    "expected": N_("Tasks due"),
    "reported": N_("Reported"),
    "on_time": N_("Reported on time"),
    "approved": N_("Approved"),
    "returned": N_("Returned"),
    "overdue": N_("Overdue"),
}


def count_where(condition):
    """SQL: how many rows of the group meet ``condition``."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
