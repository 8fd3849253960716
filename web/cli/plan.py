"""``giaoviec plan``: check, show and load plan definition files."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext

from definitions import plan_path, shipped_plans
from web.cli.common import fail, json_option, print_json, reports_errors, unit_of_work
from web.clock import app_clock
from web.plan_notes import day_off_notes
from workflow.plans.checks import PlanInvalid, read_plan
from workflow.plans.store import load_plan

group = AppGroup("plan", help="Check, show and load plan files (YAML).")


def _plan_file(ctx, param, value: str) -> str:
    path = plan_path(value)
    if not path.is_file():
        raise click.BadParameter(
            gettext(
                "%(path)s is neither a file nor a shipped plan (%(plans)s)",
                path=value,
                plans=", ".join(shipped_plans()),
            )
        )
    return str(path)


plan_file = click.argument("path", metavar="FILE", callback=_plan_file)


def _read(path: str) -> dict:
    try:
        return read_plan(path)
    except PlanInvalid as invalid:
        for problem in invalid.problems:
            click.echo(problem.format(gettext), err=True)
        fail(gettext("%(count)s problem(s): nothing was loaded.", count=len(invalid.problems)))


@group.command("validate")
@plan_file
def validate_command(path: str) -> None:
    """Check a plan file; print FILE:LINE: field: message for each mistake."""
    plan = _read(path)
    click.echo(
        gettext(
            "%(path)s: valid: %(units)s units, %(responsibilities)s responsibilities, "
            "%(targets)s targets.",
            path=path,
            units=len(plan["units"]),
            responsibilities=len(plan["responsibilities"]),
            targets=len(plan["targets"]),
        )
    )
    _notes(plan)


def _notes(plan: dict) -> None:
    for note in day_off_notes(plan):
        click.echo(gettext("Note: %(note)s", note=note))


@group.command("show")
@plan_file
@json_option
def show_command(path: str, as_json: bool) -> None:
    """Print the plan as Giao Việc understands it."""
    plan = _read(path)
    if as_json:
        print_json(plan)
        return
    click.echo(plan["plan"]["title"])
    for item in plan["responsibilities"]:
        lead = ", ".join(item["lead"])
        coordinating = ", ".join(item["coordinating"]) or "-"
        click.echo(
            f"{item['ref']:<10} {item['title']}  [{lead}] ({coordinating}) "
            f"{item['cadence']['kind']}"
        )
    for target in plan["targets"]:
        figure = (
            f"{target['comparator']}{target['target']}{target['unit']}"
            if target["target"] is not None
            else "-"
        )
        click.echo(f"{target['ref']:<10} {figure:<8} {target['title']}")


@group.command("load")
@plan_file
@reports_errors
def load_command(path: str) -> None:
    """Load a plan file; loading it again changes nothing, an edited one updates in place."""
    definition = _read(path)
    with unit_of_work() as session:
        result = load_plan(session, definition, app_clock())
        code = result.plan.code
    if not result.changed:
        click.echo(gettext("Plan %(code)s is already loaded and unchanged.", code=code))
        return
    click.echo(gettext("Plan %(code)s loaded.", code=code))
    _notes(definition)
    for label, counts in (
        (gettext("created"), result.created),
        (gettext("updated"), result.updated),
        (gettext("retired"), result.retired),
    ):
        if counts:
            click.echo(f"  {label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
