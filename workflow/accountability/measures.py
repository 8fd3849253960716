"""What each accountability figure counts, as one SQL condition per figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial

from sqlalchemy import bindparam, case, func, true

from workflow.i18n import N_
from workflow.periods import Period, Quarter
from workflow.tasks.deadlines import (
    DeadlineStatus,
    completed_clause,
    due_clause,
    extended_clause,
    late_clause,
    not_yet_due_clause,
    on_time_clause,
    overdue_clause,
    status_clause,
)
from workflow.tasks.models import Task


def period_clause(period: Period):
    """SQL condition: the task belongs to ``period`` (a quarter, or any quarter of a year)."""
    if isinstance(period, Quarter):
        return Task.period == str(period)
    return Task.period.in_([str(Quarter(period, number)) for number in range(1, 5)])


def returned_clause():
    """SQL: the task's report was returned at least once."""
    return Task.times_returned > 0


# What each figure counts, as one SQL condition on a task; ``now`` decides what is overdue.
# Rates divide by "due" (past its due time, or reported): what is not yet due never lowers one.
MEASURES: dict[str, Callable[[datetime], object]] = {
    "expected": lambda now: true(),
    "due": due_clause,
    "not_yet_due": not_yet_due_clause,
    "reported": lambda now: Task.first_reported_at.is_not(None),
    "on_time": lambda now: on_time_clause(),
    "late": lambda now: late_clause(),
    "completed_on_time": partial(status_clause, DeadlineStatus.COMPLETED_ON_TIME),
    "completed_late": partial(status_clause, DeadlineStatus.COMPLETED_LATE),
    "awaiting_review": partial(status_clause, DeadlineStatus.AWAITING_REVIEW),
    "approved": lambda now: completed_clause(),
    "returned": lambda now: returned_clause(),
    "overdue": overdue_clause,
    # Extended tasks are counted apart; whether they were on time is judged against the due
    # time granted, like any other (it is the task's ``due_at``).
    "extended": lambda now: extended_clause(),
}
MEASURE_LABELS = {
    "expected": N_("Tasks owed"),
    "due": N_("Due by now"),
    "not_yet_due": N_("Not yet due"),
    "reported": N_("Reported"),
    "on_time": N_("Reported on time"),
    "late": N_("Reported late"),
    "completed_on_time": N_("Completed on time"),
    "completed_late": N_("Completed late"),
    "awaiting_review": N_("Reported, awaiting review"),
    "approved": N_("Approved"),
    "returned": N_("Returned"),
    "overdue": N_("Not completed, overdue"),
    "extended": N_("Extended"),
}


def count_where(condition):
    """SQL: how many rows of the group meet ``condition``."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# The instant figures are counted at, given to each statement (``params={"now": now}``): the
# figures' SQL is then built once, where building it anew cost as much as a commune's
# accountability page spent counting.
NOW = bindparam("now", type_=Task.__table__.c.due_at.type)


@cache
def counted(*names: str) -> tuple:
    """How many tasks of the group each figure of ``names`` counts at ``NOW``, as columns
    labelled by name."""
    return tuple(count_where(MEASURES[name](NOW)).label(name) for name in names)


@dataclass(frozen=True)
class Column:
    """One column of accountability by unit: an attribute of ``UnitAccountability`` (and its sort
    key), its heading, the measure whose tasks a figure opens (None: a rate or a date), and
    whether a leader sees it at a glance or opens it on demand."""

    key: str
    label: str
    measure: str | None
    at_a_glance: bool


def _figure(key: str, at_a_glance: bool) -> Column:
    return Column(key, MEASURE_LABELS[key], key, at_a_glance)


# What a leader must see without scrolling sideways first, the rest after it.
UNIT_COLUMNS = (
    _figure("expected", True),
    _figure("completed_on_time", True),
    _figure("completed_late", True),
    _figure("awaiting_review", True),
    _figure("overdue", True),
    _figure("returned", True),
    Column("on_time_rate", N_("On-time rate"), None, True),
    _figure("due", False),
    _figure("not_yet_due", False),
    _figure("reported", False),
    _figure("on_time", False),
    Column("reporting_rate", N_("Reporting rate"), None, False),
    _figure("approved", False),
    _figure("extended", False),
    Column("last_activity", N_("Last activity"), None, False),
)
