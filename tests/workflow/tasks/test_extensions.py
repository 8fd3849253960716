"""Deadline extensions (đề nghị gia hạn): who may ask and decide, when, for which date, and what
a grant moves. The expected outcomes are written out from the issue's rules, never read from
``workflow.tasks.extensions``.

UBND's VI.2.1 of the small plan is due 15/03/2026 17:00 (Hà Nội); the plan ends 31/12/2026 and
allows one extension per task unless a test says otherwise."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from tests.conftest import SMALL_PLAN, at
from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import (
    IllegalTransition,
    InvalidFields,
    NotAllowed,
    NotFound,
    StaleVersion,
)
from workflow.organisations.models import Unit
from workflow.plans.checks import read_plan
from workflow.plans.models import Plan
from workflow.plans.store import load_plan
from workflow.tasks import operations
from workflow.tasks.deadlines import DeadlineStatus, is_overdue
from workflow.tasks.extensions import (
    AlreadyDecided,
    ExtensionRefused,
    ask_extension,
    extension_events_for,
    grant_extension,
    refuse_extension,
)
from workflow.tasks.machine import events_from
from workflow.tasks.models import DeadlineExtension, Task, TaskEventRecord
from workflow.tasks.queries import list_tasks, task_extensions
from workflow.tasks.states import TaskEvent, TaskState

BEFORE_DUE = "2026-03-10T09:00"
DUE = at("2026-03-15T17:00")
REASON = "Chờ số liệu tổng hợp từ các tổ dân phố"


def clock(instant: str = BEFORE_DUE) -> Clock:
    return Clock.at(instant)


@pytest.fixture
def people(make_user):
    """Two heads and a member of UBND, the head of BXDD (which coordinates VI.2.1), two
    reviewers, a leader and an admin."""
    return {
        "head": make_user("unit_head", "UBND", full_name="Trần Thị Bình"),
        "other_head": make_user("unit_head", "UBND"),
        "member": make_user("member", "UBND"),
        "coordinating_head": make_user("unit_head", "BXDD"),
        "reviewer": make_user("reviewer", full_name="Phạm Văn Duyệt"),
        "other_reviewer": make_user("reviewer"),
        "leader": make_user("leader"),
        "admin": make_user("admin"),
    }


@pytest.fixture
def task(open_tasks, session):
    """UBND's VI.2.1 of 2026-Q1, just opened."""
    found = open_tasks("2026-Q1")("VI.2.1", "UBND")
    session.commit()
    return found


def ask(session, user, task, day="2026-03-31", reason=REASON, when=BEFORE_DUE, version=None):
    session.refresh(task)
    return ask_extension(
        session,
        user,
        task.id,
        task.version if version is None else version,
        date.fromisoformat(day) if day else None,
        reason,
        clock=clock(when),
    )


def grant(session, user, task, when=BEFORE_DUE, version=None):
    session.refresh(task)
    version = task.version if version is None else version
    return grant_extension(session, user, task.id, version, clock=clock(when))


def refuse(session, user, task, reason="Thời hạn đủ để thực hiện", when=BEFORE_DUE, version=None):
    session.refresh(task)
    version = task.version if version is None else version
    return refuse_extension(session, user, task.id, version, reason, clock=clock(when))


def committed(session, action, *args, **kwargs):
    result = action(session, *args, **kwargs)
    session.commit()
    return result


def drive(session, task, state, people, when=BEFORE_DUE):
    """Bring ``task`` into ``state`` as its head and a reviewer would."""
    steps = {
        "assigned": [],
        "in_progress": [("head", operations.start_task)],
        "reported": [("head", operations.start_task), ("head", operations.submit_report)],
        "returned": [
            ("head", operations.start_task),
            ("head", operations.submit_report),
            ("reviewer", operations.return_report),
        ],
        "reviewed": [
            ("head", operations.start_task),
            ("head", operations.submit_report),
            ("reviewer", operations.approve_report),
        ],
    }[state]
    for who, action in steps:
        session.refresh(task)
        action(session, people[who], task.id, task.version, "Đã làm", now=at(when))
        session.commit()
    session.refresh(task)
    assert task.state == state


