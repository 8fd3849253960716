"""The figures of accountability: what a unit, a quarter or a year counts, and its rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workflow.periods import Quarter


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class Rates:
    """Reporting and on-time rates of what is due (past its due time, or reported): tasks not
    yet due are counted apart and never lower a rate; with nothing due, there is no rate."""

    expected: int
    due: int
    reported: int
    on_time: int

    @property
    def not_yet_due(self) -> int:
        return self.expected - self.due

    @property
    def reporting_rate(self) -> float | None:
        return _rate(self.reported, self.due)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.due)


# What each unit's row counts besides the tasks it owes, in the order of ``UnitAccountability``.
UNIT_FIGURES = (
    "due",
    "reported",
    "on_time",
    "completed_on_time",
    "completed_late",
    "awaiting_review",
    "approved",
    "returned",
    "overdue",
    "extended",
)


@dataclass(frozen=True)
class UnitAccountability(Rates):
    """One unit's figures for a period."""

    unit_id: int
    unit_code: str
    unit_name: str
    heads: tuple[str, ...]
    expected: int  # every task the unit owes in the period, due or not
    due: int
    reported: int
    on_time: int
    completed_on_time: int
    completed_late: int
    awaiting_review: int
    approved: int
    returned: int  # tasks whose report was returned at least once
    overdue: int
    extended: int  # tasks whose due date was extended at least once
    last_activity: datetime | None

    @property
    def head_names(self) -> str:
        return ", ".join(self.heads)


@dataclass(frozen=True)
class UnitRoles:
    """What a unit does in a period besides the duties it leads, shown apart from them: its
    contributions to duties it coordinates (owed, and how they were sent), and the duties it
    directs, is in overall charge of or takes part in (itself, or as a member of a group that
    does)."""

    unit_code: str
    unit_name: str
    coordinating: int  # contributions owed in the period
    contributed_on_time: int
    contributed_late: int
    contributions_overdue: int  # not sent, past their due time
    directs: int
    in_charge: int
    takes_part: int


# Rates across a year


@dataclass(frozen=True)
class QuarterRates(Rates):
    """What was due in one quarter and how much of it was reported, and on time."""

    quarter: Quarter
    expected: int = 0
    due: int = 0
    reported: int = 0
    on_time: int = 0
    overdue: int = 0


@dataclass
class YearRates:
    """The four quarters of a year for the whole organisation."""

    year: int
    organisation: list[QuarterRates]
