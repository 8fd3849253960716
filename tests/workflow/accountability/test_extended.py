"""The "Gia hạn" figure: tasks whose due date was extended, counted apart, and judged on time
against the date granted."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import Q1, at
from tests.workflow.accountability.test_queries import statements
from workflow.accountability.measures import MEASURES, UNIT_COLUMNS
from workflow.accountability.queries import accountability_by_unit, tasks_behind
from workflow.clock import Clock
from workflow.tasks.extensions import ask_extension, grant_extension, refuse_extension
from workflow.tasks.operations import start_task, submit_report

AFTER_Q1 = at("2026-04-10T09:00")  # every Q1 due time has passed, even the extended one


@pytest.fixture
def quarter(session, open_tasks, make_user):
    """Q1 of the small plan: UBND asks on 10 March for 31 March, granted, and reports on 20
    March (late against the plan, on time against the extension); CB1 asks too, is refused
    and reports on 20 March (late); BXDD and CB2 never ask."""
    find = open_tasks("2026-Q1")
    reviewer = make_user("reviewer")
    heads = {code: make_user("unit_head", code) for code in ("UBND", "CB1")}
    tasks = {"UBND": find("VI.2.1", "UBND"), "CB1": find("VI.4.1", "CB1")}
    session.commit()
    for code, decide in (("UBND", grant_extension), ("CB1", refuse_extension)):
        task, head = tasks[code], heads[code]
        asked = Clock.at("2026-03-10T09:00")
        ask_extension(session, head, task.id, 1, date(2026, 3, 31), "Chờ số liệu", clock=asked)
        decide(session, reviewer, task.id, 2, "Không đủ căn cứ", clock=asked)
        start_task(session, head, task.id, 3, now=at("2026-03-11T09:00"))
        submit_report(session, head, task.id, 4, "Đã làm", now=at("2026-03-20T09:00"))
        session.commit()
    return tasks


def test_an_extended_task_is_counted_apart_and_on_time_against_the_new_date(session, ward, quarter):
    rows = {row.unit_code: row for row in accountability_by_unit(session, ward, Q1, AFTER_Q1)}
    assert {code: row.extended for code, row in rows.items()} == {
        "UBND": 1,
        "CB1": 0,  # asked, refused: not extended
        "BXDD": 0,
        "CB2": 0,
    }
    assert (rows["UBND"].on_time, rows["UBND"].on_time_rate) == (1, 1.0)
    assert (rows["CB1"].on_time, rows["CB1"].on_time_rate) == (0, 0.0)


def test_the_figure_opens_the_tasks_behind_it(session, ward, quarter):
    behind = tasks_behind(session, ward, Q1, "extended", AFTER_Q1)
    assert [(row.ref, row.unit_code) for row in behind] == [("VI.2.1", "UBND")]
    assert tasks_behind(session, ward, 2026, "extended", AFTER_Q1, unit=None) == behind
    assert "extended" in MEASURES


def test_it_is_a_column_shown_on_demand_with_its_drill_down():
    column = next(column for column in UNIT_COLUMNS if column.key == "extended")
    assert (column.label, column.measure, column.at_a_glance) == ("Extended", "extended", False)


def test_the_figure_costs_no_statement_more(db, session, ward, quarter):
    """Still two statements for accountability by unit (the figures, then the heads)."""
    session.commit()
    with statements(db) as seen:
        accountability_by_unit(session, ward, Q1, AFTER_Q1)
    assert len(seen) == 2
