"""On time, late, overdue and not yet due, at their boundaries, and the same answer from Python
(a task in hand) and from SQL (lists, figures, reports).

The boundaries, as DESIGN.md says them: "done on time" means first reported *by* the due time, a
report at exactly the due time is on time; a task becomes overdue only once its due time has
passed, so at the due time exactly it is not yet overdue.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from tests.conftest import Q1_CONTRIBUTIONS, Q1_DUTIES
from workflow.accountability.queries import accountability_by_unit
from workflow.clock import Clock
from workflow.periods import Quarter
from workflow.reporting.quarterly import quarterly_report
from workflow.tasks.deadlines import (
    DeadlineStatus,
    deadline_status,
    is_due,
    is_on_time,
    is_overdue,
    late_clause,
    not_yet_due_clause,
    on_time_clause,
    overdue_clause,
    status_clause,
)
from workflow.tasks.models import Task
from workflow.tasks.queries import list_tasks

DUE = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội
CONTRIBUTION_DUE = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # 5 days earlier, same hour
TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("reported", "on_time"),
    [(DUE - TICK, True), (DUE, True), (DUE + TICK, False), (None, None)],
    ids=["before", "exactly-at", "just-after", "not-reported"],
)
def test_a_report_by_the_due_time_is_on_time(reported, on_time):
    assert is_on_time(reported, DUE) is on_time


@pytest.mark.parametrize(
    ("now", "overdue"),
    [(DUE - TICK, False), (DUE, False), (DUE + TICK, True)],
    ids=["before", "exactly-at", "just-after"],
)
def test_a_task_is_overdue_only_once_its_due_time_has_passed(now, overdue):
    assert is_overdue("in_progress", DUE, now) is overdue
    assert is_due(DUE, None, now) is overdue
    assert is_due(DUE, DUE - TICK, DUE - TICK)  # reported early: its result is known
    assert not is_overdue("reported", DUE, now) and not is_overdue("reviewed", DUE, now)


@pytest.mark.parametrize(
    ("state", "reported", "now", "status"),
    [
        ("reviewed", DUE, DUE + timedelta(days=3), DeadlineStatus.COMPLETED_ON_TIME),
        ("reviewed", DUE + TICK, DUE + timedelta(days=3), DeadlineStatus.COMPLETED_LATE),
        # reported, not yet approved: never "completed", whether on time or late
        ("reported", DUE, DUE + timedelta(days=3), DeadlineStatus.AWAITING_REVIEW),
        ("reported", DUE + TICK, DUE + timedelta(days=3), DeadlineStatus.AWAITING_REVIEW),
        ("in_progress", None, DUE, DeadlineStatus.OPEN_WITHIN_DEADLINE),
        ("in_progress", None, DUE + TICK, DeadlineStatus.OPEN_OVERDUE),
        ("returned", DUE - TICK, DUE + TICK, DeadlineStatus.OPEN_OVERDUE),  # back with the unit
        ("assigned", None, DUE - timedelta(days=70), DeadlineStatus.OPEN_WITHIN_DEADLINE),
    ],
)
def test_where_a_task_stands_in_the_four_statuses(state, reported, now, status):
    assert deadline_status(state, DUE, reported, now) is status


# The same definitions in SQL: the database agrees with Python on every case, boundaries included.

CASES = {
    # name: (state, first reported, relative to the due time)
    "reported-before": ("reported", -TICK),
    "reported-at": ("reviewed", timedelta(0)),
    "reported-after": ("reviewed", TICK),  # completed late
    "returned-on-time": ("returned", -timedelta(days=1)),
    "never-reported": ("in_progress", None),
    "not-started": ("assigned", None),
}
NOWS = [DUE - TICK, DUE, DUE + TICK]


@pytest.fixture
def cases(session, open_tasks):
    """One Q1 task per case, all due at ``DUE``: the four Q1 tasks of the small plan, and two
    of Q2 moved to the same due time."""
    q1, q2 = open_tasks("2026-Q1"), open_tasks("2026-Q2")
    tasks = [q1("VI.2.1", "UBND"), q1("VI.4.1", "CB1"), q1("VI.4.1", "CB2")]
    tasks += [q1("VI.1.7", "BXDD"), q2("VI.2.1", "UBND"), q2("VI.2.7", "UBND")]
    by_name = {}
    for task, (name, (state, offset)) in zip(tasks, CASES.items(), strict=True):
        task.due_at, task.state = DUE, state
        task.first_reported_at = None if offset is None else DUE + offset
        session.add(task)
        by_name[name] = task.id
    session.commit()
    return by_name


def ids_where(session, condition) -> set[int]:
    found = set(session.exec(select(Task.id).where(condition)).all())
    session.commit()
    return found


@pytest.mark.parametrize("now", NOWS, ids=["before", "exactly-at", "just-after"])
def test_sql_and_python_agree_on_every_case(session, cases, now):
    tasks = {task.id: task for task in session.exec(select(Task)).all()}
    session.commit()
    python = {
        "on_time": {i for i, t in tasks.items() if is_on_time(t.first_reported_at, t.due_at)},
        "late": {i for i, t in tasks.items() if is_on_time(t.first_reported_at, t.due_at) is False},
        "overdue": {i for i, t in tasks.items() if is_overdue(t.state, t.due_at, now)},
        "not_yet_due": {
            i for i, t in tasks.items() if not is_due(t.due_at, t.first_reported_at, now)
        },
    }
    sql = {
        "on_time": ids_where(session, on_time_clause()),
        "late": ids_where(session, late_clause()),
        "overdue": ids_where(session, overdue_clause(now)),
        "not_yet_due": ids_where(session, not_yet_due_clause(now)),
    }
    assert sql == python
    for status in DeadlineStatus:
        in_python = {
            i
            for i, t in tasks.items()
            if deadline_status(t.state, t.due_at, t.first_reported_at, now) is status
        }
        assert ids_where(session, status_clause(status, now)) == in_python, status
    on_time = {cases[name] for name in ("reported-before", "reported-at", "returned-on-time")}
    assert sql["on_time"] == on_time  # what DESIGN.md says, not only what Python says
    unreported = {cases["never-reported"], cases["not-started"]}
    not_yet_due = sql["not_yet_due"] & set(cases.values())
    assert not_yet_due == (unreported if now <= DUE else set())


def test_a_report_at_exactly_the_due_time_counts_as_on_time_everywhere(
    session, ward, open_tasks, make_user
):
    """CB1 reports VI.4.1 at 17:00 on 15 March, its due time: on time in the accountability
    figures, on the list and in the quarterly report."""
    task = open_tasks("2026-Q1")("VI.4.1", "CB1")
    assert task.due_at == DUE
    task.state, task.first_reported_at = "reviewed", DUE
    session.add(task)
    session.commit()
    later = DUE + timedelta(days=5)
    (cb1,) = [
        r
        for r in accountability_by_unit(session, ward, Quarter(2026, 1), later)
        if r.unit_code == "CB1"
    ]
    assert (cb1.reported, cb1.on_time) == (1, 1)
    (row,) = [r for r in list_tasks(session, ward, later) if r.id == task.id]
    assert row.deadline is DeadlineStatus.COMPLETED_ON_TIME
    report = quarterly_report(session, ward, Quarter(2026, 1), Clock.at(later))
    (line,) = [line for line in report.lines if line.id == task.id]
    assert line.on_time is True and report.counts[DeadlineStatus.COMPLETED_ON_TIME] == 1
    session.commit()


def test_a_task_due_now_is_not_yet_overdue_anywhere(session, ward, open_tasks):
    """At 17:00 on 15 March exactly, nothing due then is overdue; a moment later it is."""
    open_tasks("2026-Q1")
    at_due = [
        r.unit_code
        for r in accountability_by_unit(session, ward, Quarter(2026, 1), DUE)
        if r.overdue
    ]
    just_after = {
        r.unit_code: r.overdue
        for r in accountability_by_unit(session, ward, Quarter(2026, 1), DUE + TICK)
    }
    # accountability counts led work only: the contributions to VI.2.1 weigh on nobody here
    assert at_due == ["BXDD"]  # VI.1.7 was due on 10 February
    assert just_after == {"BXDD": 1, "CB1": 1, "CB2": 1, "UBND": 1}

    def overdue(now):
        return {(r.ref, r.unit_code, r.kind) for r in list_tasks(session, ward, now, overdue=True)}

    contributions = {(ref, unit, "contribution") for ref, unit in Q1_CONTRIBUTIONS}
    duties = {(ref, unit, "duty") for ref, unit in Q1_DUTIES}
    # the contributions to VI.2.1 are due five days before the lead's report, on 10 March
    assert overdue(CONTRIBUTION_DUE) == {("VI.1.7", "BXDD", "duty")}
    assert overdue(CONTRIBUTION_DUE + TICK) == {("VI.1.7", "BXDD", "duty")} | contributions
    assert overdue(DUE) == {("VI.1.7", "BXDD", "duty")} | contributions
    assert overdue(DUE + TICK) == duties | contributions
    session.commit()