def history(session, task):
    return session.exec(
        select(TaskEventRecord.event, TaskEventRecord.from_state, TaskEventRecord.to_state)
        .where(TaskEventRecord.task_id == task.id)
        .order_by(TaskEventRecord.id)
    ).all()


def requests(session, task):
    session.commit()
    return session.exec(
        select(DeadlineExtension.status)
        .where(DeadlineExtension.task_id == task.id)
        .order_by(DeadlineExtension.id)
    ).all()


def reload_plan(session, tmp_path, edit: tuple[str, str]):
    """Load the small plan again with one edit of its text (the same plan, changed)."""
    text = SMALL_PLAN.read_text(encoding="utf-8").replace(*edit)
    path = tmp_path / "small-ward.yaml"
    path.write_text(text, encoding="utf-8")
    load_plan(session, read_plan(path), Clock.at(BEFORE_DUE))
    session.commit()


ALLOW = {
    0: ("defaults:\n", "defaults:\n  extensions_per_task: 0\n"),
    2: ("defaults:\n", "defaults:\n  extensions_per_task: 2\n"),
}


# Asking


def test_a_request_waits_without_moving_the_state_or_the_due_date(session, task, people):
    """What does asking leave behind: a waiting request, one line of history, a new version,
    and the task as it was otherwise?"""
    request = committed(session, ask, people["head"], task)
    session.refresh(task)
    assert (request.status, request.asked_by_id, request.reason) == (
        "pending",
        people["head"].id,
        REASON,
    )
    assert (request.due_when_asked, request.proposed_due) == (DUE, at("2026-03-31T17:00"))
    assert (task.state, task.due_at, task.version) == ("assigned", DUE, 2)
    assert history(session, task)[-1] == ("ask_extension", "assigned", "assigned")
    comment = session.exec(
        select(TaskEventRecord.comment).where(TaskEventRecord.event == "ask_extension")
    ).one()
    assert comment == f"15/03/2026 17:00 → 31/03/2026 17:00\n{REASON}"


def test_the_new_due_time_keeps_the_hour_of_the_old_one_in_ha_noi(session, task, people):
    """Due at 17:00 Hà Nội (10:00 UTC): an extension to 20 March is due at 17:00 that day."""
    request = committed(session, ask, people["head"], task, day="2026-03-20")
    assert request.proposed_due == at("2026-03-20T17:00")
    assert request.proposed_due.hour == 10  # stored in UTC


@pytest.mark.parametrize(
    ("when", "allowed"),
    [
        ("2026-03-15T16:59", True),
        ("2026-03-15T17:00", True),  # exactly at the due time: not yet passed
        ("2026-03-15T17:01", False),
        ("2026-03-20T09:00", False),
    ],
)
def test_one_asks_before_the_due_time_has_passed(session, task, people, when, allowed):
    """May the head still ask at, and only until, the due time?"""
    if allowed:
        assert committed(session, ask, people["head"], task, when=when).status == "pending"
        return
    with pytest.raises(ExtensionRefused) as refused:
        ask(session, people["head"], task, when=when)
    assert refused.value.why == "past_due"
    assert "15/03/2026 17:00" in str(refused.value)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-03-15", "The new due date must be after the current one, 15/03/2026."),
        ("2026-03-14", "The new due date must be after the current one, 15/03/2026."),
        ("2027-01-01", "The new due date may not be after the plan ends, on 31/12/2026."),
        (None, "Choose the new due date."),
    ],
)
def test_the_new_date_is_after_the_current_one_and_within_the_plan(
    session, task, people, day, message
):
    """Is a day that does not move the deadline on, or that leaves the plan, refused beside
    the date field?"""
    with pytest.raises(InvalidFields) as refused:
        ask(session, people["head"], task, day=day)
    session.rollback()
    assert {name: str(problem) for name, problem in refused.value.problems.items()} == {
        "due_date": message
    }
    assert requests(session, task) == []


