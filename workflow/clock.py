"""The one clock of the program: every "now" comes from here so any date can be replayed.

Set it from ``GIAOVIEC_NOW`` or ``--now``; a set clock either stands still (replays, tests) or
runs on from the given instant (the demo), so a whole quarter can be lived through on demand.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from workflow.timezones import local_zone

_anchor: datetime | None = None
_anchored_at: float = 0.0
_frozen: bool = True


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    if _anchor is None:
        return datetime.now(UTC)
    if _frozen:
        return _anchor
    return _anchor + timedelta(seconds=time.monotonic() - _anchored_at)


def today() -> date:
    """Today's date where the organisation is (Asia/Ho_Chi_Minh by default)."""
    return now().astimezone(local_zone()).date()


def set_now(instant: datetime | str | None, *, frozen: bool = True) -> None:
    """Pin the clock to ``instant`` (naive values are local time); ``None`` returns to real time."""
    global _anchor, _anchored_at, _frozen
    _anchor = parse_instant(instant) if isinstance(instant, str) else instant
    if _anchor is not None and _anchor.tzinfo is None:
        _anchor = _anchor.replace(tzinfo=local_zone())
    if _anchor is not None:
        _anchor = _anchor.astimezone(UTC)
    _anchored_at = time.monotonic()
    _frozen = frozen


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 date or date-time; a bare date means the start of that local day."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    return value.astimezone(UTC)
