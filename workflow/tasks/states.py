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
    """What a person can do to a task. The first five move it through the state machine; the
    deadline extension's three (đề nghị gia hạn) never change its state
    (``workflow.tasks.extensions``)."""

    START = "start"
    REPORT = "report"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    ASK_EXTENSION = "ask_extension"
    GRANT_EXTENSION = "grant_extension"
    REFUSE_EXTENSION = "refuse_extension"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    TaskEvent.START: N_("Start"),
    TaskEvent.REPORT: N_("Report"),
    TaskEvent.APPROVE: N_("Approve"),
    TaskEvent.RETURN: N_("Return"),
    TaskEvent.REOPEN: N_("Reopen"),
    TaskEvent.ASK_EXTENSION: N_("Ask for an extension"),
    TaskEvent.GRANT_EXTENSION: N_("Grant the extension"),
    TaskEvent.REFUSE_EXTENSION: N_("Refuse the extension"),
}

# The events of a deadline extension: recorded in the task's history, outside the machine,
# and what the history calls each.
EXTENSION_HISTORY_LABELS = {
    TaskEvent.ASK_EXTENSION.value: N_("Extension asked for"),
    TaskEvent.GRANT_EXTENSION.value: N_("Extension granted"),
    TaskEvent.REFUSE_EXTENSION.value: N_("Extension refused"),
}
EXTENSION_EVENTS = frozenset(TaskEvent(event) for event in EXTENSION_HISTORY_LABELS)


class ExtensionStatus(StrEnum):
    """Where a request for a deadline extension stands."""

    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        """The untranslated label; show it through gettext."""
        return EXTENSION_STATUS_LABELS[self]


EXTENSION_STATUS_LABELS = {
    ExtensionStatus.PENDING: N_("Waiting for a decision"),
    ExtensionStatus.GRANTED: N_("Granted"),
    ExtensionStatus.REFUSED: N_("Refused"),
}


# The event that records a task being created when its quarter opens; never fired by a person.
OPENED = "open"
# The event that records a task's deadline moving with its plan (a milestone moved, a due day
# changed); the comment says from when to when. Never fired by a person either.
RESCHEDULED = "reschedule"