def test_the_last_day_of_the_plan_may_be_asked_for(session, task, people):
    assert committed(session, ask, people["head"], task, day="2026-12-31").status == "pending"


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(session, task, people, reason):
    with pytest.raises(InvalidFields) as refused:
        ask(session, people["head"], task, reason=reason)
    session.rollback()
    assert {k: str(v) for k, v in refused.value.problems.items()} == {
        "reason": "Give the reason for asking for an extension."
    }


def test_every_mistake_is_said_at_once(session, task, people):
    """No date and no reason: both fields are told, not one per try."""
    with pytest.raises(InvalidFields) as refused:
        ask(session, people["head"], task, day=None, reason="")
    session.rollback()
    assert set(refused.value.problems) == {"due_date", "reason"}


def test_one_request_waits_at_a_time(session, task, people):
    """A second request while the first waits, by the same head or another, is refused."""
    committed(session, ask, people["head"], task)
    for who in ("head", "other_head"):
        with pytest.raises(ExtensionRefused) as refused:
            ask(session, people[who], task, day="2026-04-10")
        session.rollback()
        assert refused.value.why == "pending"
    assert requests(session, task) == ["pending"]


def test_the_plan_allows_one_extension_by_default(session, task, people):
    """Granted once, a task cannot be extended again; a refused request does not count."""
    committed(session, ask, people["head"], task, day="2026-03-20")
    committed(session, refuse, people["reviewer"], task)
    committed(session, ask, people["head"], task, day="2026-03-25")
    committed(session, grant, people["reviewer"], task)
    with pytest.raises(ExtensionRefused) as refused:
        ask(session, people["head"], task, day="2026-04-10")
    session.rollback()
    assert refused.value.why == "limit"
    assert requests(session, task) == ["refused", "granted"]


def test_a_plan_may_allow_two(session, task, people, tmp_path):
    reload_plan(session, tmp_path, ALLOW[2])
    committed(session, ask, people["head"], task, day="2026-03-20")
    committed(session, grant, people["reviewer"], task)
    committed(session, ask, people["head"], task, day="2026-03-25")
    committed(session, grant, people["reviewer"], task)
    with pytest.raises(ExtensionRefused) as refused:
        ask(session, people["head"], task, day="2026-03-30")
    assert refused.value.why == "limit"


def test_a_plan_may_forbid_extensions(session, task, people, tmp_path):
    reload_plan(session, tmp_path, ALLOW[0])
    with pytest.raises(ExtensionRefused) as refused:
        ask(session, people["head"], task)
    assert refused.value.why == "none_allowed"


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("member", NotAllowed),  # of the unit, not its head
        ("coordinating_head", NotAllowed),  # sees the task, another unit's
        ("reviewer", NotAllowed),
        ("leader", NotAllowed),
        ("admin", NotAllowed),
    ],
)
def test_only_the_head_of_the_task_s_unit_asks(session, task, people, who, refusal):
    with pytest.raises(refusal):
        ask(session, people[who], task)
    session.rollback()
    assert requests(session, task) == []


def test_a_task_one_may_not_see_is_not_found(session, open_tasks, people):
    """BXDD's VI.1.7, which UBND does not coordinate: its id reveals nothing."""
    lone = open_tasks("2026-Q1")("VI.1.7", "BXDD")
    session.commit()
    with pytest.raises(NotFound):
        ask(session, people["head"], lone, when="2026-02-01T09:00", day="2026-02-20")


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        ("assigned", True),
        ("in_progress", True),
        ("returned", True),
        ("reported", False),
        ("reviewed", False),
    ],
)
def test_only_an_open_task_may_be_extended(session, task, people, state, allowed):
    drive(session, task, state, people)
    if allowed:
        assert committed(session, ask, people["head"], task).status == "pending"
        return
    with pytest.raises(IllegalTransition):
        ask(session, people["head"], task)


def test_asking_on_an_old_page_is_told_to_reload(session, task, people):
    with pytest.raises(StaleVersion):
        ask(session, people["head"], task, version=task.version + 1)


# Deciding


