"""The one shared state machine of a task, and who may fire which of its events.

One ``Machine`` is built at import time and drives any object with a ``state`` attribute: a
``Machine`` per row would cost tens of kilobytes each and cannot decorate SQLModel rows. Callbacks
are left out on purpose: a callback that fails after the state changed would not roll it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from transitions import Machine

from workflow.states import Role, TaskEvent, TaskState

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


@dataclass(frozen=True)
class Permission:
    """Who may fire an event: these roles, and whether they must belong to the task's unit."""

    roles: frozenset[Role]
    own_unit_only: bool


PERMISSIONS = {
    TaskEvent.START: Permission(frozenset({Role.UNIT_HEAD, Role.MEMBER}), own_unit_only=True),
    TaskEvent.REPORT: Permission(frozenset({Role.UNIT_HEAD}), own_unit_only=True),
    TaskEvent.APPROVE: Permission(frozenset({Role.REVIEWER}), own_unit_only=False),
    TaskEvent.RETURN: Permission(frozenset({Role.REVIEWER}), own_unit_only=False),
    TaskEvent.REOPEN: Permission(frozenset({Role.REVIEWER, Role.ADMIN}), own_unit_only=False),
}

# Events that must carry a comment: the report's text, the reason for a return or a reopening.
COMMENT_REQUIRED = frozenset({TaskEvent.REPORT, TaskEvent.RETURN, TaskEvent.REOPEN})


def may_fire(event: TaskEvent, role: Role, user_unit_id: int | None, task_unit_id: int) -> bool:
    """Whether a user of ``role`` in ``user_unit_id`` may fire ``event`` on a task of
    ``task_unit_id``, whatever state the task is in."""
    permission = PERMISSIONS[event]
    if role not in permission.roles:
        return False
    return not permission.own_unit_only or user_unit_id == task_unit_id


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


def events_for(
    role: Role, user_unit_id: int | None, state: TaskState, task_unit_id: int
) -> list[TaskEvent]:
    """What a user may do to a task now: the buttons a page offers."""
    return [e for e in events_from(state) if may_fire(e, role, user_unit_id, task_unit_id)]
