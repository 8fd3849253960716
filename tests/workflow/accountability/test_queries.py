"""Accountability by unit, rates by quarter and the plan overview: every figure, exactly, and a
number of SQL statements that does not grow with the data."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlmodel import func, select

from tests.conftest import HISTORY_NOW, Q1, Q1_TASKS, Q2, at, grow
from workflow.accountability.measures import MEASURES
from workflow.accountability.overview import plan_overview
from workflow.accountability.queries import (
    accountability_by_unit,
    rates_by_quarter,
    roles_apart,
    tasks_behind,
)
from workflow.accountability.sorting import sort_accountability
from workflow.collation import text_key
from workflow.errors import NotAllowed
from workflow.organisations.queries import find_unit
from workflow.periods import Quarter
from workflow.tasks.models import Task


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
    rows = accountability_by_unit(session, ward, Q1, HISTORY_NOW)
    assert figures(rows) == {
        "UBND": (1, 1, 1, 1, 0, 0, at("2026-03-12T09:00")),
        "CB1": (1, 1, 1, 1, 1, 0, at("2026-03-16T09:00")),  # returned twice: one task
        "CB2": (1, 0, 0, 0, 0, 1, None),  # only the system opened it: no activity
        "BXDD": (1, 1, 0, 1, 0, 0, at("2026-02-13T09:00")),
    }


def test_a_late_report_after_a_return_and_an_overdue_task(session, ward, history):
    """In Q2 UBND reported one task late (returned once) and left the other overdue."""
    rows = {row.unit_code: row for row in accountability_by_unit(session, ward, Q2, HISTORY_NOW)}
    assert figures(rows.values()) == {
        "UBND": (2, 1, 0, 0, 1, 1, at("2026-06-18T09:00")),
        "BXDD": (1, 0, 0, 0, 0, 1, None),
    }
    assert (rows["UBND"].reporting_rate, rows["UBND"].on_time_rate) == (0.5, 0.0)


def test_a_year_counts_all_its_quarters(session, ward, history):
    """Does the whole year add up the tasks of Q1 and Q2, unit by unit?"""
    rows = {row.unit_code: row for row in accountability_by_unit(session, ward, 2026, HISTORY_NOW)}
    assert figures(rows.values())["UBND"] == (3, 2, 1, 1, 1, 1, at("2026-06-18T09:00"))
    assert figures(rows.values())["BXDD"] == (2, 1, 0, 1, 0, 1, at("2026-02-13T09:00"))
    assert rows["UBND"].reporting_rate == pytest.approx(2 / 3)
    assert rows["UBND"].on_time_rate == pytest.approx(1 / 3)
    assert set(rows) == {"UBND", "CB1", "CB2", "BXDD"}  # never the group TCD
    assert accountability_by_unit(session, ward, 2025, HISTORY_NOW) == []


def test_overdue_is_counted_at_the_instant_given(session, ward, history):
    """Before VI.2.7's due time (20/05 17:00) UBND's Q2 had nothing overdue."""
    before = at("2026-05-20T16:59")
    rows = {row.unit_code: row for row in accountability_by_unit(session, ward, Q2, before)}
    assert rows["UBND"].overdue == 0
    assert rows["BXDD"].overdue == 0


def test_the_heads_of_each_unit_are_named(session, ward, history):
    """Who answers for each unit: every active head, in alphabetical order, members never."""
    rows = {row.unit_code: row for row in accountability_by_unit(session, ward, Q1, HISTORY_NOW)}
    assert rows["UBND"].heads == ("Nguyễn Văn An", "Trần Thị Bình")
    assert rows["UBND"].head_names == "Nguyễn Văn An, Trần Thị Bình"
    assert rows["CB2"].heads == ()  # its only head is no longer active


def test_worst_first_by_default(session, ward, history):
    """Lowest on-time rate first, then most overdue, then the lowest reporting rate."""
    assert [r.unit_code for r in accountability_by_unit(session, ward, Q1, HISTORY_NOW)] == [
        "CB2",  # 0% on time, 1 overdue
        "BXDD",  # 0% on time, none overdue
        "CB1",  # 100%: ties go by name, "Chi bộ..." before "UBND..."
        "UBND",
    ]
    assert [r.unit_code for r in accountability_by_unit(session, ward, Q2, HISTORY_NOW)] == [
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
    rows = sort_accountability(
        accountability_by_unit(session, ward, Q1, HISTORY_NOW), by, descending
    )
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
        accountability_by_unit(session, ward, Q1, HISTORY_NOW, viewer=user)
    with pytest.raises(NotAllowed):
        rates_by_quarter(session, ward, 2026, HISTORY_NOW, viewer=user)
    with pytest.raises(NotAllowed):
        tasks_behind(session, ward, Q1, "expected", HISTORY_NOW, viewer=user)


@pytest.mark.parametrize("role", ["leader", "reviewer", "admin"])
def test_leaders_reviewers_and_admins_may(session, ward, history, make_user, role):
    rows = accountability_by_unit(session, ward, Q1, HISTORY_NOW, viewer=make_user(role))
    assert len(rows) == 4


def test_an_inactive_leader_may_not(session, ward, make_user):
    leader = make_user("leader")
    leader.active = False
    with pytest.raises(NotAllowed):
        accountability_by_unit(session, ward, Q1, HISTORY_NOW, viewer=leader)


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
    rows = tasks_behind(session, ward, quarter, measure, HISTORY_NOW, unit=unit)
    assert {row.id for row in rows} == {history.tasks[key].id for key in expected}


def test_every_figure_has_as_many_tasks_behind_it(session, ward, history):
    """For every unit and every figure, returned included, the figure is the number of tasks
    listed behind it: a figure counts tasks, never events."""
    for row in accountability_by_unit(session, ward, 2026, HISTORY_NOW):
        unit = find_unit(session, ward, row.unit_code)
        for measure in ("expected", "reported", "on_time", "approved", "returned", "overdue"):
            behind = tasks_behind(session, ward, 2026, measure, HISTORY_NOW, unit=unit)
            assert len(behind) == getattr(row, measure), (row.unit_code, measure)


# Rates by quarter


def test_rates_by_quarter_for_the_organisation(session, ward, history):
    """The chart's data: four quarters, empty ones included."""
    rates = rates_by_quarter(session, ward, 2026, HISTORY_NOW)
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


