"""``giaoviec tasks``: open a quarter's tasks and list them."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext

from web.cli.common import (
    json_option,
    now_option,
    print_json,
    quarter_option_value,
    reports_errors,
    unit_of_work,
)
from web.clock import app_clock
from web.plan_notes import opening_note
from workflow.organisations.queries import find_organisation, find_unit
from workflow.periods import Quarter
from workflow.plans.opening import open_quarter
from workflow.tasks.queries import list_tasks
from workflow.tasks.states import TaskState

group = AppGroup("tasks", help="Open quarters and list tasks.")


quarter_option = click.option(
    "--quarter", callback=quarter_option_value, metavar="YYYY-QN", help="The quarter, e.g. 2026-Q3."
)
org_option = click.option(
    "--org", "org_code", metavar="CODE", help="The organisation, when there are several."
)


@group.command("open")
@quarter_option
@org_option
@now_option
@reports_errors
def open_command(quarter: Quarter | None, org_code: str | None) -> None:
    """Create the quarter's tasks (the current quarter by default); running it again adds none."""
    clock = app_clock()
    quarter = quarter or Quarter.of(clock.today())
    with unit_of_work() as session:
        result = open_quarter(session, find_organisation(session, org_code), quarter, clock)
    click.echo(opening_note(result, str(quarter)))


@group.command("list")
@quarter_option
@click.option("--unit", "unit_code", metavar="CODE")
@click.option("--state", type=click.Choice([s.value for s in TaskState]))
@click.option("--overdue/--not-overdue", default=None, help="Only tasks that are (not) overdue.")
@org_option
@json_option
@now_option
@reports_errors
def list_command(quarter, unit_code, state, overdue, org_code, as_json) -> None:
    """List tasks with their state and deadline status."""
    with unit_of_work() as session:
        organisation = find_organisation(session, org_code)
        unit = find_unit(session, organisation, unit_code) if unit_code else None
        rows = list_tasks(
            session,
            organisation,
            app_clock().now(),
            quarter=quarter,
            unit=unit,
            state=state,
            overdue=overdue,
        )
    if as_json:
        print_json([row.as_json() for row in rows])
        return
    for row in rows:
        due = app_clock().local(row.due_at).strftime("%d/%m/%Y")
        click.echo(
            f"{row.id:>6} {row.period} {row.ref:<10} {row.unit_code:<10} "
            f"{gettext(TaskState(row.state).label):<24} {due} {row.title}"
        )
