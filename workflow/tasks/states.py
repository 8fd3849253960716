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


class TaskKind(StrEnum):
    """What a task is owed for: a duty of the plan, led by its unit (chủ trì); a coordinating
    unit's contribution to a duty it does not lead (phối hợp), due before the lead's report and
    taken in by the lead; or an explanation a leader asked of a unit about a target off track
    (yêu cầu giải trình)."""

    DUTY = "duty"
    CONTRIBUTION = "contribution"
    EXPLANATION = "explanation"


class TaskEvent(StrEnum):
    """What a person can do to a task. The first five move it through the state machine; the
    deadline extension's three (đề nghị gia hạn, ``workflow.tasks.extensions``) and assigning
    the task to a member of its unit and saving the draft of its report (phân công,
    ``workflow.tasks.assignment``) never change its state."""

    START = "start"
    REPORT = "report"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    ASK_EXTENSION = "ask_extension"
    GRANT_EXTENSION = "grant_extension"
    REFUSE_EXTENSION = "refuse_extension"
    ASSIGN = "assign"
    SAVE_DRAFT = "save_draft"

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
    TaskEvent.ASSIGN: N_("Assign"),
    TaskEvent.SAVE_DRAFT: N_("Save the draft"),
}

# The events of a deadline extension: recorded in the task's history, outside the machine,
# and what the history calls each.
EXTENSION_HISTORY_LABELS = {
    TaskEvent.ASK_EXTENSION.value: N_("Extension asked for"),
    TaskEvent.GRANT_EXTENSION.value: N_("Extension granted"),
    TaskEvent.REFUSE_EXTENSION.value: N_("Extension refused"),
}
EXTENSION_EVENTS = frozenset(TaskEvent(event) for event in EXTENSION_HISTORY_LABELS)
# Assigning inside the unit, likewise outside the machine.
ASSIGNMENT_HISTORY_LABELS = {
    TaskEvent.ASSIGN.value: N_("Assigned inside the unit"),
    TaskEvent.SAVE_DRAFT.value: N_("Draft of the report saved"),
}
ASSIGNMENT_EVENTS = frozenset(TaskEvent(event) for event in ASSIGNMENT_HISTORY_LABELS)
# What a task's history calls each event that leaves its state as it was.
HISTORY_LABELS = EXTENSION_HISTORY_LABELS | ASSIGNMENT_HISTORY_LABELS


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
