"""Working days and hours: reminders go out Monday to Friday, 07:30–17:00, never on a holiday,
and a plan may move a deadline that falls on a day off to the working day before it.

Public holidays are listed per year in ``HOLIDAYS`` (2026 shipped) and can be extended or
replaced by configuration (``GIAOVIEC_HOLIDAYS``: a list of ISO dates; ``GIAOVIEC_MAKEUP_DAYS``:
Saturdays worked in exchange for a bridged day, which count as working days).

2026, as chosen here (Bộ luật Lao động 2019, art. 112, and the government's 2026 schedule):
- Tết Dương lịch: Thu 1/1.
- Tết Nguyên đán: Sat 14/2 to Sun 22/2 (27 tháng Chạp Ất Tỵ to mùng 6 Bính Ngọ; Lunar New
  Year's Day is Tue 17/2): the five weekdays 16–20/2 are the ones that matter.
- Giỗ Tổ Hùng Vương (10/3 âm lịch): Sun 26/4, so the compensatory day Mon 27/4 is off.
- Ngày Giải phóng miền Nam 30/4 (Thu) and Quốc tế Lao động 1/5 (Fri).
- Quốc khánh: Wed 2/9 and the adjacent Tue 1/9.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workflow.clock import DEFAULT_TIMEZONE, DEFAULT_ZONE, local_instant
from workflow.periods import Quarter


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


HOLIDAYS: dict[int, dict[date, str]] = {
    2026: {
        date(2026, 1, 1): "Tết Dương lịch",
        **{day: "Tết Nguyên đán" for day in _days(date(2026, 2, 14), date(2026, 2, 22))},
        date(2026, 4, 26): "Giỗ Tổ Hùng Vương",
        date(2026, 4, 27): "Giỗ Tổ Hùng Vương (nghỉ bù)",
        date(2026, 4, 30): "Ngày Giải phóng miền Nam, thống nhất đất nước",
        date(2026, 5, 1): "Ngày Quốc tế Lao động",
        date(2026, 9, 1): "Quốc khánh (ngày liền kề)",
        date(2026, 9, 2): "Quốc khánh",
    },
}


@dataclass(frozen=True)
class WorkingCalendar:
    """When the office works, in local time: weekdays, opening hours, holidays, make-up days."""

    opens: time = time(7, 30)
    closes: time = time(17, 0)
    weekdays: frozenset[int] = frozenset(range(5))  # Monday is 0
    holidays: frozenset[date] = field(
        default_factory=lambda: frozenset(d for year in HOLIDAYS.values() for d in year)
    )
    makeup_days: frozenset[date] = frozenset()
    zone: ZoneInfo = DEFAULT_ZONE

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_days:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """``day`` itself if the office works then, else the next day it does."""
        for offset in range(366):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("no working day within a year")

    def previous_working_day(self, day: date) -> date:
        """``day`` itself if the office works then, else the last day before it that it does."""
        for offset in range(366):
            candidate = day - timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("no working day within a year")

    def first_working_day_of_quarter(self, quarter: Quarter) -> date:
        return self.next_working_day(quarter.first_day)

    def first_working_day_of_week(self, day: date) -> date:
        """The first working day of the (Monday to Sunday) week that contains ``day``."""
        return self.next_working_day(day - timedelta(days=day.weekday()))

    def is_open(self, instant: datetime) -> bool:
        """Is ``instant`` inside working hours on a working day?"""
        local = instant.astimezone(self.zone)
        return self.is_working_day(local.date()) and self.opens <= local.time() < self.closes

    def next_open_instant(self, instant: datetime) -> datetime:
        """``instant`` if the office is open then, else the next opening time (in UTC)."""
        if self.is_open(instant):
            return instant.astimezone(UTC)
        local = instant.astimezone(self.zone)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.opens:
            return local_instant(day, self.opens, self.zone)
        return local_instant(self.next_working_day(day + timedelta(days=1)), self.opens, self.zone)

    def local_day(self, instant: datetime) -> date:
        """The local date of ``instant``."""
        return instant.astimezone(self.zone).date()

    def opening_instant(self, day: date) -> datetime:
        """When the office opens on ``day`` (in UTC)."""
        return local_instant(day, self.opens, self.zone)


def calendar_from_config(config: Mapping) -> WorkingCalendar:
    """The calendar from ``GIAOVIEC_WORK_HOURS`` ("07:30-17:00"), ``GIAOVIEC_WORK_DAYS``
    (weekday numbers, Monday 0), ``GIAOVIEC_HOLIDAYS`` and ``GIAOVIEC_MAKEUP_DAYS``."""
    opens, closes = (
        time.fromisoformat(t) for t in config.get("WORK_HOURS", "07:30-17:00").split("-")
    )
    holidays = frozenset(d for year in HOLIDAYS.values() for d in year)
    if config.get("HOLIDAYS") is not None:
        holidays = frozenset(_dates(config["HOLIDAYS"]))
    return WorkingCalendar(
        opens=opens,
        closes=closes,
        weekdays=frozenset(int(d) for d in _list(config.get("WORK_DAYS", [0, 1, 2, 3, 4]))),
        holidays=holidays,
        makeup_days=frozenset(_dates(config.get("MAKEUP_DAYS", []))),
        zone=ZoneInfo(config.get("TIMEZONE") or DEFAULT_TIMEZONE),
    )


def _list(value) -> list:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value)


def _dates(value: Iterable | str) -> list[date]:
    return [d if isinstance(d, date) else date.fromisoformat(str(d)) for d in _list(value)]