def test_a_grant_moves_the_due_time_and_says_so_in_the_history(session, task, people):
    committed(session, ask, people["head"], task)
    before = task.version
    request = committed(session, grant, people["reviewer"], task, when="2026-03-11T08:00")
    session.refresh(task)
    assert (task.due_at, task.due_approximate, task.version) == (
        at("2026-03-31T17:00"),
        False,
        before + 1,
    )
    assert (request.status, request.decided_by_id, request.decided_at) == (
        "granted",
        people["reviewer"].id,
        at("2026-03-11T08:00"),
    )
    event, comment = session.exec(
        select(TaskEventRecord.event, TaskEventRecord.comment)
        .where(TaskEventRecord.task_id == task.id)
        .order_by(TaskEventRecord.id.desc())
    ).first()
    assert (event, comment) == ("grant_extension", "15/03/2026 17:00 → 31/03/2026 17:00")
    assert task.state == "assigned"
    assert task_extensions(session, task, session.get(Plan, task.plan_id)).extended_from == DUE


def test_a_task_overdue_before_the_grant_is_within_its_deadline_after(session, task, ward, people):
    """Asked on 10 March, decided on 20 March (after the old due time): overdue until the grant,
    within the deadline after it, and a report on 25 March is on time."""
    committed(session, ask, people["head"], task)
    instant = at("2026-03-20T09:00")
    session.refresh(task)
    assert is_overdue(task.state, task.due_at, instant)
    # UBND's own task: the coordinating units' contributions to VI.2.1 are their tasks
    ubnd = session.get(Unit, task.unit_id)
    [row] = list_tasks(session, ward, instant, unit=ubnd, search="VI.2.1")
    assert (row.id, row.deadline) == (task.id, DeadlineStatus.OPEN_OVERDUE)

    committed(session, grant, people["reviewer"], task, when="2026-03-20T09:00")
    session.refresh(task)
    assert not is_overdue(task.state, task.due_at, instant)
    [row] = list_tasks(session, ward, instant, unit=ubnd, search="VI.2.1")
    assert (row.id, row.deadline) == (task.id, DeadlineStatus.OPEN_WITHIN_DEADLINE)
    assert list_tasks(session, ward, instant, overdue=True, unit=ubnd, search="VI.2.1") == []

    for action in (operations.start_task, operations.submit_report):
        session.refresh(task)
        action(session, people["head"], task.id, task.version, "Đã làm", now=at("2026-03-25T09:00"))
        session.commit()
    session.refresh(task)
    assert task.first_reported_at > DUE and task.first_reported_at <= task.due_at


def test_a_report_waiting_for_review_may_still_be_extended(session, task, people):
    """The unit asked in time and reported before the decision: granting it makes the report
    on time against the new date."""
    committed(session, ask, people["head"], task)
    drive(session, task, "reported", people, when="2026-03-18T09:00")
    committed(session, grant, people["reviewer"], task, when="2026-03-19T09:00")
    session.refresh(task)
    assert task.first_reported_at <= task.due_at == at("2026-03-31T17:00")


def test_an_approved_task_is_no_longer_extended_but_its_request_may_be_refused(
    session, task, people
):
    committed(session, ask, people["head"], task)
    drive(session, task, "reviewed", people, when="2026-03-12T09:00")
    with pytest.raises(IllegalTransition):
        grant(session, people["reviewer"], task)
    session.rollback()
    assert committed(session, refuse, people["reviewer"], task).status == "refused"


def test_a_refusal_says_why_and_leaves_the_due_date(session, task, people):
    committed(session, ask, people["head"], task)
    request = committed(session, refuse, people["reviewer"], task, reason="Không đủ căn cứ")
    session.refresh(task)
    assert (request.status, request.refusal_reason) == ("refused", "Không đủ căn cứ")
    assert task.due_at == DUE
    assert history(session, task)[-1] == ("refuse_extension", "assigned", "assigned")


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_refusal_needs_a_reason(session, task, people, reason):
    committed(session, ask, people["head"], task)
    with pytest.raises(InvalidFields) as refused:
        refuse(session, people["reviewer"], task, reason=reason)
    session.rollback()
    assert {k: str(v) for k, v in refused.value.problems.items()} == {
        "reason": "Give the reason for refusing the extension."
    }
    assert requests(session, task) == ["pending"]


