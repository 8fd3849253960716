"""Whose work a task is, in SQL: a unit's own (led) work, or its contribution to another's.

Accountability, the plan's progress and the quarterly report count what a unit leads (its
duties and the explanations asked of it); a contribution to a duty another unit leads is the
coordinating unit's, counted apart and never in the lead's figures, so a late contribution
weighs on the unit that was late, not on the lead."""

from __future__ import annotations

from workflow.tasks.models import Task
from workflow.tasks.states import TaskKind

LED_KINDS = tuple(kind.value for kind in TaskKind if kind is not TaskKind.CONTRIBUTION)


def led_clause():
    """SQL: the task is a unit's own work (a duty it leads, or an explanation asked of it);
    named kinds rather than "not a contribution", so that the index by kind finds them."""
    return Task.kind.in_(LED_KINDS)


def contribution_clause():
    """SQL: the task is a coordinating unit's contribution to a duty another unit leads."""
    return Task.kind == TaskKind.CONTRIBUTION.value
