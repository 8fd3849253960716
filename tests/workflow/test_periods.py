"""Quarters, due days and the one clock."""

from datetime import UTC, date, datetime

import pytest

from web import create_app
from workflow import clock
from workflow.periods import Quarter, quarter_due_day, quarters_between


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-Q1", Quarter(2026, 1)),
        ("2026-q4", Quarter(2026, 4)),
        (" 2027-Q2 ", Quarter(2027, 2)),
    ],
)
def test_quarters_are_read_from_their_names(text, expected):
    """Which spellings of a quarter are accepted?"""
    assert Quarter.parse(text) == expected


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "2026Q1", "Q1-2026", "", "2026-03"])
def test_anything_else_is_not_a_quarter(text):
    """Which spellings are refused?"""
    with pytest.raises(ValueError):
        Quarter.parse(text)


def test_a_quarter_knows_its_days_and_its_neighbours():
    """What are the first and last days of Q1 2026, and what follows Q4?"""
    q1 = Quarter(2026, 1)
    assert (q1.first_day, q1.last_day) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (str(Quarter(2026, 4).next()), str(q1.previous())) == ("2027-Q1", "2025-Q4")
    assert Quarter(2026, 3).roman == "III/2026"
    assert Quarter.of(date(2026, 8, 15)) == Quarter(2026, 3)
    assert [str(q) for q in quarters_between(date(2026, 2, 1), date(2026, 7, 1))] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]


def test_a_due_day_past_the_end_of_a_month_is_its_last_day():
    """Day 31 of the second month of Q2 (May) exists; of Q1 (February) it is the 28th."""
    assert quarter_due_day(Quarter(2026, 2), 2, 31) == date(2026, 5, 31)
    assert quarter_due_day(Quarter(2026, 1), 2, 31) == date(2026, 2, 28)


def test_the_clock_can_be_set_in_local_time_and_reads_utc():
    """GIAOVIEC_NOW=2026-03-20T08:00 is 01:00 UTC, and today is the 20th in Hà Nội."""
    clock.set_now("2026-03-20T08:00")
    assert clock.now() == datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    assert clock.today() == date(2026, 3, 20)
    clock.set_now("2026-03-20T23:30+07:00")
    assert clock.today() == date(2026, 3, 20)
    assert clock.now().hour == 16


def test_a_running_clock_moves_on_from_the_instant_it_was_set_to():
    """The demo's clock starts at --now and keeps running."""
    clock.set_now("2026-03-20T08:00", frozen=False)
    first = clock.now()
    assert first >= datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    assert clock.now() >= first
    clock.set_now(None)
    assert clock.now().year >= 2026


def test_the_app_sets_the_clock_from_its_settings(tmp_path):
    """Does GIAOVIEC_NOW (the NOW setting) reach the one clock?"""
    create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "NOW": "2026-07-01T09:00"})
    assert clock.now() == datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
