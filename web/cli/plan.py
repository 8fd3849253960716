"""``giaoviec plan``: check, show and load plan definition files; draft one from a document."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext, ngettext

from definitions import plan_path, shipped_plans
from web.cli.common import fail, json_option, print_json, reports_errors, unit_of_work
from web.clock import app_clock
from web.i18n import error_message
from web.plan_notes import day_off_notes
from workflow.organisations.queries import find_organisation
from workflow.plans.checks import PlanInvalid, parse_plan, read_plan
from workflow.plans.importer import DocumentUnreadable, draft_plan
from workflow.plans.importer.yaml_writer import draft_yaml
from workflow.plans.send_down import send_plan_down
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


@group.command("send-down")
@plan_file
@click.option("--under", "above_code", required=True, metavar="CODE", help="A city, province...")
@reports_errors
def send_down_command(path: str, above_code: str) -> None:
    """Load a plan file into every commune below a city, a province or the nation, each with
    its own units; sent again after the file changed, it updates each commune's plan."""
    definition = _read(path)
    with unit_of_work() as session:
        above = find_organisation(session, above_code)
        sent = send_plan_down(session, definition, above, app_clock())
        for item in sent:
            state = gettext("loaded") if item.result.changed else gettext("unchanged")
            click.echo(f"  {item.commune.code}: {state}")
    click.echo(
        ngettext(
            "The plan went to %(num)s commune.", "The plan went to %(num)s communes.", len(sent)
        )
    )


@group.command("import")
@click.argument("document", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the draft plan file here (never over an existing file).",
)
@json_option
def import_command(document: str, output: str | None, as_json: bool) -> None:
    """Draft a plan file from the plan's document (.docx, .htm, .txt, text .pdf): each part
    with the sentence it came from, the points to check marked in the file."""
    path = Path(document)
    if output is not None and Path(output).exists():
        fail(gettext("%(path)s already exists: choose another name.", path=output))
    try:
        draft = draft_plan(path.read_bytes(), path.name)
    except DocumentUnreadable as error:
        fail(f"{document}: {error_message(error)}")
    text = draft_yaml(draft, gettext, header=_draft_header(path))
    problems = _problems(text, output or document)
    if as_json:
        print_json(parse_plan(text) if not problems else draft.data)
    elif output is None:
        click.echo(text, nl=False)
    if output is not None:
        try:
            with open(output, "x", encoding="utf-8") as file:
                file.write(text)
        except FileExistsError:
            fail(gettext("%(path)s already exists: choose another name.", path=output))
    _summary(draft, problems, output)


def _draft_header(document: Path) -> str:
    return gettext(
        "Draft plan file, read by Giao Việc from %(document)s.\n"
        "Check every line marked CHECK and decide every MUST DECIDE, then:\n"
        "  giaoviec plan validate FILE    (every remaining mistake, with its line)\n"
        "  giaoviec plan load FILE        (the plan, its units and its tasks)",
        document=document.name,
    )


def _problems(text: str, filename: str) -> list[str]:
    try:
        parse_plan(text, filename)
    except PlanInvalid as invalid:
        return [problem.format(gettext) for problem in invalid.problems]
    return []


def _summary(draft, problems: list[str], output: str | None) -> None:
    data = draft.data
    click.echo(
        gettext(
            "Drafted %(units)s units, %(duties)s responsibilities, %(phases)s phases, "
            "%(targets)s targets; %(doubts)s points to check, %(decide)s to decide.",
            units=len(data.get("units", [])) + len(data.get("groups", [])),
            duties=len(data.get("responsibilities", [])),
            phases=len(data.get("phases", [])),
            targets=len(data.get("targets", [])),
            doubts=len(draft.doubts),
            decide=sum(doubt.blocking for doubt in draft.doubts),
        ),
        err=True,
    )
    for problem in problems:
        click.echo(problem, err=True)
    if output:
        click.echo(gettext("Draft written to %(path)s.", path=output), err=True)
