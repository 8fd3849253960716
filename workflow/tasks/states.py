"""The states of a task, the events that move it, and the roles of the people who fire them."""

from __future__ import annotations

from enum import StrEnum

from workflow.i18n import N_


class TaskState(StrEnum):
    """Where a task stands. Overdue is not a state: it is derived from the due time."""

    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    RETURNED = "returned"
    REVIEWED = "reviewed"

    @property
    def label(self) -> str:
        """The untranslated label; show it through gettext."""
        return STATE_LABELS[self]


STATE_LABELS = {
    TaskState.ASSIGNED: N_("Assigned"),
    TaskState.IN_PROGRESS: N_("In progress"),
    TaskState.REPORTED: N_("Reported"),
    TaskState.RETURNED: N_("Returned for more work"),
    TaskState.REVIEWED: N_("Approved"),
}


class TaskEvent(StrEnum):
    """What a person can do to a task."""

    START = "start"
    REPORT = "report"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    TaskEvent.START: N_("Start"),
    TaskEvent.REPORT: N_("Report"),
    TaskEvent.APPROVE: N_("Approve"),
    TaskEvent.RETURN: N_("Return"),
    TaskEvent.REOPEN: N_("Reopen"),
}

# The event that records a task being created when its quarter opens; never fired by a person.
OPENED = "open"
# The event that records a task's deadline moving with its plan (a milestone moved, a due day
# changed); the comment says from when to when. Never fired by a person either.
RESCHEDULED = "reschedule"
