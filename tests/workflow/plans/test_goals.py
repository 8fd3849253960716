"""A target's goal reads as the plan writes it, and 'reached' follows its comparator."""

from decimal import Decimal

import pytest

from workflow.plans.goals import amount_text, goal_text, meets


@pytest.mark.parametrize(
    ("comparator", "figure", "unit", "locale", "text"),
    [
        (">=", Decimal(1500), "lượt", "vi", "≥ 1.500 lượt"),
        (">=", Decimal(100), "%", "vi", "≥ 100%"),
        ("=", Decimal(100), "%", "vi", "100%"),
        (">", Decimal(90), "%", "vi", "> 90%"),
        ("<=", Decimal("2.5"), "%", "vi", "≤ 2,5%"),
        ("<", Decimal(3), "", "vi", "< 3"),
        (">=", Decimal(1500), "lượt", "en", "≥ 1,500 lượt"),
        (None, None, "", "vi", ""),
    ],
)
def test_a_goal_reads_as_the_plan_writes_it(comparator, figure, unit, locale, text):
    assert goal_text(comparator, figure, unit, locale) == text


def test_a_reported_figure_keeps_only_its_meaningful_decimals():
    assert amount_text(Decimal("92.50"), "%") == "92,5%"
    assert amount_text(Decimal("100.00"), "%") == "100%"


@pytest.mark.parametrize(
    ("comparator", "value", "reached"),
    [
        ("=", 100, True),
        ("=", 99, False),
        (">", 90, False),
        (">", 91, True),
        (">=", 90, True),
        ("<", 90, False),
        ("<=", 90, True),
        (None, 90, True),
        (None, 89, False),
    ],
)
def test_reached_follows_the_comparator_exactly_at_the_figure(comparator, value, reached):
    figure = Decimal(100) if comparator == "=" else Decimal(90)
    assert meets(comparator, Decimal(value), figure) is reached
