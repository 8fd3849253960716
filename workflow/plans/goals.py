"""A target's goal: how it reads ("≥ 1.500 lượt", "100%") and whether a figure meets it.

One place for the comparators, so the task page, the review queue, the drafts editor and the
quarterly report write "≥" the same way and count "reached" by the same rule."""

from __future__ import annotations

import operator
from decimal import Decimal

from babel.numbers import format_decimal

SIGNS = {"=": "", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}
TESTS = {"=": operator.eq, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def number_text(value: Decimal | float | int, locale: str = "vi") -> str:
    """A figure as the reader's language writes it: ``1.500`` and ``92,5`` in Vietnamese."""
    return format_decimal(value, locale=locale, decimal_quantization=False)


def amount_text(value: Decimal | float | int, unit: str, locale: str = "vi") -> str:
    """A figure with its unit of measure: ``92,5%``, ``1.500 lượt``."""
    if not unit:
        return number_text(value, locale)
    joiner = "" if unit.startswith("%") else " "
    return f"{number_text(value, locale)}{joiner}{unit}"


def goal_text(comparator: str | None, figure, unit: str, locale: str = "vi") -> str:
    """The goal as the plan writes it: ``≥ 100%``, ``> 90%``, ``100%`` (for "="); empty for a
    target with no figure."""
    if figure is None:
        return ""
    sign = SIGNS.get(comparator or "=", comparator or "")
    amount = amount_text(figure, unit, locale)
    return f"{sign} {amount}" if sign else amount


def meets(comparator: str | None, value: Decimal, figure: Decimal) -> bool:
    """Whether a reported ``value`` reaches the goal; a target given without a comparator is
    read as 'at least'."""
    return TESTS[comparator or ">="](value, figure)
