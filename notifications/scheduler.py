"""The scheduled jobs, run by ``giaoviec scheduler`` in a process of its own (never in a web
worker: every gunicorn worker would start one and send everything several times).

Only one scheduler may run the jobs: on PostgreSQL it holds a session advisory lock
(``pg_try_advisory_lock``) on a dedicated connection for as long as it runs; on SQLite an
exclusive ``fcntl.flock`` on a file beside the database. A second scheduler waits for the lock
instead of sending. Every job is a catch-up scan ("due and not yet queued"), so a missed, late or
repeated run does no harm, and after downtime the first runs catch up once.

Jobs (times local, Asia/Ho_Chi_Minh by default):
- ``quarter-opening``, Monday to Friday 07:25: opens the current quarter once, from its first
  working day on (``workflow.opening.open_quarter``), if none of its tasks exist yet;
- ``daily-sweep``, Monday to Friday 07:30: one digest per person (the quarter's list, reminders
  before and after the due day, escalations and, on the week's first working day, the weekly
  review digest: one email per person per run, so the weekly digest rides on that run);
- ``sender``, every minute: notices of returned reports, then the outbox over SMTP.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time as time_module
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from notifications import outbox
from notifications.mailer import SendResult, send_queued
from notifications.messages import settings_url
from notifications.settings import NotificationSettings
from notifications.sweep import SweepResult, queue_returned, run_sweep
from workflow import clock
from workflow.db.engine import transaction
from workflow.organisations.models import Organisation
from workflow.periods import Quarter
from workflow.plans.models import Plan
from workflow.plans.opening import open_quarter
from workflow.tasks.models import Task
from workflow.timezones import local_zone

log = logging.getLogger("giaoviec.scheduler")
LOCK_NAME = "giaoviec.scheduler"


class SchedulerLock:
    """Held by the one scheduler that runs the jobs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection = None
        self.file = None

    def try_acquire(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            return self._try_postgresql()
        return self._try_file()

    def acquire(self, stop: threading.Event | None = None, poll: float = 5.0, on_wait=None) -> bool:
        """Wait for the lock (False if ``stop`` was set first); ``on_wait`` is told once."""
        told = False
        while not self.try_acquire():
            if on_wait is not None and not told:
                on_wait()
                told = True
            if stop is not None and stop.wait(poll):
                return False
            if stop is None:
                time_module.sleep(poll)
        return True

    def release(self) -> None:
        if self.connection is not None:
            connection, self.connection = self.connection, None
            try:
                connection.execute(select(func.pg_advisory_unlock(outbox.lock_id(LOCK_NAME))))
            finally:
                connection.close()
        if self.file is not None:
            handle, self.file = self.file, None
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def _try_postgresql(self) -> bool:
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = connection.execute(
            select(func.pg_try_advisory_lock(outbox.lock_id(LOCK_NAME)))
        ).scalar()
        if got:
            self.connection = connection
        else:
            connection.close()
        return bool(got)

    def _try_file(self) -> bool:
        database = self.engine.url.database or "giaoviec"
        path = Path(f"{database}.scheduler.lock")
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.file = handle
        return True


def open_quarter_if_due(engine: Engine, settings: NotificationSettings) -> list[str]:
    """Open the current quarter of each organisation once, from its first working day on."""
    today = clock.today()
    quarter = Quarter.of(today)
    if today < settings.calendar.first_working_day_of_quarter(quarter):
        return []
    opened = []
    with transaction(engine) as session:
        outbox.serialise_writers(session, "giaoviec.opening")
        for organisation in session.scalars(select(Organisation).order_by(Organisation.id)):
            if _has_tasks(session, organisation, quarter):
                continue
            if open_quarter(session, organisation, quarter).created:
                opened.append(f"{organisation.code} {quarter}")
    return opened


def _has_tasks(session: Session, organisation: Organisation, quarter: Quarter) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(Task)
            .join(Plan, Plan.id == Task.plan_id)
            .where(Plan.organisation_id == organisation.id, Task.period == str(quarter))
        )
        > 0
    )


def daily_sweep(engine: Engine, settings: NotificationSettings) -> SweepResult:
    return run_sweep(engine, settings, clock.now())


def send_outbox(engine: Engine, settings: NotificationSettings) -> tuple[int, SendResult]:
    """Queue notices of returned reports, then send what is due."""
    with Session(engine, expire_on_commit=False) as session:
        returned = queue_returned(session, settings, clock.now())
        session.commit()
    sent = send_queued(engine, settings.mail, settings.calendar, settings_url(settings.base_url))
    return len(returned.queued), sent


def build_scheduler(app: Flask, engine: Engine, sender_seconds: float = 60) -> BackgroundScheduler:
    """The jobs, each run inside an app context (emails need Flask-Babel). The scheduler runs
    in a thread of its own; whoever starts it waits for a stop signal, then shuts it down, so a
    signal that arrives at any moment (even before it started) stops it cleanly."""
    settings = NotificationSettings.from_config(app.config)
    zone = local_zone()
    scheduler = BackgroundScheduler(timezone=zone)
    sweep_at = settings.sweep_at
    opening_at = (datetime.combine(datetime.today(), sweep_at) - timedelta(minutes=5)).time()

    def in_app(function):
        def job():
            with app.app_context():
                try:
                    result = function(engine, settings)
                    log.info("%s: %s", function.__name__, result)
                except Exception:
                    log.exception("%s failed; the next run catches up", function.__name__)

        return job

    common = {"replace_existing": True, "coalesce": True, "max_instances": 1}
    scheduler.add_job(
        in_app(open_quarter_if_due),
        "cron",
        id="quarter-opening",
        day_of_week="mon-fri",
        hour=opening_at.hour,
        minute=opening_at.minute,
        misfire_grace_time=6 * 3600,
        **common,
    )
    scheduler.add_job(
        in_app(daily_sweep),
        "cron",
        id="daily-sweep",
        day_of_week="mon-fri",
        hour=sweep_at.hour,
        minute=sweep_at.minute,
        misfire_grace_time=6 * 3600,
        **common,
    )
    scheduler.add_job(
        in_app(send_outbox),
        "interval",
        id="sender",
        seconds=sender_seconds,
        next_run_time=datetime.now(zone),
        misfire_grace_time=max(int(sender_seconds), 30),
        **common,
    )
    return scheduler


def catch_up(app: Flask, engine: Engine) -> None:
    """On start, during working hours: what the missed runs would have done, once."""
    settings = NotificationSettings.from_config(app.config)
    if not settings.calendar.is_open(clock.now()):
        return
    with app.app_context():
        open_quarter_if_due(engine, settings)
        daily_sweep(engine, settings)