@pytest.mark.parametrize("who", ["head", "member", "coordinating_head", "leader", "admin"])
@pytest.mark.parametrize("decision", [grant, refuse])
def test_only_a_reviewer_decides(session, task, people, who, decision):
    committed(session, ask, people["head"], task)
    with pytest.raises(NotAllowed):
        decision(session, people[who], task)
    session.rollback()
    assert requests(session, task) == ["pending"]
    session.refresh(task)
    assert task.due_at == DUE


@pytest.mark.parametrize("decision", [grant, refuse])
def test_nothing_waiting_nothing_to_decide(session, task, people, decision):
    with pytest.raises(AlreadyDecided) as refused:
        decision(session, people["reviewer"], task)
    assert str(refused.value) == "No request for an extension of this task is waiting."


def test_a_grant_never_shortens_a_deadline_the_plan_moved_later(session, task, people, tmp_path):
    """Asked for 20 March; meanwhile the plan moved the quarter's due day to 25 March: there
    is nothing left to grant."""
    committed(session, ask, people["head"], task, day="2026-03-20")
    reload_plan(session, tmp_path, ("day: 15,", "day: 25,"))
    session.refresh(task)
    assert task.due_at == at("2026-03-25T17:00")
    assert extension_events_for(
        people["reviewer"],
        task,
        task_extensions(session, task, session.get(Plan, task.plan_id)),
        clock(),
    ) == [TaskEvent.REFUSE_EXTENSION]
    with pytest.raises(ExtensionRefused) as refused:
        grant(session, people["reviewer"], task)
    assert refused.value.why == "moot"


@pytest.mark.parametrize(
    ("plan_day", "expected"),
    [
        ("day: 20,", "2026-03-31T17:00"),  # the plan moves it less far: the extension stands
        ("day: 10,", "2026-03-31T17:00"),  # the plan moves it earlier: the extension stands
        ("{month: 2, day: 15,", "2026-03-31T17:00"),
    ],
)
def test_reloading_the_plan_does_not_take_an_extension_back(
    session, task, people, tmp_path, plan_day, expected
):
    committed(session, ask, people["head"], task)
    committed(session, grant, people["reviewer"], task)
    edit = ("{month: 3, day: 15,", plan_day) if plan_day.startswith("{") else ("day: 15,", plan_day)
    reload_plan(session, tmp_path, edit)
    session.refresh(task)
    assert task.due_at == at(expected)


def test_a_plan_that_moves_a_deadline_past_the_extension_wins(session, task, people, tmp_path):
    committed(session, ask, people["head"], task, day="2026-03-20")
    committed(session, grant, people["reviewer"], task)
    reload_plan(session, tmp_path, ("day: 15,", "day: 28,"))
    session.refresh(task)
    assert task.due_at == at("2026-03-28T17:00")


# What each person is offered


@pytest.mark.parametrize(
    ("situation", "who", "events"),
    [
        ("nothing asked", "head", ["ask_extension"]),
        ("nothing asked", "other_head", ["ask_extension"]),
        ("nothing asked", "member", []),
        ("nothing asked", "reviewer", []),
        ("waiting", "head", []),
        ("waiting", "reviewer", ["grant_extension", "refuse_extension"]),
        ("waiting", "admin", []),
        ("waiting", "leader", []),
        ("granted", "head", []),
        ("granted", "reviewer", []),
    ],
)
def test_what_each_person_may_do_about_an_extension(session, task, people, situation, who, events):
    if situation != "nothing asked":
        committed(session, ask, people["head"], task)
    if situation == "granted":
        committed(session, grant, people["reviewer"], task)
    session.refresh(task)
    extensions = task_extensions(session, task, session.get(Plan, task.plan_id))
    offered = extension_events_for(people[who], task, extensions, clock())
    assert [str(event) for event in offered] == events


def test_the_machine_offers_none_of_the_extension_s_events():
    """The extension's events are not transitions: no state offers them."""
    extension = {"ask_extension", "grant_extension", "refuse_extension"}
    assert all(not extension & {str(e) for e in events_from(state)} for state in TaskState)


# Two people at once


