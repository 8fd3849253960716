"""Reading a duty's cadence: every time it names made concrete (a date, a date and time, a
month, a milestone and some days around it), and checked against the plan's period.

A normalised cadence holds only concrete local times, as ISO text: a time given by a milestone
is worked out here, and the milestone's code kept beside it (``milestone``), so that moving a
milestone in the file moves every deadline tied to it when the plan is loaded again. A month
alone stands for its last day and is marked ``approximate``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from workflow.i18n import N_
from workflow.periods import Quarter
from workflow.plans.schema import MilestoneDef, MilestoneMoment, Month

# Milestones every plan has, besides those it names.
PLAN_START, PLAN_END = "plan_start", "plan_end"


@dataclass(frozen=True)
class Concrete:
    """A time made concrete: ISO text (a date, or a date and time), and where it came from."""

    text: str
    approximate: bool = False
    milestone: str | None = None

    @property
    def day(self) -> date:
        return date.fromisoformat(self.text[:10])

    def fields(self, prefix: str = "") -> dict:
        """What the normalised cadence keeps besides the time itself: only what is set."""
        extra = {}
        if self.approximate:
            extra[f"{prefix}approximate"] = True
        if self.milestone:
            extra[f"{prefix}milestone"] = self.milestone
        return extra


class CadenceReader:
    """Makes a plan's cadences concrete, reporting each problem at its place."""

    def __init__(self, start: date, end: date, milestones: list[MilestoneDef], problems) -> None:
        self.start, self.end, self.problems = start, end, problems
        self.milestones: dict[str, tuple[date, time | None]] = {
            PLAN_START: (start, None),
            PLAN_END: (end, None),
        }
        for index, milestone in enumerate(milestones):
            if milestone.code in self.milestones:
                problems.add(
                    ("milestones", index, "code"),
                    N_("the code %(code)s is used twice"),
                    {"code": milestone.code},
                )
            self.milestones[milestone.code] = (milestone.date, milestone.time)

    def cadence(self, path: tuple, cadence) -> dict:
        data = cadence.model_dump()
        if cadence.kind == "quarters":
            for n, quarter in enumerate(cadence.quarters):
                self.check_quarter((*path, "quarters", n), quarter)
        elif cadence.kind == "once":
            due = self.concrete((*path, "due"), cadence.due)
            data = {"kind": "once", "due": due.text, **due.fields()}
        elif cadence.kind == "range":
            if cadence.end < cadence.start:
                self.problems.add((*path, "end"), N_("ends before it starts"))
            self.check_day((*path, "start"), cadence.start)
            self.check_day((*path, "end"), cadence.end)
            data.update(start=cadence.start.isoformat(), end=cadence.end.isoformat())
        elif cadence.kind == "span":
            data = self._span(path, cadence)
        elif cadence.kind == "phases":
            data = {
                "kind": "phases",
                "phases": [self._phase(path, n, p) for n, p in enumerate(cadence.phases)],
            }
        return data

    def concrete(self, path: tuple, value, *, check: bool = True) -> Concrete:
        """``value`` as a concrete local time, checked to fall within the plan's period."""
        if isinstance(value, MilestoneMoment):
            found = self._milestone(path, value)
        elif isinstance(value, Month):
            last = calendar.monthrange(value.year, value.month)[1]
            found = Concrete(date(value.year, value.month, last).isoformat(), approximate=True)
        elif isinstance(value, datetime):
            found = Concrete(value.isoformat(timespec="minutes"))
        else:
            found = Concrete(value.isoformat())
        if check:
            self.check_day(path, found.day)
        return found

    def _milestone(self, path: tuple, moment: MilestoneMoment) -> Concrete:
        if moment.milestone not in self.milestones:
            self.problems.add(
                (*path, "milestone"),
                N_("%(code)s is not a milestone of this plan"),
                {"code": moment.milestone},
            )
            return Concrete(self.start.isoformat(), milestone=moment.milestone)
        if moment.days_before and moment.days_after:
            self.problems.add(path, N_("give days_before or days_after, not both"))
        day, at = self.milestones[moment.milestone]
        day += timedelta(days=moment.days_after - moment.days_before)
        at = moment.time or at
        text = datetime.combine(day, at).isoformat(timespec="minutes") if at else day.isoformat()
        return Concrete(text, milestone=moment.milestone)

    def _span(self, path: tuple, cadence) -> dict:
        start = self._edge((*path, "start"), cadence.start, first=True)
        end = self._edge((*path, "end"), cadence.end, first=False)
        if start is None or end is None:
            return {"kind": "span", "start": self.start.isoformat(), "end": self.end.isoformat()}
        end_day = Quarter.parse(end.text).last_day if "Q" in end.text else end.day
        if end_day < start.day:
            self.problems.add((*path, "end"), N_("ends before it starts"))
        return {
            "kind": "span",
            "start": start.text[:10],
            "end": end.text,
            **start.fields("start_"),
            **end.fields("end_"),
        }

    def _edge(self, path: tuple, value, *, first: bool) -> Concrete | None:
        """A span's start or end: a quarter (its first day, or the quarter itself as the end),
        a month (its first day, or its last as the end), a date, or a milestone. A start before
        the plan's period is fine: the work began earlier, and only its quarters within the
        plan are owed."""
        if isinstance(value, str):
            self.check_quarter(path, value)
            quarter = Quarter.parse(value)
            return Concrete(quarter.first_day.isoformat()) if first else Concrete(str(quarter))
        if first and isinstance(value, Month):
            return Concrete(date(value.year, value.month, 1).isoformat())
        found = self.concrete(path, value, check=not first)
        if first and found.day > self.end:
            self.check_day(path, found.day)
        return found

    def _phase(self, path: tuple, n: int, phase) -> dict:
        where = (*path, "phases", n)
        given = [name for name in ("due", "quarter", "end") if getattr(phase, name) is not None]
        data = {"name": phase.name, "due": None, "quarter": phase.quarter}
        if len(given) != 1:
            message = (
                N_("give a due date, a quarter or an end")
                if not given
                else N_("give only one of a due date, a quarter or an end")
            )
            self.problems.add(where, message)
            return data
        if phase.quarter is not None:
            self.check_quarter((*where, "quarter"), phase.quarter)
            return data
        due = self.concrete((*where, given[0]), getattr(phase, given[0]))
        data.update(due=due.text, **due.fields())
        if phase.start is not None:
            start = self.concrete((*where, "start"), phase.start, check=False)
            data["start"] = start.text
            if start.day > due.day:
                self.problems.add((*where, "end"), N_("ends before it starts"))
        return data

    def check_quarter(self, path: tuple, name: str) -> None:
        if self.end < self.start:
            return  # the period itself is wrong: said once
        quarter = Quarter.parse(name)
        if quarter.last_day < self.start or quarter.first_day > self.end:
            self.problems.add(
                path,
                N_("%(value)s is outside the plan's period (%(start)s to %(end)s)"),
                {"value": name, "start": self.start.isoformat(), "end": self.end.isoformat()},
            )

    def check_day(self, path: tuple, day: date) -> None:
        if self.end < self.start:
            return  # the period itself is wrong: said once
        if not self.start <= day <= self.end:
            self.problems.add(
                path,
                N_("%(value)s is outside the plan's period (%(start)s to %(end)s)"),
                {
                    "value": day.isoformat(),
                    "start": self.start.isoformat(),
                    "end": self.end.isoformat(),
                },
            )
