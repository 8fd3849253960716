"""Accountability by unit, rates by quarter and the plan overview: every figure, exactly, and a
number of SQL statements that does not grow with the data."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import func, select

from tests.conftest import at
from workflow.accountability.measures import MEASURES
from workflow.accountability.overview import plan_overview
from workflow.accountability.queries import accountability_by_unit, rates_by_quarter, tasks_behind
from workflow.accountability.sorting import sort_accountability
from workflow.accounts.models import User
from workflow.collation import text_key
from workflow.errors import NotAllowed
from workflow.organisations.models import Unit
from workflow.organisations.queries import find_unit
from workflow.periods import Quarter
from workflow.plans.models import Plan
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.operations import approve_report, return_report, start_task, submit_report
from workflow.tasks.states import OPENED, TaskState

Q1, Q2 = Quarter(2026, 1), Quarter(2026, 2)
# 20/06/2026 noon in Hà Nội: every Q1 and Q2 due time has passed.
NOW = datetime(2026, 6, 20, 5, 0, tzinfo=UTC)


def utc(text: str) -> datetime:
    """A local (Hà Nội) wall-clock time as the UTC instant the database keeps."""
    return at(text)


@dataclass
class History:
    """The tasks of the acted-out history, by (ref, unit, quarter), and who acted."""

    tasks: dict[tuple[str, str, str], Task]
    heads: dict[str, User]
    reviewer: User


def act_out_history(session, ward, open_tasks) -> History:
    """Q1 and Q2 of the small plan, acted out with the services at the times given.

    Q1: UBND reports on time and is approved; CB1 reports on time, is returned twice, then
    approved; CB2 does nothing (overdue); BXDD reports two days late and is approved.
    Q2: UBND reports VI.2.1 a day late, is returned once and reports again (waiting for review),
    and starts VI.2.7 but never reports it (overdue); BXDD does nothing (overdue).
    """
    q1, q2 = open_tasks(str(Q1)), open_tasks(str(Q2))

    def person(role: str, unit: str | None, full_name: str = "", active: bool = True) -> User:
        """A user made directly: nobody signs in with these, so no password hashing."""
        user = User(
            organisation_id=ward.id,
            username=f"{role}.{len(people)}",
            full_name=full_name,
            email=f"{role}.{len(people)}@example.vn",
            password_hash="!",
            role=role,
            unit_id=find_unit(session, ward, unit).id if unit else None,
            active=active,
            created_at=utc("2026-01-01T08:00"),
        )
        people.append(user)
        session.add(user)
        return user

    people: list[User] = []
    heads = {
        "UBND": person("unit_head", "UBND", "Trần Thị Bình"),
        "CB1": person("unit_head", "CB1", "Lê Văn Cường"),
        "BXDD": person("unit_head", "BXDD", "Phạm Đức Dũng"),
    }
    person("unit_head", "UBND", "Nguyễn Văn An")  # two heads: both named
    person("member", "UBND", "Hoàng Minh Em")  # not a head
    person("unit_head", "CB2", "Đỗ Văn Gia", active=False)  # no longer a head: not named
    reviewer = person("reviewer", None)
    session.commit()
    tasks = {
        ("VI.2.1", "UBND", "Q1"): q1("VI.2.1", "UBND"),
        ("VI.4.1", "CB1", "Q1"): q1("VI.4.1", "CB1"),
        ("VI.4.1", "CB2", "Q1"): q1("VI.4.1", "CB2"),
        ("VI.1.7", "BXDD", "Q1"): q1("VI.1.7", "BXDD"),
        ("VI.2.1", "UBND", "Q2"): q2("VI.2.1", "UBND"),
        ("VI.2.7", "UBND", "Q2"): q2("VI.2.7", "UBND"),
        ("VI.1.5", "BXDD", "Q2"): q2("VI.1.5", "BXDD"),
    }

    def step(when: str, action, user, key, text: str = ""):
        task = tasks[key]
        session.refresh(task)
        action(session, user, task.id, task.version, text, now=utc(when))
        session.commit()

    ubnd1, cb1, bxdd1 = ("VI.2.1", "UBND", "Q1"), ("VI.4.1", "CB1", "Q1"), ("VI.1.7", "BXDD", "Q1")
    ubnd2, ubnd_month = ("VI.2.1", "UBND", "Q2"), ("VI.2.7", "UBND", "Q2")
    step("2026-03-01T08:00", start_task, heads["UBND"], ubnd1)
    step("2026-03-10T09:00", submit_report, heads["UBND"], ubnd1, "Đã đăng 12 tin bài")
    step("2026-03-12T09:00", approve_report, reviewer, ubnd1)
    step("2026-03-01T08:00", start_task, heads["CB1"], cb1)
    step("2026-03-10T09:00", submit_report, heads["CB1"], cb1, "Đã quán triệt")
    step("2026-03-11T09:00", return_report, reviewer, cb1, "Thiếu biên bản")
    step("2026-03-12T09:00", submit_report, heads["CB1"], cb1, "Bổ sung biên bản")
    step("2026-03-13T09:00", return_report, reviewer, cb1, "Thiếu ảnh")
    step("2026-03-14T09:00", submit_report, heads["CB1"], cb1, "Bổ sung ảnh")
    step("2026-03-16T09:00", approve_report, reviewer, cb1)
    step("2026-02-01T08:00", start_task, heads["BXDD"], bxdd1)
    step("2026-02-12T09:00", submit_report, heads["BXDD"], bxdd1, "Đã tổ chức hội nghị")
    step("2026-02-13T09:00", approve_report, reviewer, bxdd1)
    step("2026-06-01T08:00", start_task, heads["UBND"], ubnd2)
    step("2026-06-16T09:00", submit_report, heads["UBND"], ubnd2, "Báo cáo muộn")
    step("2026-06-17T09:00", return_report, reviewer, ubnd2, "Thiếu số liệu")
    step("2026-06-18T09:00", submit_report, heads["UBND"], ubnd2, "Bổ sung số liệu")
    step("2026-05-01T08:00", start_task, heads["UBND"], ubnd_month)
    return History(tasks, heads, reviewer)


@pytest.fixture
def history(session, ward, open_tasks) -> History:
    return act_out_history(session, ward, open_tasks)


def figures(rows):
    """Each unit's figures, by unit code, as a tuple in the page's column order."""
    return {
        row.unit_code: (
            row.expected,
            row.reported,
            row.on_time,
            row.approved,
            row.returned,
            row.overdue,
            row.last_activity,
        )
        for row in rows
    }


# Accountability by unit


def test_every_figure_of_a_quarter(session, ward, history):
    """What does each unit owe in Q1, and how did it do?"""
    rows = accountability_by_unit(session, ward, Q1, NOW)
    assert figures(rows) == {
        "UBND": (1, 1, 1, 1, 0, 0, utc("2026-03-12T09:00")),
        "CB1": (1, 1, 1, 1, 1, 0, utc("2026-03-16T09:00")),  # returned twice: one task
        "CB2": (1, 0, 0, 0, 0, 1, None),  # only the system opened it: no activity
        "BXDD": (1, 1, 0, 1, 0, 0, utc("2026-02-13T09:00")),
    }


def test_a_late_report_after_a_return_and_an_overdue_task(session, ward, history):
    """In Q2 UBND reported one task late (returned once) and left the other overdue."""
    rows = {row.unit_code: row for row in accountability_by_unit(session, ward, Q2, NOW)}
    assert figures(rows.values()) == {
        "UBND": (2, 1, 0, 0, 1, 1, utc("2026-06-18T09:00")),
        "BXDD": (1, 0, 0, 0, 0, 1, None),
    }
    assert (rows["UBND"].reporting_rate, rows["UBND"].on_time_rate) == (0.5, 0.0)


def test_a_year_counts_all_its_quarters(session, ward, history):
    """Does the whole year add up the tasks of Q1 and Q2, unit by unit?"""
    rows = {row.unit_code: row for row in accountability_by_unit(session, ward, 2026, NOW)}
    assert figures(rows.values())["UBND"] == (3, 2, 1, 1, 1, 1, utc("2026-06-18T09:00"))
    assert figures(rows.values())["BXDD"] == (2, 1, 0, 1, 0, 1, utc("2026-02-13T09:00"))
    assert rows["UBND"].reporting_rate == pytest.approx(2 / 3)
    assert rows["UBND"].on_time_rate == pytest.approx(1 / 3)
    assert set(rows) == {"UBND", "CB1", "CB2", "BXDD"}  # never the group TCD
    assert accountability_by_unit(session, ward, 2025, NOW) == []


def test_overdue_is_counted_at_the_instant_given(session, ward, history):
    """Before VI.2.7's due time (20/05 17:00) UBND's Q2 had nothing overdue."""
    before = utc("2026-05-20T16:59")
    rows = {row.unit_code: row for row in accountability_by_unit(session, ward, Q2, before)}
    assert rows["UBND"].overdue == 0
    assert rows["BXDD"].overdue == 0


def test_the_heads_of_each_unit_are_named(session, ward, history):
    """Who answers for each unit: every active head, in alphabetical order, members never."""
    rows = {row.unit_code: row for row in accountability_by_unit(session, ward, Q1, NOW)}
    assert rows["UBND"].heads == ("Nguyễn Văn An", "Trần Thị Bình")
    assert rows["UBND"].head_names == "Nguyễn Văn An, Trần Thị Bình"
    assert rows["CB2"].heads == ()  # its only head is no longer active


def test_worst_first_by_default(session, ward, history):
    """Lowest on-time rate first, then most overdue, then the lowest reporting rate."""
    assert [r.unit_code for r in accountability_by_unit(session, ward, Q1, NOW)] == [
        "CB2",  # 0% on time, 1 overdue
        "BXDD",  # 0% on time, none overdue
        "CB1",  # 100%: ties go by name, "Chi bộ..." before "UBND..."
        "UBND",
    ]
    assert [r.unit_code for r in accountability_by_unit(session, ward, Q2, NOW)] == [
        "BXDD",  # both 0% on time with 1 overdue; BXDD reported nothing
        "UBND",
    ]


@pytest.mark.parametrize(
    ("by", "descending", "order"),
    [
        ("unit", False, ["BXDD", "CB1", "CB2", "UBND"]),  # Ban..., Chi bộ 1, Chi bộ 2, UBND
        ("unit", True, ["UBND", "CB2", "CB1", "BXDD"]),
        ("head", False, ["CB1", "UBND", "BXDD", "CB2"]),  # Lê, Nguyễn, Phạm; no head last
        ("returned", True, ["CB1", "BXDD", "CB2", "UBND"]),
        ("overdue", True, ["CB2", "BXDD", "CB1", "UBND"]),
        ("last_activity", True, ["CB1", "UBND", "BXDD", "CB2"]),
        ("on_time_rate", True, ["CB1", "UBND", "BXDD", "CB2"]),
    ],
)
def test_sorting_by_any_column(session, ward, history, by, descending, order):
    """Each column sorts; ties keep the units' alphabetical order."""
    rows = sort_accountability(accountability_by_unit(session, ward, Q1, NOW), by, descending)
    assert [r.unit_code for r in rows] == order


