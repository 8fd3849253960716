"""Red, amber and green: what a target should have reached each quarter, and how far short of it
a figure may be while the plan still runs."""

from datetime import date
from decimal import Decimal as D

import pytest

from workflow.periods import Quarter
from workflow.targets.status import Goal, TargetStatus, UnitFigure, assess, combined, expected_by

YEAR = [Quarter(2026, n) for n in (1, 2, 3, 4)]
Q1, Q2, Q3, Q4 = YEAR
DURING_Q2 = date(2026, 5, 10)
AFTER_THE_YEAR = date(2027, 1, 5)

FULL = Goal(figure=D(100), comparator="=", unit="%")
MILESTONES = Goal(
    figure=D(90),
    comparator=">",
    unit="%",
    baseline=D(55),
    milestones={"2026-Q1": D(62), "2026-Q2": D(70), "2026-Q3": D(80)},
    at_risk_within=D(5),
)


def status(goal, value, quarter, today=DURING_Q2):
    return assess(goal, None if value is None else D(value), quarter, YEAR, today).status


def test_a_milestone_is_what_its_quarter_expects():
    assert expected_by(MILESTONES, Q2, YEAR) == D(70)


def test_without_a_milestone_the_line_from_the_baseline_leads_to_the_figure():
    goal = Goal(figure=D(100), comparator="=", unit="%", baseline=D(60))
    assert [expected_by(goal, q, YEAR) for q in YEAR] == [D(70), D(80), D(90), D(100)]


def test_without_baseline_or_milestone_every_quarter_expects_the_figure():
    assert {expected_by(FULL, q, YEAR) for q in YEAR} == {D(100)}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("70", TargetStatus.ON_TRACK),  # exactly the milestone
        ("71", TargetStatus.ON_TRACK),
        ("65", TargetStatus.AT_RISK),  # short by exactly the margin
        ("64.99", TargetStatus.MISSED),  # a cent beyond it
    ],
)
def test_short_of_the_milestone_by_no_more_than_the_margin_is_at_risk(value, expected):
    assert status(MILESTONES, value, Q2) is expected


def test_the_default_margin_is_a_tenth_of_what_was_expected():
    assert status(FULL, "90", Q2) is TargetStatus.AT_RISK
    assert status(FULL, "89.99", Q2) is TargetStatus.MISSED


def test_lower_is_better_for_a_target_at_most():
    goal = Goal(figure=D(5), comparator="<=", unit="%", at_risk_within=D(1))
    assert status(goal, "4", Q2) is TargetStatus.ON_TRACK
    assert status(goal, "6", Q2) is TargetStatus.AT_RISK
    assert status(goal, "6.5", Q2) is TargetStatus.MISSED


def test_the_last_quarter_must_meet_the_target_itself_comparator_and_all():
    goal = Goal(figure=D(90), comparator=">", unit="%")
    assert status(goal, "90.5", Q4, date(2026, 12, 10)) is TargetStatus.ON_TRACK
    assert status(goal, "90", Q4, date(2026, 12, 10)) is TargetStatus.AT_RISK
    assert status(goal, "90", Q4, AFTER_THE_YEAR) is TargetStatus.MISSED


def test_once_the_plan_is_over_any_shortfall_is_missed():
    assert status(MILESTONES, "68", Q2, AFTER_THE_YEAR) is TargetStatus.MISSED
    assert status(MILESTONES, "68", Q2, DURING_Q2) is TargetStatus.AT_RISK


def test_nothing_reported_is_not_yet_while_the_quarter_runs_and_missed_after():
    assert status(FULL, None, Q2, date(2026, 6, 30)) is TargetStatus.NOT_YET
    assert status(FULL, None, Q2, date(2026, 7, 1)) is TargetStatus.MISSED


def test_the_wards_rate_is_the_mean_of_its_units_or_weighted_by_their_totals():
    assert combined(FULL, [UnitFigure(D(90)), UnitFigure(D(100))]) == D(95)
    weighted = [UnitFigure(D(90), D(9), D(10)), UnitFigure(D(100), D(30), D(30))]
    assert combined(FULL, weighted) == D("97.50")
    assert combined(FULL, []) is None


def test_the_wards_amount_is_the_sum_of_its_units():
    visits = Goal(figure=D(1500), comparator=">=", unit="lượt")
    assert combined(visits, [UnitFigure(D(700)), UnitFigure(D(650))]) == D(1350)
