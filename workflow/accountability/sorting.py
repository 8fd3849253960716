"""Sorting the accountability rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from operator import attrgetter

from workflow.accountability.figures import UNIT_FIGURES, UnitAccountability
from workflow.collation import text_key


def _worst_first(row: UnitAccountability):
    """Lowest on-time rate first, then most overdue; a unit with nothing due yet goes last."""
    return (row.on_time_rate is None, row.on_time_rate or 0, -row.overdue, row.reporting_rate or 0)


def _rate(name: str) -> Callable[[UnitAccountability], object]:
    """A rate as a sort key: units without one (nothing due) after every rate."""
    return lambda row: (getattr(row, name) is None, getattr(row, name) or 0)


SORT_KEYS: dict[str, Callable[[UnitAccountability], object]] = {
    "worst": _worst_first,
    "unit": lambda row: text_key(row.unit_name),
    "head": lambda row: (not row.heads, text_key(row.head_names)),
    **{name: attrgetter(name) for name in ("expected", "not_yet_due", *UNIT_FIGURES)},
    "reporting_rate": _rate("reporting_rate"),
    "on_time_rate": _rate("on_time_rate"),
    "last_activity": lambda row: row.last_activity or datetime.min.replace(tzinfo=UTC),
}


def sort_accountability(
    rows: list[UnitAccountability], by: str = "worst", descending: bool = False
) -> list[UnitAccountability]:
    """The rows sorted by one of ``SORT_KEYS``; ties keep the units' alphabetical order."""
    ordered = sorted(rows, key=lambda row: text_key(row.unit_name))
    return sorted(ordered, key=SORT_KEYS[by], reverse=descending)
