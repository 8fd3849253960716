"""``giaoviec report``: the quarterly report and the task lists as files."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext

from web.cli.common import now_option, quarter_option_value, reports_errors, unit_of_work
from web.cli.tasks import org_option
from web.clock import app_clock
from workflow.organisations.queries import find_organisation
from workflow.periods import Quarter
from workflow.reporting.docx import SIGNERS
from workflow.reporting.exports import FORMATS, quarterly_file
from workflow.reporting.spreadsheet import CSV_SEPARATORS, csv_separator

group = AppGroup("report", help="Write reports and exports.")


@group.command("quarterly")
@click.option(
    "--quarter",
    callback=quarter_option_value,
    metavar="YYYY-QN",
    help="The quarter, e.g. 2026-Q3 (this quarter by default).",
)
@click.option("--format", "file_format", type=click.Choice(list(FORMATS)), default="docx")
@click.option("--plan", "plan_code", metavar="CODE", help="The plan, when several cover it.")
@click.option(
    "--separator",
    type=click.Choice(list(CSV_SEPARATORS)),
    default="comma",
    help="What splits a CSV's columns: semicolon for Excel in Vietnamese.",
)
@click.option(
    "--signer",
    type=click.Choice(list(SIGNERS)),
    default="issuer",
    help="Who signs the report: the board that compiles it, or as the plan was signed.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@org_option
@now_option
@reports_errors
def quarterly_command(
    quarter, file_format, plan_code, separator, signer, output: Path, org_code
) -> None:
    """Write the quarterly report (.docx) or the quarter's tasks (.xlsx, .csv) to a file."""
    clock = app_clock()
    quarter = quarter or Quarter.of(clock.today())
    with unit_of_work() as session:
        organisation = find_organisation(session, org_code)
        content = quarterly_file(
            session,
            organisation,
            quarter,
            file_format,
            clock,
            plan_code=plan_code,
            separator=csv_separator(separator),
            signer=signer,
        )
    output.write_bytes(content)
    click.echo(gettext("Wrote %(path)s.", path=str(output)))
