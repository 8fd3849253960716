"""The task's state machine: who may move a task from which state, and what a refusal leaves.

The expected outcomes come from the rules of DESIGN.md written out below, never from
``workflow.machine``: a wrong table in the engine must make these tests fail.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
import transitions
from sqlmodel import Session, func, select

from tests.conftest import at
from workflow.accounts.models import User
from workflow.errors import (
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleVersion,
    WorkflowError,
)
from workflow.tasks import machine, operations
from workflow.tasks.machine import events_from
from workflow.tasks.models import Report, Task, TaskEventRecord
from workflow.tasks.states import TaskState

STATES = ["assigned", "in_progress", "reported", "returned", "reviewed"]

# event: (roles that may fire it, whether only on their own unit's tasks, from states, to state)
RULES = {
    "start": ({"unit_head", "member"}, True, {"assigned", "returned"}, "in_progress"),
    "report": ({"unit_head"}, True, {"in_progress", "returned"}, "reported"),
    "approve": ({"reviewer"}, False, {"reported"}, "reviewed"),
    "return": ({"reviewer"}, False, {"reported"}, "returned"),
    "reopen": ({"reviewer", "admin"}, False, {"reviewed"}, "in_progress"),
}

# How a task is brought into each state before the act under test: the events, in order.
PATHS = {
    "assigned": [],
    "in_progress": ["start"],
    "reported": ["start", "report"],
    "returned": ["start", "report", "return"],
    "reviewed": ["start", "report", "approve"],
}

ACTIONS = {
    "start": operations.start_task,
    "report": operations.submit_report,
    "approve": operations.approve_report,
    "return": operations.return_report,
    "reopen": operations.reopen_task,
}

REVIEWER_EVENTS = {"approve", "return", "reopen"}
NOW = at("2026-03-02T09:00")  # Q1 is under way: when things happen does not matter here
COMMENT = "Đã triển khai; ý kiến: “đạt yêu cầu”"


@dataclass(frozen=True)
class Actor:
    """Someone acting on a task of the small plan, and what they are to that task."""

    name: str
    role: str
    unit: str | None
    task: tuple[str, str]  # (responsibility ref, code of the unit owing it)
    own_unit: bool
    sees: bool


# VI.1.7 is owed by BXDD and coordinated by no one; VI.2.1 is owed by UBND and coordinated by
# BXDD and by the group TCD, whose members are CB1 and CB2.
LONE = ("VI.1.7", "BXDD")
COORDINATED = ("VI.2.1", "UBND")
ACTORS = [
    Actor("admin", "admin", None, LONE, own_unit=False, sees=True),
    Actor("leader", "leader", None, LONE, own_unit=False, sees=True),
    Actor("reviewer", "reviewer", None, LONE, own_unit=False, sees=True),
    Actor("unit_head", "unit_head", "BXDD", LONE, own_unit=True, sees=True),
    Actor("member", "member", "BXDD", LONE, own_unit=True, sees=True),
    Actor("other_unit_head", "unit_head", "UBND", LONE, own_unit=False, sees=False),
    Actor("other_unit_member", "member", "CB1", LONE, own_unit=False, sees=False),
    Actor("coordinating_head", "unit_head", "BXDD", COORDINATED, own_unit=False, sees=True),
    Actor("group_member_coordinating", "member", "CB2", COORDINATED, own_unit=False, sees=True),
]


def expected_outcome(actor: Actor, state: str, event: str):
    """The new state, or the refusal, that DESIGN.md's rules give for this act."""
    roles, own_unit_only, sources, destination = RULES[event]
    if not actor.sees:
        return NotFound
    if actor.role not in roles or (own_unit_only and not actor.own_unit):
        return NotAllowed
    if state not in sources:
        return IllegalTransition
    return destination


def act(session, user, event, task, version=None, comment=COMMENT):
    """``user`` does ``event`` to ``task`` through its service, at ``version`` (the task's own
    when not given)."""
    return ACTIONS[event](
        session, user, task.id, task.version if version is None else version, comment, now=NOW
    )


def drive(session, task, state, head, reviewer):
    """Bring ``task`` into ``state`` the way people would: its unit head and a reviewer act."""
    for event in PATHS[state]:
        act(session, reviewer if event in REVIEWER_EVENTS else head, event, task)
        session.commit()
        session.refresh(task)
    assert task.state == state


def snapshot(session, task_id):
    """What a refusal must leave alone: state, version, history and reports of the task."""
    state, version = session.exec(select(Task.state, Task.version).where(Task.id == task_id)).one()
    events = session.exec(
        select(func.count()).select_from(TaskEventRecord).where(TaskEventRecord.task_id == task_id)
    ).one()
    reports = session.exec(
        select(func.count()).select_from(Report).where(Report.task_id == task_id)
    ).one()
    return {"state": state, "version": version, "events": events, "reports": reports}