def read(engine, task_id, user_id):
    """One page load, in a short transaction of its own: the user and the version seen."""
    with Session(engine, expire_on_commit=False) as own:
        user = own.get(User, user_id)
        version = own.get(Task, task_id).version
        own.commit()
    return user, version


DECISIONS = {"grant": grant_extension, "refuse": refuse_extension}


@pytest.mark.parametrize(
    ("first", "second"), [("grant", "refuse"), ("refuse", "grant"), ("grant", "grant")]
)
def test_two_reviewers_deciding_one_after_the_other(db, session, task, people, first, second):
    """Both opened the request; the first decides. The second is told it was decided."""
    committed(session, ask, people["head"], task)
    alice, alice_version = read(db, task.id, people["reviewer"].id)
    bob, bob_version = read(db, task.id, people["other_reviewer"].id)
    with Session(db, expire_on_commit=False) as one:
        DECISIONS[first](one, alice, task.id, alice_version, "Lý do một", clock=clock())
        one.commit()
    with Session(db, expire_on_commit=False) as other:
        with pytest.raises(AlreadyDecided) as told:
            DECISIONS[second](other, bob, task.id, bob_version, "Lý do hai", clock=clock())
        other.rollback()
    status = "granted" if first == "grant" else "refused"
    assert requests(session, task) == [status]
    assert "already decided" in str(told.value)
    decisions = session.exec(
        select(func.count())
        .select_from(TaskEventRecord)
        .where(TaskEventRecord.event.in_(["grant_extension", "refuse_extension"]))
    ).one()
    assert decisions == 1


