"""Sorting the accountability rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from workflow.accountability.figures import UnitAccountability
from workflow.collation import text_key


def _worst_first(row: UnitAccountability):
    return (row.on_time_rate, -row.overdue, row.reporting_rate)


SORT_KEYS: dict[str, Callable[[UnitAccountability], object]] = {
    "worst": _worst_first,
    "unit": lambda row: text_key(row.unit_name),
    "head": lambda row: (not row.heads, text_key(row.head_names)),
    "expected": lambda row: row.expected,
    "reported": lambda row: row.reported,
    "reporting_rate": lambda row: row.reporting_rate,
    "on_time": lambda row: row.on_time,
    "on_time_rate": lambda row: row.on_time_rate,
    "approved": lambda row: row.approved,
    "returned": lambda row: row.returned,
    "overdue": lambda row: row.overdue,
    "last_activity": lambda row: row.last_activity or datetime.min.replace(tzinfo=UTC),
}


def sort_accountability(
    rows: list[UnitAccountability], by: str = "worst", descending: bool = False
) -> list[UnitAccountability]:
    """The rows sorted by one of ``SORT_KEYS``; ties keep the units' alphabetical order."""
    ordered = sorted(rows, key=lambda row: text_key(row.unit_name))
    return sorted(ordered, key=SORT_KEYS[by], reverse=descending)