def last_event(session, task_id):
    return session.exec(
        select(TaskEventRecord)
        .where(TaskEventRecord.task_id == task_id)
        .order_by(TaskEventRecord.id.desc())
    ).first()


@pytest.fixture
def situation(session, open_tasks, make_user):
    """A task of 2026-Q1 brought into a state by its unit head and a reviewer."""

    def situation(task_key, state):
        task = open_tasks("2026-Q1")(*task_key)
        owner = task_key[1]
        drive(session, task, state, make_user("unit_head", owner), make_user("reviewer"))
        return task

    return situation


CASES = [
    pytest.param(actor, state, event, id=f"{actor.name}-{event}-from-{state}")
    for actor in ACTORS
    for state in STATES
    for event in RULES
]


@pytest.mark.parametrize(("actor", "state", "event"), CASES)
def test_every_act_of_every_role_in_every_state(session, situation, make_user, actor, state, event):
    """What happens when this person does this to a task in this state?"""
    task = situation(actor.task, state)
    user = make_user(actor.role, actor.unit)
    before = snapshot(session, task.id)
    outcome = expected_outcome(actor, state, event)

    if isinstance(outcome, str):
        act(session, user, event, task)
        session.commit()
        after = snapshot(session, task.id)
        assert after == {
            "state": outcome,
            "version": before["version"] + 1,
            "events": before["events"] + 1,
            "reports": before["reports"] + (event == "report"),
        }
        record = last_event(session, task.id)
        assert (
            record.actor_id,
            record.event,
            record.from_state,
            record.to_state,
            record.comment,
        ) == (user.id, event, state, outcome, COMMENT)
    else:
        with pytest.raises(outcome):
            act(session, user, event, task)
        session.rollback()
        assert snapshot(session, task.id) == before


def test_the_history_tells_each_step_from_where_to_where(session, situation, make_user):
    """After a whole round (start, report, return, report, approve, reopen), what does the
    task's history say, step by step?"""
    task = situation(LONE, "assigned")
    head, reviewer = make_user("unit_head", "BXDD"), make_user("reviewer")
    steps = [
        (head, "start"),
        (head, "report"),
        (reviewer, "return"),
        (head, "report"),
        (reviewer, "approve"),
        (reviewer, "reopen"),
    ]
    for who, event in steps:
        act(session, who, event, task)
        session.commit()
        session.refresh(task)
    history = session.exec(
        select(TaskEventRecord)
        .where(TaskEventRecord.task_id == task.id)
        .order_by(TaskEventRecord.id)
    ).all()
    assert [(r.actor_id, r.event, r.from_state, r.to_state) for r in history] == [
        (None, "open", None, "assigned"),
        (head.id, "start", "assigned", "in_progress"),
        (head.id, "report", "in_progress", "reported"),
        (reviewer.id, "return", "reported", "returned"),
        (head.id, "report", "returned", "reported"),
        (reviewer.id, "approve", "reported", "reviewed"),
        (reviewer.id, "reopen", "reviewed", "in_progress"),
    ]
    assert (task.state, task.version) == ("in_progress", 1 + len(steps))


def test_the_table_covers_every_state_and_role():
    """Does the table above leave out any state, or any kind of person?"""
    assert set(STATES) == {str(s) for s in TaskState}
    assert set(RULES) == set(ACTIONS)
    assert {a.role for a in ACTORS} == {"admin", "leader", "reviewer", "unit_head", "member"}
    assert len(CASES) == len(ACTORS) * len(STATES) * len(RULES)


MISSING = {
    "report": "Write what was done: the report text is required.",
    "return": "Give the reason for returning the report.",
    "reopen": "Give the reason for reopening the task.",
}


@pytest.mark.parametrize(
    ("event", "state", "who"),
    [
        ("report", "in_progress", "unit_head"),
        ("report", "returned", "unit_head"),
        ("return", "reported", "reviewer"),
        ("reopen", "reviewed", "reviewer"),
        ("reopen", "reviewed", "admin"),
    ],
)
@pytest.mark.parametrize("comment", ["", "   \n\t ", None])
def test_a_report_or_a_reason_cannot_be_left_out(
    session, situation, make_user, event, state, who, comment
):
    """Is a report without text, or a return or reopening without a reason, refused, saying
    what is missing?"""
    task = situation(LONE, state)
    user = make_user(who, "BXDD" if who == "unit_head" else None)
    before = snapshot(session, task.id)
    with pytest.raises(InvalidInput) as refused:
        act(session, user, event, task, comment=comment)
    assert str(refused.value) == MISSING[event]
    session.rollback()
    assert snapshot(session, task.id) == before


