"""``giaoviec db``: the database schema."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext

from web.database import engine
from workflow.db.migrate import upgrade

group = AppGroup("db", help="Manage the database schema.")


@group.command("upgrade")
def upgrade_command() -> None:
    """Create or migrate the tables to the latest schema."""
    upgrade(engine())
    click.echo(gettext("The database schema is up to date."))
