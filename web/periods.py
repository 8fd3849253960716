"""What period a request asks for: the one reading of ``quarter=`` and ``year=``, for pages,
exports, the API and the command line alike.

A quarter is written ``2026-Q3`` (any case), a year ``2026``; asking for neither means the
quarter of today. Anything else is refused with a message that says how to write it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.periods import Period, Quarter

FIRST_YEAR, LAST_YEAR = 1900, 2200


def parse_quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError:
        raise InvalidInput(
            N_("Not a quarter: %(value)s. Write it like 2026-Q3."), value=str(text)
        ) from None


def parse_year(text: str) -> int:
    text = str(text).strip()
    if not (text.isascii() and text.isdigit() and FIRST_YEAR < int(text) < LAST_YEAR):
        raise InvalidInput(N_("Not a year: %(value)s. Write it like 2026."), value=text)
    return int(text)


def requested_period(args: Mapping[str, str], today: date, *, years: bool = True) -> Period:
    """``quarter=2026-Q1`` or (when ``years``) ``year=2026``; the quarter of ``today`` when
    neither is given. Refuses both at once, and anything malformed (``InvalidInput``)."""
    quarter, year = args.get("quarter") or None, (args.get("year") or None) if years else None
    if quarter and year:
        raise InvalidInput(N_("Give a quarter or a year, not both."))
    if year:
        return parse_year(year)
    return parse_quarter(quarter) if quarter else Quarter.of(today)


def requested_quarter(args: Mapping[str, str], today: date) -> Quarter:
    """``quarter=2026-Q1``, the quarter of ``today`` when none is given."""
    return requested_period(args, today, years=False)


def period_args(period: Period) -> dict[str, str]:
    """The query string that asks for ``period`` again (links, pagination, exports)."""
    return {"year": str(period)} if isinstance(period, int) else {"quarter": str(period)}