@pytest.mark.parametrize(
    ("event", "state", "who"),
    [("start", "assigned", "member"), ("approve", "reported", "reviewer")],
)
def test_starting_and_approving_need_no_comment(session, situation, make_user, event, state, who):
    """May a task be started or approved without a word? The history keeps an empty comment."""
    task = situation(LONE, state)
    user = make_user(who, "BXDD" if who == "member" else None)
    act(session, user, event, task, comment="")
    session.commit()
    assert last_event(session, task.id).comment == ""


def test_comments_are_kept_without_surrounding_blanks(session, situation, make_user):
    """Is a reason stored as written, less the blanks around it?"""
    task = situation(LONE, "reported")
    act(session, make_user("reviewer"), "return", task, comment="  Thiếu số liệu quý I.\n")
    session.commit()
    assert last_event(session, task.id).comment == "Thiếu số liệu quý I."


@pytest.mark.parametrize(
    ("state", "event", "who", "offset"),
    [
        ("assigned", "start", "member", +1),
        ("in_progress", "report", "unit_head", -1),
        ("reported", "approve", "reviewer", -1),
        ("reported", "return", "reviewer", -2),
        ("reviewed", "reopen", "admin", -3),
        ("returned", "start", "unit_head", +5),
    ],
)
def test_acting_on_an_old_version_is_refused(
    session, situation, make_user, state, event, who, offset
):
    """Is someone who acts on a page loaded before the task changed told to reload?"""
    task = situation(LONE, state)
    user = make_user(who, "BXDD" if who in ("unit_head", "member") else None)
    before = snapshot(session, task.id)
    with pytest.raises(StaleVersion):
        act(session, user, event, task, version=task.version + offset)
    session.rollback()
    assert snapshot(session, task.id) == before


def read_version(engine, task_id, user_id):
    """One page load: read the task and the user in a short transaction of their own."""
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
        version = session.get(Task, task_id).version
        session.commit()
    return user, version


@pytest.mark.parametrize(
    ("first", "second"), [("approve", "return"), ("return", "approve"), ("approve", "approve")]
)
def test_two_reviewers_deciding_on_the_same_report(
    db, session, situation, make_user, first, second
):
    """Two reviewers open the same report; both decide. Whose decision stands?"""
    task = situation(LONE, "reported")
    alice, bob = make_user("reviewer"), make_user("reviewer")
    session.commit()
    # Each reads in a transaction of its own, as two page loads do (on SQLite a transaction
    # holds the write lock, so two open at once would wait for each other).
    alice, alice_version = read_version(db, task.id, alice.id)
    bob, bob_version = read_version(db, task.id, bob.id)
    assert alice_version == bob_version == task.version

    with Session(db, expire_on_commit=False) as one:
        ACTIONS[first](one, alice, task.id, alice_version, "Quyết định thứ nhất", now=NOW)
        one.commit()
    with Session(db, expire_on_commit=False) as other:
        with pytest.raises(StaleVersion):
            ACTIONS[second](other, bob, task.id, bob_version, "Quyết định thứ hai", now=NOW)
        other.rollback()

    after = snapshot(session, task.id)
    assert (after["state"], after["version"]) == (RULES[first][3], task.version + 1)
    record = last_event(session, task.id)
    assert (record.actor_id, record.event) == (alice.id, first)