def test_vietnamese_names_sort_by_letter_not_by_accent():
    """ "Đỗ" sorts with D, "Ủy" with U, whatever the database's collation."""
    names = ["Ủy ban", "Đỗ Văn", "Chi bộ", "Ban", "Dương", "ủy ban"]
    assert sorted(names, key=text_key) == ["Ban", "Chi bộ", "Đỗ Văn", "Dương", "Ủy ban", "ủy ban"]


@pytest.mark.parametrize("role", ["unit_head", "member"])
def test_unit_heads_and_members_may_not_see_it(session, ward, make_user, role):
    """Is accountability by unit refused to someone who only answers for a unit?"""
    user = make_user(role, "UBND")
    with pytest.raises(NotAllowed):
        accountability_by_unit(session, ward, Q1, NOW, viewer=user)
    with pytest.raises(NotAllowed):
        rates_by_quarter(session, ward, 2026, NOW, viewer=user)
    with pytest.raises(NotAllowed):
        tasks_behind(session, ward, Q1, "expected", NOW, viewer=user)


@pytest.mark.parametrize("role", ["leader", "reviewer", "admin"])
def test_leaders_reviewers_and_admins_may(session, ward, history, make_user, role):
    rows = accountability_by_unit(session, ward, Q1, NOW, viewer=make_user(role))
    assert len(rows) == 4


