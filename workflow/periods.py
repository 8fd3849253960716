"""Quarters, the plan's unit of time, and the due times computed from them.

A task belongs to one period, written ``2026-Q3``; a period asked for is a quarter or a whole
year (``Period``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

QUARTER_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """One quarter of one year; ``str(q)`` is its canonical name, ``2026-Q3``."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2026-Q3`` (case-insensitive); anything else raises ``ValueError``."""
        match = QUARTER_PATTERN.match(str(text).strip().upper())
        if not match:
            raise ValueError(f"not a quarter: {text!r} (expected e.g. 2026-Q3)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        """The quarter that contains ``day``."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def roman(self) -> str:
        """The quarter as Vietnamese documents write it: ``III/2026``."""
        return f"{('I', 'II', 'III', 'IV')[self.number - 1]}/{self.year}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )


def quarters_between(start: date, end: date) -> list[Quarter]:
    """Every quarter that overlaps the period from ``start`` to ``end``, in order."""
    quarters, current, last = [], Quarter.of(start), Quarter.of(end)
    while current <= last:
        quarters.append(current)
        current = current.next()
    return quarters


def quarter_due_day(quarter: Quarter, month_of_quarter: int, day: int) -> date:
    """The due day in ``quarter``: day ``day`` of its ``month_of_quarter``-th month, clamped to
    the month's length (day 31 of a 30-day month is its last day)."""
    month = 3 * (quarter.number - 1) + month_of_quarter
    last = calendar.monthrange(quarter.year, month)[1]
    return date(quarter.year, month, min(day, last))


# A period asked for: one quarter, or a whole year (all four of its quarters).
Period = Quarter | int
