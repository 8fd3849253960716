"""``giaoviec demo``: the product on its embedded default, ready to try."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import current_app
from flask_babel import gettext
from werkzeug.serving import run_simple

from definitions import DEFAULT_PLAN, plan_path
from web.cli.common import unit_of_work
from web.database import engine
from workflow import clock
from workflow.demo import DEMO_PASSWORD, prepare_demo
from workflow.migrate import upgrade
from workflow.plan_format import read_plan


def _demo_secret_key() -> str:
    """A secret key kept in the instance folder, so demo sessions survive a restart."""
    path = Path(current_app.instance_path) / "demo-secret-key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _start_clock(now_text: str | None) -> None:
    """Real time, or a clock that starts at ``--now`` and keeps running."""
    try:
        clock.set_now(now_text, frozen=False)
    except ValueError:
        raise click.BadParameter(
            gettext("expected a date or date-time such as 2026-03-01 or 2026-03-01T08:00")
        ) from None


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--now",
    "now_text",
    metavar="ISO-TIME",
    help="Start the clock at this date or time (it then runs on).",
)
def demo_command(host: str, port: int, now_text: str | None) -> None:
    """Load the Việt Hưng plan with a year of history and demo accounts, then serve the app."""
    app = current_app._get_current_object()
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _demo_secret_key()
    _start_clock(now_text)
    upgrade(engine())
    with unit_of_work() as session:
        accounts = prepare_demo(session, read_plan(plan_path(DEFAULT_PLAN)), clock.now())
    _start_clock(now_text)  # the replay moved it; the demo's clock runs from here
    url = f"http://{host}:{port}/"
    click.echo(gettext("Giao Việc demo: open %(url)s", url=url))
    click.echo(gettext("Every demo account has the password %(password)s", password=DEMO_PASSWORD))
    for account in accounts:
        click.echo(f"  {account.username:<18} {account.role:<10} {account.unit}")
    app.config["BASE_URL"] = url.rstrip("/")
    run_simple(host, port, app, threaded=True)
