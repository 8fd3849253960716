"""``giaoviec org``: the levels above a commune (a city or province, the nation) and where each
commune stands among them."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext

from web.cli.common import reports_errors, unit_of_work
from workflow.organisations.queries import find_organisation
from workflow.organisations.tree import Level, add_level, place_under

group = AppGroup("org", help="The levels above a commune, and which communes they oversee.")


@group.command("add")
@click.argument("code")
@click.option("--name", required=True, help="As written, e.g. Thành phố Hà Nội.")
@click.option(
    "--level",
    required=True,
    type=click.Choice([level.value for level in Level if level is not Level.COMMUNE]),
)
@click.option("--under", "parent_code", metavar="CODE", help="The level above it, if any.")
@reports_errors
def add_command(code, name, level, parent_code):
    """Create a city, a province or the national level; its overseers are its users."""
    with unit_of_work() as session:
        parent = find_organisation(session, parent_code) if parent_code else None
        organisation = add_level(session, code, name, Level(level), parent)
        click.echo(gettext("%(name)s created.", name=organisation.name))


@group.command("place")
@click.argument("code")
@click.option("--under", "parent_code", required=True, metavar="CODE")
@reports_errors
def place_command(code, parent_code):
    """Place a commune (or a city or province) under the level that oversees it."""
    with unit_of_work() as session:
        organisation = find_organisation(session, code)
        parent = find_organisation(session, parent_code)
        place_under(session, organisation, parent)
        click.echo(
            gettext("%(name)s is now under %(parent)s.", name=organisation.name, parent=parent.name)
        )
