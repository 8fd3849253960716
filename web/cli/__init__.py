"""``giaoviec``: the command line, a Flask CLI group (so ``giaoviec run`` serves the app).

The command groups hang on ``app.cli``, so ``app.test_cli_runner()`` runs them too.
"""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def init_app(app: Flask) -> None:
    from web.cli import backup, db, demo, organisations, plan, reminders, report, tasks, users

    for module in (plan, db, organisations, users, tasks, reminders, report):
        app.cli.add_command(module.group)
    app.cli.add_command(demo.demo_command)
    app.cli.add_command(reminders.scheduler_command)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)


def main() -> None:
    from web import create_app

    cli = FlaskGroup(
        name="giaoviec",
        create_app=lambda: create_app(),
        help="Giao Việc: plans, tasks, reminders and reports of a ward's Party Committee.",
    )
    cli.main(prog_name="giaoviec")