def test_two_people_starting_a_task_at_the_same_instant(db, session, situation, make_user):
    """A unit head and a member press "start" at once: exactly one of them starts the task."""
    task = situation(LONE, "assigned")
    users = [make_user("unit_head", "BXDD"), make_user("member", "BXDD")]
    task_id, version = task.id, task.version
    session.commit()  # no transaction of this session may hold SQLite's lock during the race
    barrier = threading.Barrier(len(users), timeout=30)
    outcomes: dict[int, str] = {}

    def press_start(user_id):
        with Session(db, expire_on_commit=False) as own:
            user = own.get(User, user_id)
            own.commit()
            try:
                barrier.wait()
                operations.start_task(own, user, task_id, version, now=NOW)
                own.commit()
                outcomes[user_id] = "started"
            except StaleVersion:
                own.rollback()
                outcomes[user_id] = "stale"
            except Exception as error:  # anything else fails the test below, not the thread
                own.rollback()
                outcomes[user_id] = repr(error)

    threads = [threading.Thread(target=press_start, args=(u.id,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    assert sorted(outcomes.values()) == ["stale", "started"]
    winner = next(uid for uid, outcome in outcomes.items() if outcome == "started")
    after = snapshot(session, task_id)
    assert (after["state"], after["version"]) == ("in_progress", version + 1)
    starts = session.exec(
        select(TaskEventRecord).where(
            TaskEventRecord.task_id == task_id, TaskEventRecord.event == "start"
        )
    ).all()
    assert [record.actor_id for record in starts] == [winner]


def identity(message):
    return message


def refusal(session, user, event, task, **kwargs):
    """What refuses ``user``'s ``event``: any refusal of the engine, nothing else."""
    with pytest.raises(WorkflowError) as caught:
        act(session, user, event, task, **kwargs)
    session.rollback()
    return caught.value


def test_refusals_read_as_english_sentences_naming_the_state_and_the_act(
    session, situation, make_user
):
    """What does a user read when a move is refused, in the engine's own language?"""
    task = situation(LONE, "reviewed")
    reviewer, member = make_user("reviewer"), make_user("member", "BXDD")
    outsider = make_user("unit_head", "UBND")

    illegal = refusal(session, reviewer, "approve", task)
    assert isinstance(illegal, IllegalTransition)
    assert illegal.translate(identity) == 'A task that is "Approved" cannot be given "Approve".'
    assert str(illegal) == illegal.translate(identity)

    not_allowed = refusal(session, member, "reopen", task)
    assert isinstance(not_allowed, NotAllowed)
    assert not_allowed.translate(identity) == 'You may not "Reopen" this task.'

    stale = refusal(session, reviewer, "reopen", task, version=task.version - 1)
    assert isinstance(stale, StaleVersion)
    assert stale.translate(identity) == (
        "Someone else changed this task in the meantime. Reload it and try again."
    )

    missing = refusal(session, reviewer, "reopen", task, comment=" ")
    assert isinstance(missing, InvalidInput)
    assert missing.translate(identity) == "Give the reason for reopening the task."

    hidden = refusal(session, outsider, "start", task)
    assert isinstance(hidden, NotFound)
    assert hidden.translate(identity) == f"There is no task {task.id}, or you may not see it."

    codes = {e.code for e in (illegal, not_allowed, stale, missing, hidden)}
    assert codes == {
        "illegal_transition",
        "not_allowed",
        "stale_version",
        "invalid_input",
        "not_found",
    }


def test_state_and_act_are_translated_inside_the_message(session, situation, make_user):
    """In Vietnamese, are the state and the act named in Vietnamese too, not just the sentence?"""
    english = 'A task that is "%(state)s" cannot be given "%(event)s".'
    vietnamese = 'Nhiệm vụ đang ở trạng thái "%(state)s", không thể "%(event)s".'
    catalog = {
        english: vietnamese,
        "Returned for more work": "Trả lại, yêu cầu bổ sung",
        "Approve": "Duyệt",
    }
    task = situation(LONE, "returned")
    error = refusal(session, make_user("reviewer"), "approve", task)
    assert error.translate(lambda message: catalog.get(message, message)) == (
        'Nhiệm vụ đang ở trạng thái "Trả lại, yêu cầu bổ sung", không thể "Duyệt".'
    )


def test_the_machine_accepts_exactly_these_events_in_each_state():
    """Which acts does each state allow, whoever asks?"""
    assert {state: [str(e) for e in events_from(TaskState(state))] for state in STATES} == {
        "assigned": ["start"],
        "in_progress": ["report"],
        "reported": ["approve", "return"],
        "returned": ["start", "report"],
        "reviewed": ["reopen"],
    }


def test_the_machine_agrees_with_the_rules():
    """Does the machine's own view of each state match the rules written above?"""
    for state in STATES:
        allowed = {event for event, (_, _, sources, _) in RULES.items() if state in sources}
        assert {str(e) for e in events_from(TaskState(state))} == allowed


def test_one_machine_serves_every_task(session, situation, make_user, monkeypatch):
    """Is the one shared machine used for every task, with no machine built per task or call?"""
    shared = machine.TASK_MACHINE
    built = []
    original_init = transitions.Machine.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(transitions.Machine, "__init__", counting_init)
    transitions.Machine(states=["a"], initial="a")  # the counter does count
    assert len(built) == 1
    built.clear()

    first, second = situation(LONE, "assigned"), situation(COORDINATED, "assigned")
    head, reviewer = make_user("unit_head", "BXDD"), make_user("reviewer")
    other_head = make_user("unit_head", "UBND")
    for task, owner in ((first, head), (second, other_head)):
        for who, event in (
            (owner, "start"),
            (owner, "report"),
            (reviewer, "return"),
            (owner, "report"),
            (reviewer, "approve"),
            (reviewer, "reopen"),
        ):
            act(session, who, event, task)
            session.commit()
            session.refresh(task)
        with pytest.raises(IllegalTransition):
            act(session, reviewer, "approve", task)
        session.rollback()

    assert built == []
    assert machine.TASK_MACHINE is shared
    assert shared.models == []  # no task was attached to it, so nothing piles up per task
    assert [str(e) for e in events_from(TaskState.REPORTED)] == ["approve", "return"]
