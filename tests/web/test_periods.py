"""The one reading of a requested period, for pages, exports, the API and the command line."""

from datetime import date

import pytest

from web.periods import period_args, requested_period, requested_quarter
from workflow.errors import InvalidInput
from workflow.periods import Quarter

TODAY = date(2026, 8, 15)


@pytest.mark.parametrize(
    ("args", "period"),
    [
        ({}, Quarter(2026, 3)),
        ({"quarter": ""}, Quarter(2026, 3)),
        ({"quarter": "2026-q1"}, Quarter(2026, 1)),
        ({"quarter": " 2027-Q2 "}, Quarter(2027, 2)),
        ({"year": "2026"}, 2026),
        ({"year": "", "quarter": "2026-Q4"}, Quarter(2026, 4)),
    ],
)
def test_a_period_asked_for(args, period):
    assert requested_period(args, TODAY) == period


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"quarter": "2026-Q5"}, "Not a quarter: 2026-Q5. Write it like 2026-Q3."),
        ({"quarter": "quy-1"}, "Not a quarter: quy-1. Write it like 2026-Q3."),
        ({"year": "hai-nghin"}, "Not a year: hai-nghin. Write it like 2026."),
        ({"year": "１２３４"}, "Not a year: １２３４. Write it like 2026."),  # not ASCII digits
        ({"year": "1800"}, "Not a year: 1800. Write it like 2026."),
        ({"quarter": "2026-Q1", "year": "2026"}, "Give a quarter or a year, not both."),
    ],
)
def test_anything_else_is_refused_with_how_to_write_it(args, message):
    with pytest.raises(InvalidInput) as refused:
        requested_period(args, TODAY)
    assert str(refused.value) == message


def test_where_only_a_quarter_will_do_a_year_is_not_read():
    assert requested_quarter({"year": "2025"}, TODAY) == Quarter(2026, 3)


def test_the_query_string_that_asks_for_a_period_again():
    assert period_args(Quarter(2026, 2)) == {"quarter": "2026-Q2"}
    assert period_args(2026) == {"year": "2026"}
