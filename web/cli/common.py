"""What every command shares: the ``--now`` option, the one transaction, and error reporting."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from flask import Flask
from flask.cli import ScriptInfo
from flask_babel import gettext
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session

from web.clock import app_clock, set_app_clock
from web.database import engine
from web.i18n import error_message
from web.periods import parse_quarter
from workflow.clock import Clock
from workflow.db.engine import transaction
from workflow.errors import WorkflowError
from workflow.stored_text import refuse_unstorable


def _set_clock(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``--now``: this command's app reads its clock at that instant (it stands still). Read
    while the options are parsed, before the app's context exists: the app comes from Flask's
    script info."""
    if value:
        app = ctx.ensure_object(ScriptInfo).load_app()
        set_app_clock(app, parse_clock(value, runs=False, app=app))


def parse_clock(value: str | None, *, runs: bool, app: Flask | None = None) -> Clock:
    """A clock at ``value`` (local time) in the app's zone, or a clear refusal."""
    try:
        return Clock.at(value, app_clock(app).zone, runs=runs)
    except ValueError:
        raise click.BadParameter(
            gettext("expected a date or date-time such as 2026-03-01 or 2026-03-01T08:00")
        ) from None


def quarter_option_value(ctx: click.Context, param: click.Parameter, value: str | None):
    """``--quarter``, read like a page's ``quarter=``; None when not given."""
    if value is None:
        return None
    try:
        return parse_quarter(value)
    except WorkflowError as error:
        raise click.BadParameter(error_message(error)) from None


now_option = click.option(
    "--now",
    callback=_set_clock,
    expose_value=False,
    is_eager=True,
    metavar="ISO-TIME",
    help="Act as if it were this date or time (local time unless an offset is given).",
)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """The command's one transaction, committed when the command succeeds."""
    with transaction(engine()) as session:
        yield session


def reports_errors(command: Callable) -> Callable:
    """Turn refusals into a translated message on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            refuse_unstorable(list(args), kwargs)
            return command(*args, **kwargs)
        except WorkflowError as error:
            fail(error_message(error))
        except (OperationalError, ProgrammingError) as error:
            if "no such table" in str(error) or "does not exist" in str(error):
                fail(gettext("The database has no tables yet: run giaoviec db upgrade."))
            if isinstance(error, OperationalError):  # cut off, or still locked after the wait
                fail(
                    gettext(
                        "The database stopped answering: what the command had not finished was "
                        "not saved. Run it again."
                    )
                )
            raise

    return wrapper


def fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def print_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
