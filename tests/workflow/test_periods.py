"""Quarters and due days."""

from datetime import date

import pytest

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
