"""The scheduled jobs, run by ``giaoviec scheduler`` in a process of its own (never in a web
worker: every gunicorn worker would start one and send everything several times).

Only the holder of the ``SchedulerLock`` (``notifications.lock``) runs the jobs, and each job
first asks whether the lock is still held: a scheduler that lost it (its database connection
dropped) stops, so that the one that took over is the only one sending. Every job is a
catch-up scan ("due and not yet queued"), so a missed, late or repeated run does no harm, and
after downtime the first runs catch up once.

Jobs (times local, Asia/Ho_Chi_Minh by default):
- ``quarter-opening``, Monday to Friday 07:25: opens the current quarter once, from its first
  working day on (``workflow.plans.opening.open_quarter``), if none of its tasks exist yet;
- ``daily-sweep``, Monday to Friday 07:30: one digest per person (the quarter's list, reminders
  before and after the due day, escalations and, on the week's first working day, the weekly
  review digest: one email per person per run, so the weekly digest rides on that run);
- ``sender``, every minute: notices of returned reports, then the outbox over SMTP.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from notifications import outbox
from notifications.lock import SchedulerLock
from notifications.mailer import SendResult, send_queued
from notifications.settings import NotificationSettings
from notifications.sweep import SweepResult, queue_notices, run_sweep
from workflow.clock import Clock
from workflow.db.engine import transaction
from workflow.organisations.models import Organisation
from workflow.periods import Quarter
from workflow.plans.models import Plan
from workflow.plans.opening import open_quarter
from workflow.tasks.models import Task

log = logging.getLogger("giaoviec.scheduler")


class LockLost(Exception):
    """The scheduler lock is no longer held: another process may be sending now."""


@dataclass(frozen=True)
class JobContext:
    """What every job runs with: the database, the settings, the clock, and the lock that
    lets it run at all."""

    engine: Engine
    settings: NotificationSettings
    clock: Clock
    lock: SchedulerLock

    def check_lock(self) -> None:
        if not self.lock.held():
            raise LockLost()


def open_quarter_if_due(jobs: JobContext) -> list[str]:
    """Open the current quarter of each organisation once, from its first working day on."""
    jobs.check_lock()
    today = jobs.clock.today()
    quarter = Quarter.of(today)
    if today < jobs.settings.calendar.first_working_day_of_quarter(quarter):
        return []
    opened = []
    with transaction(jobs.engine) as session:
        outbox.serialise_writers(session, "giaoviec.opening")
        for organisation in session.scalars(select(Organisation).order_by(Organisation.id)):
            if _has_tasks(session, organisation, quarter):
                continue
            if open_quarter(session, organisation, quarter, jobs.clock).created:
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


def daily_sweep(jobs: JobContext) -> SweepResult:
    jobs.check_lock()
    return run_sweep(jobs.engine, jobs.settings, jobs.clock.now())


def send_outbox(jobs: JobContext) -> tuple[int, SendResult]:
    """Queue the notices told at once (returned reports, extensions), then send what is due."""
    jobs.check_lock()
    settings = jobs.settings
    returned = queue_notices(jobs.engine, settings, jobs.clock.now())
    return len(returned.queued), send_mail(jobs)


def send_mail(jobs: JobContext) -> SendResult:
    """The outbox over SMTP, by the holder of the lock."""
    settings = jobs.settings
    return send_queued(jobs.engine, settings.mail, jobs.clock, jobs.lock, settings.calendar)


def build_scheduler(
    app: Flask, jobs: JobContext, on_lost: Callable[[], None], sender_seconds: float = 60
) -> BackgroundScheduler:
    """The jobs, each run inside an app context (emails need Flask-Babel); a job that finds
    the lock lost calls ``on_lost`` instead of running."""
    settings = jobs.settings
    zone = settings.calendar.zone
    scheduler = BackgroundScheduler(timezone=zone)
    sweep_at = settings.sweep_at
    opening_at = (datetime.combine(datetime.today(), sweep_at) - timedelta(minutes=5)).time()

    def in_app(function):
        def job():
            with app.app_context():
                try:
                    result = function(jobs)
                    log.info("%s: %s", function.__name__, result)
                except LockLost:
                    log.error("%s: the scheduler lock was lost; stopping", function.__name__)
                    on_lost()
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


def catch_up(jobs: JobContext) -> None:
    """On start, during working hours: what the missed runs would have done, once."""
    if jobs.settings.calendar.is_open(jobs.clock.now()):
        open_quarter_if_due(jobs)
        daily_sweep(jobs)


def run_scheduler(
    app: Flask,
    engine: Engine,
    clock: Clock,
    stop: threading.Event,
    *,
    on_start: Callable[[JobContext], None] = catch_up,
    on_wait: Callable[[], None] | None = None,
    poll: float = 5.0,
    sender_seconds: float = 60,
) -> None:
    """Wait for the lock, run the jobs until ``stop`` is set, and release it. A scheduler that
    loses the lock stops its jobs and waits for the lock again, so two never send at once.
    ``on_start`` runs (in an app context) once each time the lock is taken."""
    settings = NotificationSettings.from_config(app.config)
    while not stop.is_set():
        lock = SchedulerLock(engine)
        if not lock.acquire(stop, poll=poll, on_wait=on_wait):
            return
        lost = threading.Event()
        try:
            jobs = JobContext(engine, settings, clock, lock)
            with app.app_context():
                on_start(jobs)
            scheduler = build_scheduler(app, jobs, lost.set, sender_seconds)
            scheduler.start()
            while not stop.wait(min(poll, 1.0)) and not lost.is_set():
                pass
            scheduler.shutdown(wait=True)  # a job under way finishes first
        except LockLost:
            log.error("the scheduler lock was lost while starting; waiting for it again")
        finally:
            lock.release()
