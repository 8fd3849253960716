"""What a person is told about a plan that was loaded, or is fine but worth a look: what
loading changed, and deadlines that fall on a day off (and, when the plan says so, the
working day they move to). The command line, the plans page and a published draft say the
same."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext, ngettext

from workflow.i18n import N_
from workflow.plans.opening import OpenResult
from workflow.plans.schedule import days_off
from workflow.plans.store import LoadResult
from workflow.working_days import WorkingCalendar

DAY = "%d/%m/%Y %H:%M"
PLAN_PARTS = {
    "plan": N_("plans"),
    "units": N_("units"),
    "responsibilities": N_("responsibilities"),
    "targets": N_("targets"),
    "tasks": N_("tasks moved to their new deadline"),
}


def opening_note(result: OpenResult, quarter: str) -> str:
    """What opening a quarter did, in the same words on the quarters page and the command line:
    the tasks created (and how many of them are contributions), those already open."""
    return gettext(
        "%(quarter)s: %(created)s tasks created (%(contributions)s of them contributions of "
        "coordinating units), %(existing)s already open.",
        quarter=quarter,
        created=result.created,
        contributions=result.contributions,
        existing=result.existing,
    )


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


def flash_load(result: LoadResult) -> None:
    """Tell the person on the page what loading the plan did."""
    code = result.plan.code
    if not result.changed:
        flash(gettext("Plan %(code)s is already loaded and unchanged.", code=code), "info")
        return
    flash(gettext("Plan %(code)s loaded.", code=code), "success")
    for note in day_off_notes(result.plan.definition):
        flash(note, "info")
    for message, counts in (
        (N_("Created: %(counts)s."), result.created),
        (N_("Updated: %(counts)s."), result.updated),
        (N_("Retired: %(counts)s."), result.retired),
    ):
        if counts:
            parts = ", ".join(
                f"{gettext(PLAN_PARTS.get(key, key))} {count}"
                for key, count in sorted(counts.items())
            )
            flash(gettext(message, counts=parts), "success")
