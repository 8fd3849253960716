"""Whether a target is on track: the one rule behind every red, amber and green.

For a quarter, a target is measured against what it should have reached by the quarter's end
(``expected``):

- the plan file's milestone for that quarter (``milestones: {2026-Q2: 60}``), else
- with a baseline, the straight line from the baseline to the figure over the plan's quarters,
  else
- the figure itself.

Figures are cumulative: each quarter a unit reports where it stands, not what it added.

- **green, on track** (``on_track``): the figure is at or beyond what was expected, in the
  target's direction (lower is better for ``<`` and ``<=``). In the plan's last quarter it must
  meet the target itself, comparator and all (``> 90%`` is not met by 90%).
- **amber, at risk** (``at_risk``): short of it by no more than the target's margin
  (``at_risk_within``, in the target's unit; by default a tenth of what was expected), while the
  plan still runs.
- **red, missed** (``missed``): further short than that; short at all once the plan's period is
  over; or nothing reported for a quarter that has ended.
- **not yet** (``not_yet``): nothing reported for a quarter that is still running.

The ward's figure for a quarter combines its units' latest figures (``combined``): for a rate
(unit ``%``) their mean, weighted by their totals when every unit gave a count over a total;
for an amount, their sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from workflow.i18n import N_
from workflow.periods import Quarter
from workflow.plans.goals import meets
from workflow.targets.numbers import CENT

DEFAULT_MARGIN = Decimal("0.1")  # of what was expected


class TargetStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NOT_YET = "not_yet"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self]


STATUS_LABELS = {
    TargetStatus.ON_TRACK: N_("On track"),
    TargetStatus.AT_RISK: N_("At risk"),
    TargetStatus.MISSED: N_("Missed"),
    TargetStatus.NOT_YET: N_("Not reported yet"),
}
STATUS_COLOURS = {
    TargetStatus.ON_TRACK: "green",
    TargetStatus.AT_RISK: "amber",
    TargetStatus.MISSED: "red",
    TargetStatus.NOT_YET: "grey",
}


@dataclass(frozen=True)
class Goal:
    """What a target is measured against, from its plan file."""

    figure: Decimal
    comparator: str | None
    unit: str
    baseline: Decimal | None = None
    milestones: dict[str, Decimal] | None = None
    at_risk_within: Decimal | None = None

    @property
    def lower_is_better(self) -> bool:
        return self.comparator in ("<", "<=")

    @property
    def is_rate(self) -> bool:
        return self.unit.startswith("%")


@dataclass(frozen=True)
class Assessment:
    status: TargetStatus
    expected: Decimal
    value: Decimal | None


def expected_by(goal: Goal, quarter: Quarter, quarters: Sequence[Quarter]) -> Decimal:
    """What the target should have reached by the end of ``quarter`` (one of the plan's
    ``quarters``, in order)."""
    milestones = goal.milestones or {}
    if str(quarter) in milestones:
        return Decimal(milestones[str(quarter)])
    if goal.baseline is None or quarter not in quarters:
        return goal.figure
    share = Decimal(quarters.index(quarter) + 1) / Decimal(len(quarters))
    return (goal.baseline + (goal.figure - goal.baseline) * share).quantize(CENT, ROUND_HALF_UP)


def assess(
    goal: Goal,
    value: Decimal | None,
    quarter: Quarter,
    quarters: Sequence[Quarter],
    today: date,
) -> Assessment:
    """The status of a target (or of one unit's figure for it) in ``quarter``, as of ``today``."""
    expected = expected_by(goal, quarter, quarters)
    if value is None:
        ended = today > quarter.last_day
        return Assessment(TargetStatus.MISSED if ended else TargetStatus.NOT_YET, expected, None)
    final = quarter == quarters[-1]
    if final and meets(goal.comparator, value, goal.figure):
        return Assessment(TargetStatus.ON_TRACK, expected, value)
    shortfall = (value - expected) if goal.lower_is_better else (expected - value)
    if not final and shortfall <= 0:
        return Assessment(TargetStatus.ON_TRACK, expected, value)
    over = today > quarters[-1].last_day
    margin = (
        goal.at_risk_within if goal.at_risk_within is not None else abs(expected) * DEFAULT_MARGIN
    )
    if not over and shortfall <= margin:
        return Assessment(TargetStatus.AT_RISK, expected, value)
    return Assessment(TargetStatus.MISSED, expected, value)


@dataclass(frozen=True)
class UnitFigure:
    """A unit's latest figure for a target in a quarter."""

    value: Decimal
    count: Decimal | None = None
    total: Decimal | None = None


def combined(goal: Goal, figures: Sequence[UnitFigure]) -> Decimal | None:
    """The ward's figure from its units' (see the module's rule); ``None`` when none reported."""
    if not figures:
        return None
    if not goal.is_rate:
        return sum((f.value for f in figures), Decimal(0))
    if all(f.count is not None and f.total for f in figures):
        total = sum((f.total for f in figures), Decimal(0))
        count = sum((f.count for f in figures), Decimal(0))
        return (count * 100 / total).quantize(CENT, ROUND_HALF_UP)
    mean = sum((f.value for f in figures), Decimal(0)) / len(figures)
    return mean.quantize(CENT, ROUND_HALF_UP)