def race(db, users: list[int], act) -> dict[int, str]:
    """Each user acts at the same instant in a session of their own: what became of each."""
    barrier = threading.Barrier(len(users), timeout=30)
    outcomes: dict[int, str] = {}

    def run(user_id):
        with Session(db, expire_on_commit=False) as own:
            user = own.get(User, user_id)
            own.commit()
            try:
                barrier.wait()
                act(own, user)
                own.commit()
                outcomes[user_id] = "done"
            except (ExtensionRefused, AlreadyDecided) as refusal:
                own.rollback()
                outcomes[user_id] = type(refusal).__name__
            except Exception as error:  # anything else fails the test, not the thread
                own.rollback()
                outcomes[user_id] = repr(error)

    threads = [threading.Thread(target=run, args=(user_id,)) for user_id in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_heads_asking_at_the_same_instant(db, session, task, people):
    """Both heads of UBND ask at once: one request is kept, the other head is told one waits."""
    task_id, version = task.id, task.version
    session.commit()

    def act(own, user):
        ask_extension(own, user, task_id, version, date(2026, 3, 31), REASON, clock=clock())

    outcomes = race(db, [people["head"].id, people["other_head"].id], act)
    assert sorted(outcomes.values()) == ["ExtensionRefused", "done"]
    assert requests(session, task) == ["pending"]


def test_a_request_sent_while_another_is_being_kept_is_told_one_waits(db, session, task, people):
    """The first head's request is written but not yet committed when the second head asks:
    the second cannot see it yet, and the database itself keeps only one (PostgreSQL makes the
    second wait on the index, SQLite on the write lock); the second head is told one waits."""
    task_id, version = task.id, task.version
    session.commit()
    first = Session(db, expire_on_commit=False)
    one = first.get(User, people["head"].id)
    ask_extension(first, one, task_id, version, date(2026, 3, 31), REASON, clock=clock())
    outcome: list[str] = []

    def second_head():
        with Session(db, expire_on_commit=False) as own:
            try:
                user = own.get(User, people["other_head"].id)
                ask_extension(own, user, task_id, version, date(2026, 4, 5), REASON, clock=clock())
                own.commit()
                outcome.append("kept")
            except ExtensionRefused as refusal:
                own.rollback()
                outcome.append(refusal.why)
            except Exception as error:
                own.rollback()
                outcome.append(repr(error))

    thread = threading.Thread(target=second_head)
    thread.start()
    thread.join(timeout=1)  # it waits for the first transaction
    assert thread.is_alive()
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert outcome == ["pending"]
    assert requests(session, task) == ["pending"]


@pytest.mark.parametrize(("first", "second"), [("grant", "refuse"), ("refuse", "grant")])
def test_a_decision_sent_while_another_is_being_kept_is_told_it_was_decided(
    db, session, task, people, first, second
):
    """The first reviewer's decision is written but not yet committed when the second one
    decides on the same page: the second waits, then is told the request was decided."""
    committed(session, ask, people["head"], task)
    task_id, version = task.id, task.version
    session.commit()
    one = Session(db, expire_on_commit=False)
    alice = one.get(User, people["reviewer"].id)
    DECISIONS[first](one, alice, task_id, version, "Lý do một", clock=clock())
    outcome: list[str] = []

    def other_reviewer():
        with Session(db, expire_on_commit=False) as own:
            try:
                bob = own.get(User, people["other_reviewer"].id)
                DECISIONS[second](own, bob, task_id, version, "Lý do hai", clock=clock())
                own.commit()
                outcome.append("decided")
            except Exception as error:
                own.rollback()
                outcome.append(type(error).__name__)

    thread = threading.Thread(target=other_reviewer)
    thread.start()
    thread.join(timeout=1)
    assert thread.is_alive()  # it waits for the first transaction
    one.commit()
    one.close()
    thread.join(timeout=30)
    assert outcome == ["AlreadyDecided"]
    assert requests(session, task) == ["granted" if first == "grant" else "refused"]


def test_a_grant_while_the_head_starts_the_task_is_told_to_reload(db, session, task, people):
    """The head's start is written but not yet committed when the reviewer grants, on the page
    read before it: the grant waits for it, then is refused (the task changed), and the
    request still waits."""
    committed(session, ask, people["head"], task)
    task_id, version = task.id, task.version
    session.commit()
    starting = Session(db, expire_on_commit=False)
    head = starting.get(User, people["head"].id)
    operations.start_task(starting, head, task_id, version, now=at(BEFORE_DUE))
    outcome: list[str] = []

    def reviewer_grants():
        with Session(db, expire_on_commit=False) as own:
            try:
                reviewer = own.get(User, people["reviewer"].id)
                grant_extension(own, reviewer, task_id, version, clock=clock())
                own.commit()
                outcome.append("granted")
            except Exception as error:
                own.rollback()
                outcome.append(type(error).__name__)

    thread = threading.Thread(target=reviewer_grants)
    thread.start()
    thread.join(timeout=1)
    starting.commit()
    starting.close()
    thread.join(timeout=30)
    assert outcome == ["StaleVersion"]
    assert requests(session, task) == ["pending"]
    session.refresh(task)
    assert (task.state, task.due_at) == ("in_progress", DUE)


def test_the_database_keeps_one_waiting_request_per_task(session, task, people):
    """The partial unique index: a second waiting request cannot be written, however it is
    sent; decided ones may be many."""

    def row(status):
        return DeadlineExtension(
            task_id=task.id,
            asked_by_id=people["head"].id,
            asked_at=at(BEFORE_DUE),
            due_when_asked=DUE,
            proposed_due=at("2026-03-31T17:00"),
            reason=REASON,
            status=status,
        )

    session.add_all([row("granted"), row("refused"), row("refused"), row("pending")])
    session.commit()
    session.add(row("pending"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    assert sorted(requests(session, task)) == ["granted", "pending", "refused", "refused"]


def test_two_reviewers_deciding_at_the_same_instant(db, session, task, people):
    """One grants while the other refuses: exactly one decision stands."""
    committed(session, ask, people["head"], task)
    task_id, version = task.id, task.version
    session.commit()

    def act(own, user):
        service = grant_extension if user.id == people["reviewer"].id else refuse_extension
        service(own, user, task_id, version, "Lý do", clock=clock())

    outcomes = race(db, [people["reviewer"].id, people["other_reviewer"].id], act)
    assert sorted(outcomes.values()) == ["AlreadyDecided", "done"]
    [status] = requests(session, task)
    session.refresh(task)
    assert (task.due_at == at("2026-03-31T17:00")) is (status == "granted")
