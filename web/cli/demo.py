"""``giaoviec demo``: the product on its embedded default, ready to try."""

from __future__ import annotations

import logging
import secrets
import threading
from pathlib import Path

import click
from flask import Flask, current_app
from flask_babel import gettext
from werkzeug.serving import run_simple

from definitions import DEFAULT_PLAN, plan_path
from notifications.scheduler import JobContext, daily_sweep, run_scheduler
from web.cli.common import parse_clock, unit_of_work
from web.clock import app_clock, set_app_clock
from web.database import engine
from workflow.db.migrate import upgrade
from workflow.demo.history import DEMO_PASSWORD, prepare_demo
from workflow.plans.checks import read_plan

log = logging.getLogger("giaoviec.demo")
SCHEDULER_KEY = "giaoviec.demo_scheduler"
_starting = threading.Lock()


def _demo_secret_key() -> str:
    """A secret key kept in the instance folder, so demo sessions survive a restart."""
    path = Path(current_app.instance_path) / "demo-secret-key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


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
    clock = parse_clock(now_text, runs=True)  # real time, or from --now on
    set_app_clock(app, clock)
    upgrade(engine())
    with unit_of_work() as session:
        accounts = prepare_demo(session, read_plan(plan_path(DEFAULT_PLAN)), clock)
    url = f"http://{host}:{port}/"
    click.echo(gettext("Giao Việc demo: open %(url)s", url=url))
    click.echo(gettext("Data: %(database)s", database=engine().url.render_as_string()))
    click.echo(gettext("Every demo account has the password %(password)s", password=DEMO_PASSWORD))
    for account in accounts:
        click.echo(f"  {account.username:<18} {account.role:<10} {account.unit}")
    app.config["BASE_URL"] = url.rstrip("/")
    start_scheduler(app)
    if not app.config.get("SMTP_HOST"):
        click.echo(gettext("No SMTP server is configured: the mail stays in the outbox."))
    run_simple(host, port, app, threaded=True)


class DemoScheduler:
    """The reminder jobs in a daemon thread of the demo process (never in a request worker),
    through the same lock as any scheduler; a first sweep runs at once, whatever the hour."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.stopping = threading.Event()
        self.swept = threading.Event()  # the first sweep is done
        self.thread = threading.Thread(target=self.run, name="giaoviec-scheduler", daemon=True)

    def run(self) -> None:
        try:
            run_scheduler(
                self.app,
                self.app.extensions["giaoviec.engine"],
                app_clock(self.app),
                self.stopping,
                on_start=self.first_sweep,
            )
        finally:
            self.swept.set()

    def first_sweep(self, jobs: JobContext) -> None:
        try:
            daily_sweep(jobs)
        except Exception:
            log.exception("the demo's first sweep failed; the daily sweep catches up")
        finally:
            self.swept.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the jobs and wait for the thread (for tests; the demo just exits)."""
        self.stopping.set()
        self.thread.join(timeout)


def start_scheduler(app: Flask) -> DemoScheduler | None:
    """Start the demo's scheduler thread once per app; None if it was already started."""
    with _starting:
        if SCHEDULER_KEY in app.extensions:
            return None
        runner = app.extensions[SCHEDULER_KEY] = DemoScheduler(app)
    runner.thread.start()
    return runner
