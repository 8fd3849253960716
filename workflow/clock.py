"""The clock: where every "now" and every local date comes from, carried and never global.

The app, each command and the scheduler hold a ``Clock``; the engine is given ``now`` (an
instant, when only the instant matters) or the clock itself (when local dates matter), so a
replayed date in one place never leaks into another. A clock follows real time, stands still at
an instant (replays, tests), or runs on from an instant (the demo). "Today" is always the date
where the organisation is (Asia/Ho_Chi_Minh by default), never the UTC date.
"""

from __future__ import annotations

import time as monotonic
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_ZONE = ZoneInfo(DEFAULT_TIMEZONE)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock date and time in ``zone``."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class Clock:
    """A source of "now" in a time zone; ``start`` None follows real time."""

    zone: ZoneInfo = DEFAULT_ZONE
    start: datetime | None = None  # UTC
    runs: bool = False  # from ``start`` on, as real time passes
    origin: float = field(default_factory=monotonic.monotonic, compare=False, repr=False)

    @classmethod
    def at(
        cls, instant: datetime | str | None, zone: str | ZoneInfo = DEFAULT_ZONE, *, runs=False
    ) -> Clock:
        """A clock at ``instant`` (ISO text or naive values are local time; None: real time)."""
        zone = ZoneInfo(zone) if isinstance(zone, str) else zone
        start = cls(zone).parse(instant) if isinstance(instant, str) else instant
        if start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=zone)
        return cls(zone, start.astimezone(UTC) if start is not None else None, runs)

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        if self.start is None:
            return datetime.now(UTC)
        if not self.runs:
            return self.start
        return self.start + timedelta(seconds=monotonic.monotonic() - self.origin)

    def today(self) -> date:
        """Today's date where the organisation is."""
        return self.local_day(self.now())

    def stopped_at(self, instant: datetime) -> Clock:
        """This clock's zone, standing still at ``instant`` (a step of a replayed history)."""
        return replace(self, start=instant.astimezone(UTC), runs=False)

    def local(self, instant: datetime) -> datetime:
        """``instant`` on the local wall clock."""
        return instant.astimezone(self.zone)

    def local_day(self, instant: datetime) -> date:
        return self.local(instant).date()

    def instant(self, day: date, at: time) -> datetime:
        """The UTC instant of a local wall-clock date and time."""
        return local_instant(day, at, self.zone)

    def parse(self, text: str) -> datetime:
        """An ISO 8601 date or date-time, local unless it carries an offset; a bare date is
        the start of that local day. Raises ``ValueError``."""
        value = datetime.fromisoformat(text.strip())
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        return value.astimezone(UTC)
