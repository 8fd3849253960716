"""``giaoviec reminders run`` (one sweep and send, by hand) and ``giaoviec scheduler``: the
command-line side of ``notifications``."""

from __future__ import annotations

import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext

from notifications.mailer import send_queued
from notifications.messages import settings_url
from notifications.scheduler import SchedulerLock, build_scheduler, catch_up, open_quarter_if_due
from notifications.settings import NotificationSettings
from notifications.sweep import run_sweep
from web.cli.common import now_option, reports_errors
from web.database import engine
from workflow import clock

group = AppGroup("reminders", help="Email reminders: run a sweep by hand.")


@group.command("run")
@click.option("--dry-run", is_flag=True, help="Print what would be queued; write and send nothing.")
@now_option
@reports_errors
def run_command(dry_run: bool) -> None:
    """Queue today's reminders (one email per person) and send the outbox now."""
    settings = NotificationSettings.from_config(current_app.config)
    if not dry_run:
        for opened in open_quarter_if_due(engine(), settings):
            click.echo(gettext("Opened %(quarter)s.", quarter=opened))
    result = run_sweep(engine(), settings, clock.now(), dry_run=dry_run)
    for queued in result.queued:
        click.echo(f"{queued.to_name} <{queued.to_address}>: {queued.subject}")
    if dry_run:
        click.echo(gettext("%(count)s emails would be queued (dry run).", count=len(result.queued)))
        return
    click.echo(gettext("%(count)s emails queued.", count=len(result.queued)))
    if not settings.mail.host:
        click.echo(gettext("No SMTP server is configured: the mail stays in the outbox."))
        return
    sent = send_queued(engine(), settings.mail, settings.calendar, settings_url(settings.base_url))
    for row in sent.sent:
        click.echo(
            gettext("Sent to %(address)s: %(subject)s", address=row.to_address, subject=row.subject)
        )
    click.echo(
        gettext(
            "%(sent)s emails sent, %(retried)s to retry, %(failed)s failed.",
            sent=sent.count,
            retried=sent.retried,
            failed=sent.failed,
        )
    )


@click.command("scheduler")
@click.option("--sender-seconds", default=60.0, show_default=True, hidden=True)
def scheduler_command(sender_seconds: float) -> None:
    """Run the reminder jobs until stopped; a second scheduler waits for the first."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = current_app._get_current_object()
    stop = threading.Event()
    lock = SchedulerLock(engine())
    scheduler = build_scheduler(app, engine(), sender_seconds)

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    waiting = gettext("Another scheduler is running: waiting for it to stop.")
    if not lock.acquire(stop, poll=1.0, on_wait=lambda: click.echo(waiting, err=True)):
        return
    try:
        click.echo(gettext("Scheduler running; stop it with Ctrl-C."), err=True)
        catch_up(app, engine())
        scheduler.start()
        stop.wait()
        scheduler.shutdown(wait=True)  # a job under way finishes first
    finally:
        lock.release()
