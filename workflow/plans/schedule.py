"""When a responsibility is owed: its cadence turned into slots (a quarter, a phase, a local due
time), the one computation behind opening a quarter and behind the plan's checks.

Rules, as DESIGN.md and the format's documentation state them:

- a quarter's report is due on the plan's (or the duty's) due day of that quarter; a date
  alone is due at the due rule's time on that day;
- a span is owed in every quarter it covers: each quarter by its due day, the last by the
  span's end;
- nothing falls due after the plan's period ends: a due time past it is brought back to the
  plan's last day;
- a plan may move a deadline that falls on a day off to the working day before it.

Times here are local wall-clock times (naive); opening turns them into UTC instants in the
clock's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from workflow.periods import Quarter, quarter_due_day, quarters_between
from workflow.plans.schema import PLAN_SETTINGS, plan_setting
from workflow.working_days import WorkingCalendar


@dataclass(frozen=True)
class Slot:
    """One time a responsibility is owed: in ``period``, as phase ``number`` (0 when it does
    not come in phases), due at ``due`` (local time), ``approximate`` when the plan gave only a
    month."""

    period: Quarter
    number: int
    label: str
    due: datetime
    approximate: bool = False


@dataclass(frozen=True)
class PlanTime:
    """What a plan says about time, beyond each duty's cadence."""

    start: date
    end: date
    move_off_days: bool = False  # ``due_on_day_off: previous_working_day``
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    contribution_days: int = PLAN_SETTINGS["contribution_days_before"]

    @classmethod
    def of(cls, definition: dict, calendar: WorkingCalendar | None = None) -> PlanTime:
        """The plan's time from its normalised definition."""
        info = definition["plan"]
        return cls(
            date.fromisoformat(info["period"]["start"]),
            date.fromisoformat(info["period"]["end"]),
            info.get("due_on_day_off", "keep") == "previous_working_day",
            calendar or WorkingCalendar(),
            plan_setting(definition, "contribution_days_before"),
        )

    def settle(self, due: datetime) -> datetime:
        """``due`` within the plan's period, and on a working day if the plan asks for it."""
        if due.date() > self.end:
            due = datetime.combine(self.end, due.time())
        if self.move_off_days and not self.calendar.is_working_day(due.date()):
            due = datetime.combine(self.calendar.previous_working_day(due.date()), due.time())
        return due

    def contribution_due(self, lead_due: datetime) -> datetime:
        """When a coordinating unit's contribution to a slot due at ``lead_due`` is due: the
        plan's number of days before, at the same hour, never before the plan begins, and
        settled like any due time (so a day off moves it earlier, never past the lead's)."""
        due = lead_due - timedelta(days=self.contribution_days)
        return self.settle(max(due, datetime.combine(self.start, due.time())))

    def quarters(self) -> list[Quarter]:
        return quarters_between(self.start, self.end)


def schedule(cadence: dict, report_due: dict, plan: PlanTime) -> list[Slot]:
    """Every slot of a responsibility with this cadence and due rule, in order."""
    rule_time = time.fromisoformat(report_due["time"])

    def quarter_due(quarter: Quarter) -> datetime:
        day = quarter_due_day(quarter, report_due["month"], report_due["day"])
        return plan.settle(datetime.combine(day, rule_time))

    def at(text: str) -> datetime:
        value = datetime.fromisoformat(text)
        return plan.settle(value if len(text) > 10 else datetime.combine(value.date(), rule_time))

    def dated(number: int, label: str, text: str, approximate: bool = False) -> Slot:
        due = at(text)
        return Slot(Quarter.of(due.date()), number, label, due, approximate)

    kind = cadence["kind"]
    if kind == "quarterly":
        return [Slot(q, 0, "", quarter_due(q)) for q in plan.quarters()]
    if kind == "quarters":
        return [
            Slot(Quarter.parse(q), 0, "", quarter_due(Quarter.parse(q)))
            for q in cadence["quarters"]
        ]
    if kind == "once":
        return [dated(0, "", cadence["due"], cadence.get("approximate", False))]
    if kind == "range":
        return [dated(0, "", cadence["end"])]
    if kind == "span":
        return _span(cadence, plan, quarter_due, dated)
    if kind == "phases":
        slots = []
        for number, phase in enumerate(cadence["phases"], start=1):
            if phase.get("quarter"):
                quarter = Quarter.parse(phase["quarter"])
                slots.append(Slot(quarter, number, phase["name"], quarter_due(quarter)))
            else:
                slots.append(
                    dated(number, phase["name"], phase["due"], phase.get("approximate", False))
                )
        return slots
    raise ValueError(f"unknown cadence {kind}")


@dataclass(frozen=True)
class DayOff:
    """A deadline of the plan that falls on a day off; ``moved_to`` when the plan moves it."""

    ref: str
    label: str
    due: datetime
    moved_to: datetime | None


def days_off(definition: dict, calendar: WorkingCalendar | None = None) -> list[DayOff]:
    """Every deadline of a normalised plan that falls on a weekend or a public holiday, so that
    loading the plan can say so (and where ``due_on_day_off`` moves it, to when)."""
    plan = PlanTime.of(definition, calendar)
    as_written = replace(plan, move_off_days=False)
    found = []
    for item in definition["responsibilities"]:
        written = schedule(item["cadence"], item["report_due"], as_written)
        settled = schedule(item["cadence"], item["report_due"], plan)
        for slot, final in zip(written, settled, strict=True):
            if not plan.calendar.is_working_day(slot.due.date()):
                moved = final.due if plan.move_off_days else None
                found.append(DayOff(item["ref"], slot.label, slot.due, moved))
    return found


def _span(cadence: dict, plan: PlanTime, quarter_due, dated) -> list[Slot]:
    """A task in each quarter the span covers (within the plan): each by that quarter's due
    day (its last day when the span starts after it), the last by the span's end."""
    start = date.fromisoformat(cadence["start"])
    end = cadence["end"]
    last = Quarter.parse(end) if "Q" in end else Quarter.of(date.fromisoformat(end[:10]))
    covered = [q for q in quarters_between(start, last.last_day) if q in plan.quarters()]
    slots = []
    for quarter in covered[:-1]:
        due = quarter_due(quarter)
        if due.date() < start:
            due = plan.settle(datetime.combine(quarter.last_day, due.time()))
        slots.append(Slot(quarter, 0, "", due))
    if covered:
        if "Q" in end:
            slots.append(Slot(last, 0, "", quarter_due(last)))
        else:
            slots.append(dated(0, "", end, cadence.get("end_approximate", False)))
    return slots
