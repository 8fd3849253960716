"""``giaoviec user``: accounts and API tokens."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext

from web.cli.common import reports_errors, unit_of_work
from web.clock import app_clock
from workflow.accounts.operations import add_user
from workflow.accounts.queries import find_user
from workflow.accounts.roles import Role
from workflow.accounts.tokens import issue_token
from workflow.organisations.queries import find_organisation

group = AppGroup("user", help="Manage users and their API tokens.")


@group.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--unit", "unit_code", metavar="CODE", help="The unit of a unit head or member.")
@click.option("--email", required=True)
@click.option("--full-name", default="", help="Shown on pages and emails.")
@click.option("--org", "org_code", metavar="CODE", help="Needed when there are several.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@reports_errors
def add_command(username, role, unit_code, email, full_name, org_code, password_stdin):
    """Create a user; the password is asked for, or read from standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(gettext("Password"), hide_input=True, confirmation_prompt=True)
    with unit_of_work() as session:
        organisation = find_organisation(session, org_code)
        user = add_user(
            session,
            organisation,
            username,
            role,
            email,
            password,
            unit_code=unit_code,
            full_name=full_name,
            now=app_clock().now(),
        )
        click.echo(gettext("User %(username)s created.", username=user.username))


@group.command("token")
@click.argument("username")
@click.option("--org", "org_code", metavar="CODE", help="Needed when several have the name.")
@reports_errors
def token_command(username, org_code):
    """Issue an API token for a user; it is printed once and stored only as a hash."""
    with unit_of_work() as session:
        user = find_user(session, username, org_code)
        token = issue_token(session, user, app_clock().now())
    click.echo(token)