def test_an_inactive_leader_may_not(session, ward, make_user):
    leader = make_user("leader")
    leader.active = False
    with pytest.raises(NotAllowed):
        accountability_by_unit(session, ward, Q1, NOW, viewer=leader)


# The tasks behind each figure


@pytest.mark.parametrize(
    ("measure", "quarter", "unit", "expected"),
    [
        ("expected", Q2, "UBND", {("VI.2.1", "UBND", "Q2"), ("VI.2.7", "UBND", "Q2")}),
        ("reported", Q2, "UBND", {("VI.2.1", "UBND", "Q2")}),
        ("on_time", Q2, "UBND", set()),
        ("approved", Q1, "CB1", {("VI.4.1", "CB1", "Q1")}),
        ("returned", Q1, "CB1", {("VI.4.1", "CB1", "Q1")}),  # one task, returned twice
        ("overdue", Q2, "UBND", {("VI.2.7", "UBND", "Q2")}),
        ("overdue", Q1, None, {("VI.4.1", "CB2", "Q1")}),
        ("on_time", 2026, None, {("VI.2.1", "UBND", "Q1"), ("VI.4.1", "CB1", "Q1")}),
    ],
)
def test_the_tasks_behind_a_figure(session, ward, history, measure, quarter, unit, expected):
    """Does the list behind a figure hold exactly the tasks it counts?"""
    unit = find_unit(session, ward, unit) if unit else None
    rows = tasks_behind(session, ward, quarter, measure, NOW, unit=unit)
    assert {row.id for row in rows} == {history.tasks[key].id for key in expected}


