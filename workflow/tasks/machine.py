"""The one shared state machine of a task, and who may fire which of its events.

One ``Machine`` is built at import time and drives any object with a ``state`` attribute: a
``Machine`` per row would cost tens of kilobytes each and cannot decorate SQLModel rows. Callbacks
are left out on purpose: a callback that fails after the state changed would not roll it back."""

from __future__ import annotations

from transitions import Machine

from workflow.tasks.states import TaskEvent, TaskState

# event: (sources, destination)
TRANSITIONS = {
    TaskEvent.START: ((TaskState.ASSIGNED, TaskState.RETURNED), TaskState.IN_PROGRESS),
    TaskEvent.REPORT: ((TaskState.IN_PROGRESS, TaskState.RETURNED), TaskState.REPORTED),
    TaskEvent.APPROVE: ((TaskState.REPORTED,), TaskState.REVIEWED),
    TaskEvent.RETURN: ((TaskState.REPORTED,), TaskState.RETURNED),
    TaskEvent.REOPEN: ((TaskState.REVIEWED,), TaskState.IN_PROGRESS),
}

# States and events go in as plain strings: transitions names enum states by member name, the
# database stores them by value.
TASK_MACHINE = Machine(
    model=None,
    states=[state.value for state in TaskState],
    transitions=[
        {"trigger": event.value, "source": [s.value for s in sources], "dest": dest.value}
        for event, (sources, dest) in TRANSITIONS.items()
    ],
    initial=None,
    auto_transitions=False,
)

# Events that must carry a comment: the report's text, the reason for a return or a reopening.
COMMENT_REQUIRED = frozenset({TaskEvent.REPORT, TaskEvent.RETURN, TaskEvent.REOPEN})


def events_from(state: TaskState) -> list[TaskEvent]:
    """The events the machine accepts in ``state``, in the order they are declared."""
    return _EVENTS_FROM[TaskState(state)]


_EVENTS_FROM = {
    state: [e for e in TaskEvent if e.value in TASK_MACHINE.get_triggers(state.value)]
    for state in TaskState
}


def fire(event: TaskEvent, stateful: object) -> bool:
    """Move ``stateful`` (anything with a ``state``) along ``event``; False if not legal."""
    if event not in events_from(TaskState(stateful.state)):
        return False
    return TASK_MACHINE.events[str(event)].trigger(stateful)
