"""What a person is told about a plan file that is fine but worth a look: deadlines that fall
on a day off (and, when the plan says so, the working day they move to). The command line and
the plans page say the same."""

from __future__ import annotations

from flask_babel import ngettext

from workflow.plans.schedule import days_off
from workflow.working_days import WorkingCalendar

DAY = "%d/%m/%Y %H:%M"


def day_off_notes(definition: dict, calendar: WorkingCalendar | None = None) -> list[str]:
    """One note per day off that deadlines fall on, naming every deadline there: a plan whose
    quarterly due day is a Sunday says so once, not once per duty."""
    grouped: dict[tuple, list[str]] = {}
    for found in days_off(definition, calendar):
        name = f"{found.ref} ({found.label})" if found.label else found.ref
        grouped.setdefault((found.due, found.moved_to), []).append(name)
    notes = []
    for (due, moved_to), names in grouped.items():
        params = {"names": ", ".join(names), "day": due.strftime(DAY), "num": len(names)}
        if moved_to is None:
            notes.append(
                ngettext(
                    "%(names)s is due on %(day)s, a day off; the plan keeps it there.",
                    "%(names)s are due on %(day)s, a day off; the plan keeps them there.",
                    **params,
                )
            )
        else:
            notes.append(
                ngettext(
                    "%(names)s is due on %(day)s, a day off: moved to %(moved)s.",
                    "%(names)s are due on %(day)s, a day off: moved to %(moved)s.",
                    moved=moved_to.strftime(DAY),
                    **params,
                )
            )
    return notes
