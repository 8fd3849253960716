"""What a person is told about a plan file that is fine but worth a look: deadlines that fall
on a day off (and, when the plan says so, the working day they move to). The command line and
the plans page say the same."""

from __future__ import annotations

from flask_babel import gettext

from workflow.plans.schedule import days_off
from workflow.working_days import WorkingCalendar

DAY = "%d/%m/%Y %H:%M"


def day_off_notes(definition: dict, calendar: WorkingCalendar | None = None) -> list[str]:
    notes = []
    for found in days_off(definition, calendar):
        name = f"{found.ref} ({found.label})" if found.label else found.ref
        if found.moved_to is None:
            notes.append(
                gettext(
                    "%(name)s is due on %(day)s, a day off; the plan keeps it there.",
                    name=name,
                    day=found.due.strftime(DAY),
                )
            )
        else:
            notes.append(
                gettext(
                    "%(name)s is due on %(day)s, a day off: moved to %(moved)s.",
                    name=name,
                    day=found.due.strftime(DAY),
                    moved=found.moved_to.strftime(DAY),
                )
            )
    return notes
