"""``giaoviec reminders run`` (one sweep and send, by hand) and ``giaoviec scheduler``: the
command-line side of ``notifications``. Both go through the scheduler lock: a manual run while a
scheduler is running is refused instead of sending alongside it."""

from __future__ import annotations

import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext

from notifications.lock import SchedulerLock
from notifications.scheduler import (
    JobContext,
    catch_up,
    daily_sweep,
    open_quarter_if_due,
    run_scheduler,
    send_mail,
)
from notifications.settings import NotificationSettings
from notifications.sweep import SweepResult, run_sweep
from web.cli.common import fail, now_option, reports_errors
from web.clock import app_clock
from web.database import engine

group = AppGroup("reminders", help="Email reminders: run a sweep by hand.")


@group.command("run")
@click.option("--dry-run", is_flag=True, help="Print what would be queued; write and send nothing.")
@now_option
@reports_errors
def run_command(dry_run: bool) -> None:
    """Queue today's reminders (one email per person) and send the outbox now."""
    settings = NotificationSettings.from_config(current_app.config)
    clock = app_clock()
    if dry_run:
        result = run_sweep(engine(), settings, clock.now(), dry_run=True)
        _print_queued(result)
        click.echo(gettext("%(count)s emails would be queued (dry run).", count=len(result.queued)))
        return
    lock = SchedulerLock(engine())
    if not lock.try_acquire():
        fail(gettext("A scheduler is running and sends the reminders itself: nothing was done."))
    try:
        _run_and_send(JobContext(engine(), settings, clock, lock))
    finally:
        lock.release()


def _run_and_send(jobs: JobContext) -> None:
    for opened in open_quarter_if_due(jobs):
        click.echo(gettext("Opened %(quarter)s.", quarter=opened))
    result = daily_sweep(jobs)
    _print_queued(result)
    click.echo(gettext("%(count)s emails queued.", count=len(result.queued)))
    settings = jobs.settings
    if not settings.mail.host:
        click.echo(gettext("No SMTP server is configured: the mail stays in the outbox."))
        return
    sent = send_mail(jobs)
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


def _print_queued(result: SweepResult) -> None:
    for queued in result.queued:
        click.echo(f"{queued.to_name} <{queued.to_address}>: {queued.subject}")


@click.command("scheduler")
@click.option("--sender-seconds", default=60.0, show_default=True, hidden=True)
def scheduler_command(sender_seconds: float) -> None:
    """Run the reminder jobs until stopped; a second scheduler waits for the first."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def on_start(jobs: JobContext) -> None:
        click.echo(gettext("Scheduler running; stop it with Ctrl-C."), err=True)
        catch_up(jobs)

    waiting = gettext("Another scheduler is running: waiting for it to stop.")
    run_scheduler(
        current_app._get_current_object(),
        engine(),
        app_clock(),
        stop,
        on_start=on_start,
        on_wait=lambda: click.echo(waiting, err=True),
        poll=1.0,
        sender_seconds=sender_seconds,
    )