# The plan overview


def test_the_plan_overview_follows_the_plan(session, ward, history):
    """Sections and responsibilities in plan order (a section with no responsibility of its
    own, "VI", left out), lead units, and approved / due / overdue for each quarter."""
    (overview,) = plan_overview(session, ward, HISTORY_NOW, history.reviewer)
    assert overview.plan.code == "TN-2026"
    assert [str(q) for q in overview.quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [(s.ref, [r.ref for r in s.responsibilities]) for s in overview.sections] == [
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


def read_everything(session, ward, engine, viewer) -> list[int]:
    """How many statements each aggregate takes, read in a fresh transaction."""
    session.commit()
    counted = []
    for read in (
        lambda: accountability_by_unit(session, ward, 2026, HISTORY_NOW),
        lambda: accountability_by_unit(session, ward, Q1, HISTORY_NOW),
        lambda: rates_by_quarter(session, ward, 2026, HISTORY_NOW),
        lambda: plan_overview(session, ward, HISTORY_NOW, viewer),
        lambda: tasks_behind(session, ward, 2026, "overdue", HISTORY_NOW),
        lambda: roles_apart(session, ward, 2026, HISTORY_NOW),
    ):
        with statements(engine) as seen:
            read()
        counted.append(len(seen))
    return counted


def test_the_number_of_statements_does_not_grow_with_the_data(db, session, ward, history):
    """Small ward, then forty more units and their tasks and events: the same statements."""
    small = read_everything(session, ward, db, history.reviewer)
    grow(session, ward, 40)
    # the history's tasks: Q1's, and Q2's six (three of them contributions to VI.2.1); then a
    # task of each of the six slots for each new unit
    history_tasks = len(Q1_TASKS) + 6
    assert session.exec(select(func.count()).select_from(Task)).one() == history_tasks + 40 * 6
    big = read_everything(session, ward, db, history.reviewer)
    assert small == big
    # roles apart: the contributions, the duties directed, in charge of or taken part in, then
    # the units' names (one statement before contributions were counted apart)
    assert big == [2, 2, 1, 5, 1, 3]


def test_every_measure_has_a_label():
    from workflow.accountability.measures import MEASURE_LABELS

    assert set(MEASURE_LABELS) == set(MEASURES)