def test_every_figure_has_as_many_tasks_behind_it(session, ward, history):
    """For every unit and every figure, returned included, the figure is the number of tasks
    listed behind it: a figure counts tasks, never events."""
    for row in accountability_by_unit(session, ward, 2026, NOW):
        unit = find_unit(session, ward, row.unit_code)
        for measure in ("expected", "reported", "on_time", "approved", "returned", "overdue"):
            behind = tasks_behind(session, ward, 2026, measure, NOW, unit=unit)
            assert len(behind) == getattr(row, measure), (row.unit_code, measure)


# Rates by quarter


def test_rates_by_quarter_for_the_organisation_and_each_unit(session, ward, history):
    """The chart's data: four quarters, empty ones included, for all and for each unit."""
    rates = rates_by_quarter(session, ward, 2026, NOW)
    assert [
        (q.quarter, q.expected, q.reported, q.on_time, q.overdue) for q in rates.organisation
    ] == [
        (Q1, 4, 3, 2, 1),
        (Q2, 3, 1, 0, 2),
        (Quarter(2026, 3), 0, 0, 0, 0),
        (Quarter(2026, 4), 0, 0, 0, 0),
    ]
    assert (rates.organisation[0].reporting_rate, rates.organisation[0].on_time_rate) == (
        0.75,
        0.5,
    )
    assert rates.organisation[2].reporting_rate is None
    assert sorted(rates.by_unit) == ["BXDD", "CB1", "CB2", "UBND"]
    ubnd = rates.by_unit["UBND"]
    assert [(q.expected, q.reported, q.on_time) for q in ubnd] == [
        (1, 1, 1),
        (2, 1, 0),
        (0, 0, 0),
        (0, 0, 0),
    ]
    assert [q.expected for q in rates.by_unit["CB2"]] == [1, 0, 0, 0]


# The plan overview


