"""The rules as pure functions: points, weekends, holidays, catch-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from notifications.rules import Person, Rule, TaskFacts, due_items, latest_point
from workflow.clock import DEFAULT_ZONE, local_instant
from workflow.periods import Quarter
from workflow.plans.schema import DEFAULT_REMINDERS
from workflow.working_days import WorkingCalendar, calendar_from_config

CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 1), False),  # Tết Dương lịch
        (date(2026, 1, 2), True),
        (date(2026, 2, 16), False),  # Tết Nguyên đán, 14-22/02
        (date(2026, 2, 20), False),
        (date(2026, 2, 23), True),
        (date(2026, 4, 27), False),  # Giỗ Tổ (Sun 26/04), day off in lieu
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2026, 3, 14), False),  # a Saturday
    ],
)
def test_working_days_of_2026(day, working):
    """Is each 2026 public holiday a day off?"""
    assert CALENDAR.is_working_day(day) is working


def test_first_working_days_and_opening_hours():
    """Where do the quarter's and the week's first working days, and the next opening, fall?"""
    assert CALENDAR.first_working_day_of_quarter(Quarter(2026, 1)) == date(2026, 1, 2)
    assert CALENDAR.first_working_day_of_week(date(2026, 2, 18)) == date(2026, 2, 23)
    friday_evening = local_instant(date(2026, 3, 13), time(18, 0), DEFAULT_ZONE)
    assert CALENDAR.next_open_instant(friday_evening) == datetime(2026, 3, 16, 0, 30, tzinfo=UTC)


def test_working_hours_are_those_of_the_calendar_s_time_zone():
    """07:30 in Hà Nội is 00:30 UTC; a calendar kept in UTC opens at 07:30 UTC."""
    sunday = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
    utc = calendar_from_config({"TIMEZONE": "UTC"})
    assert CALENDAR.next_open_instant(sunday) == datetime(2026, 3, 16, 0, 30, tzinfo=UTC)
    assert utc.next_open_instant(sunday) == datetime(2026, 3, 16, 7, 30, tzinfo=UTC)


def test_holidays_and_hours_are_configurable():
    """Can a deployment set its own hours, holidays and make-up Saturdays?"""
    calendar = calendar_from_config(
        {"WORK_HOURS": "08:00-16:30", "HOLIDAYS": "2026-01-02", "MAKEUP_DAYS": ["2026-01-10"]}
    )
    assert not calendar.is_working_day(date(2026, 1, 2))
    assert calendar.is_working_day(date(2026, 1, 1))
    assert calendar.is_working_day(date(2026, 1, 10))
    assert calendar.opens == time(8, 0)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 26), None),
        (date(2026, 1, 27), (Rule.BEFORE, date(2026, 1, 27))),  # 14 days before
        (date(2026, 2, 9), (Rule.BEFORE, date(2026, 2, 9))),  # 3 days before (Sat) merged
        (date(2026, 2, 11), (Rule.OVERDUE, date(2026, 2, 11))),
        (date(2026, 2, 17), (Rule.OVERDUE, date(2026, 2, 11))),
        (date(2026, 2, 23), (Rule.OVERDUE, date(2026, 2, 18))),  # after Tết: catch up once
    ],
)
def test_latest_point(today, expected):
    """Which reminder point has most recently come for a task due on 10/02/2026?"""
    assert latest_point(date(2026, 2, 10), DEFAULT_REMINDERS, today) == expected


def test_nothing_is_due_on_a_day_off_and_done_tasks_are_quiet():
    """No email on Sunday; none for a reported task (its reviewers get the weekly digest)."""
    due_at, due_day = datetime(2026, 3, 15, 10, 0, tzinfo=UTC), date(2026, 3, 15)
    task = TaskFacts(
        1, 7, "UBND", "VI.2.1", "t", "TN", "p", "2026-Q1", "", due_at, due_day, "assigned", due_at
    )
    head = Person(1, "unit_head", 7)
    assert due_items([task], [head], date(2026, 3, 1), CALENDAR) == []
    due = due_items([task], [head], date(2026, 3, 2), CALENDAR)  # 14 days before (Sun 01/03)
    assert [(i.rule, i.on_date, i.days) for i in due] == [
        (Rule.OPENING, date(2026, 1, 1), 13),  # the sweep drops it: already sent on 02/01
        (Rule.BEFORE, date(2026, 3, 1), 13),
    ]
    reported = TaskFacts(
        1, 7, "UBND", "VI.2.1", "t", "TN", "p", "2026-Q1", "", due_at, due_day, "reported", due_at
    )
    assert due_items([reported], [head], date(2026, 3, 2), CALENDAR) == []