def test_the_plan_overview_follows_the_plan(session, ward, history):
    """Sections and responsibilities in plan order, lead units, and approved / due / overdue
    for each quarter."""
    (overview,) = plan_overview(session, ward, NOW)
    assert overview.plan.code == "TN-2026"
    assert [str(q) for q in overview.quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [(s.ref, [r.ref for r in s.responsibilities]) for s in overview.sections] == [
        ("VI", []),
        ("VI.1", ["VI.1.5", "VI.1.7"]),
        ("VI.2", ["VI.2.1", "VI.2.7"]),
        ("VI.4", ["VI.4.1"]),
    ]
    items = {r.ref: r for s in overview.sections for r in s.responsibilities}
    assert items["VI.4.1"].leads == ["Các tổ chức Đảng trực thuộc"]
    assert items["VI.2.1"].leads == ["UBND Phường"]
    progress = {
        ref: {q: tuple(vars(p).values()) for q, p in r.progress.items()} for ref, r in items.items()
    }
    assert progress == {
        "VI.1.5": {"2026-Q2": (1, 0, 1)},
        "VI.1.7": {"2026-Q1": (1, 1, 0)},
        "VI.2.1": {"2026-Q1": (1, 1, 0), "2026-Q2": (1, 0, 0)},
        "VI.2.7": {"2026-Q2": (1, 0, 1)},
        "VI.4.1": {"2026-Q1": (2, 1, 1)},
    }


# A constant number of statements


@contextmanager
def statements(engine):
    """Count the SQL statements sent to the database inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def read_everything(session, ward, engine) -> list[int]:
    """How many statements each aggregate takes, read in a fresh transaction."""
    session.commit()
    counted = []
    for read in (
        lambda: accountability_by_unit(session, ward, 2026, NOW),
        lambda: accountability_by_unit(session, ward, Q1, NOW),
        lambda: rates_by_quarter(session, ward, 2026, NOW),
        lambda: plan_overview(session, ward, NOW),
        lambda: tasks_behind(session, ward, 2026, "overdue", NOW),
    ):
        with statements(engine) as seen:
            read()
        counted.append(len(seen))
    return counted


def grow(session, ward, units: int) -> None:
    """Add ``units`` units, each owing a task of every responsibility in every quarter, with a
    reported, returned and approved history."""
    plan = session.exec(select(Plan).where(Plan.organisation_id == ward.id)).one()
    template = {
        (task.responsibility_id, task.period, task.occurrence): task
        for task in session.exec(select(Task).where(Task.plan_id == plan.id))
    }.values()
    new_units = [
        Unit(organisation_id=ward.id, code=f"X{n}", name=f"Chi bộ {n}", kind="party_organisation")
        for n in range(units)
    ]
    session.add_all(new_units)
    session.flush()
    tasks = [
        Task(
            plan_id=plan.id,
            responsibility_id=model.responsibility_id,
            unit_id=unit.id,
            period=model.period,
            occurrence=model.occurrence,
            due_at=model.due_at,
            state=TaskState.REVIEWED.value,
            first_reported_at=model.due_at - timedelta(days=n % 3),
            created_at=model.created_at,
            updated_at=model.due_at,
        )
        for n, unit in enumerate(new_units)
        for model in template
    ]
    session.add_all(tasks)
    session.flush()
    session.add_all(
        TaskEventRecord(
            task_id=task.id,
            at=task.due_at,
            event=name,
            to_state=TaskState.REVIEWED.value,
            actor_id=None,
        )
        for task in tasks
        for name in (OPENED, "report", "return", "report", "approve")
    )
    session.commit()


def test_the_number_of_statements_does_not_grow_with_the_data(db, session, ward, history):
    """Small ward, then forty more units and their tasks and events: the same statements."""
    small = read_everything(session, ward, db)
    grow(session, ward, 40)
    assert session.exec(select(func.count()).select_from(Task)).one() == 7 + 40 * 6
    big = read_everything(session, ward, db)
    assert small == big
    assert big == [2, 2, 1, 5, 1]


def test_every_measure_has_a_label():
    from workflow.accountability.measures import MEASURE_LABELS

    assert set(MEASURE_LABELS) == set(MEASURES)
