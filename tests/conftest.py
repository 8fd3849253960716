"""Shared fixtures: the database backend is a parameter, so every database test runs on SQLite
and on PostgreSQL (``GIAOVIEC_TEST_DATABASES=sqlite`` narrows it while developing)."""

from __future__ import annotations

import os
import re
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select
from werkzeug.security import generate_password_hash

import workflow.db.schema  # noqa: F401  (every table, emptied between tests)
from notifications.lock import SchedulerLock
from notifications.mailer import MailSettings, SendResult, send_queued
from notifications.scheduler import JobContext, daily_sweep, open_quarter_if_due, send_outbox
from notifications.settings import NotificationSettings
from notifications.sweep import SweepResult
from web import create_app
from web.clock import app_clock, set_app_clock
from workflow.accounts import passwords
from workflow.accounts.operations import add_user
from workflow.clock import Clock
from workflow.db.engine import make_engine
from workflow.db.migrate import upgrade
from workflow.organisations.models import Unit
from workflow.organisations.queries import find_organisation
from workflow.periods import Quarter
from workflow.plans.checks import read_plan
from workflow.plans.models import Responsibility
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan
from workflow.tasks.models import Task

ROOT = Path(__file__).resolve().parents[1]
SMALL_PLAN = ROOT / "tests" / "plans" / "small-ward.yaml"
VIET_HUNG_PLAN = ROOT / "definitions" / "viet-hung-2026-nq57.yaml"
POSTGRES_ADMIN_URL = os.environ.get(
    "GIAOVIEC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = os.environ.get("GIAOVIEC_TEST_DATABASES", "sqlite,postgresql").split(",")
PASSWORD = "mat-khau-an-toan"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A new, empty database on each backend, dropped after the run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'giaoviec.db'}"
        return
    name = f"giaoviec_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def engine(database_url):
    """The schema as the migrations make it, shared by the tests of one backend."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine):
    """The engine, emptied after the test."""
    yield engine
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def session(db):
    with Session(db, expire_on_commit=False) as session:
        yield session


@pytest.fixture(autouse=True)
def quick_passwords(request, monkeypatch):
    """Hash passwords cheaply: scrypt costs tens of milliseconds a user, and most tests make
    many users. Tests of the hashing itself are marked ``real_password_hashing``."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        cheap = partial(generate_password_hash, method="pbkdf2:sha256:1")
        monkeypatch.setattr(passwords, "generate_password_hash", cheap)


def real_now() -> datetime:
    """Real time, for tests where the instant does not matter."""
    return datetime.now(UTC)


def at(text: str) -> datetime:
    """An instant written as Hà Nội local time (``2026-03-02T09:00``), in UTC."""
    return Clock().parse(text)


def set_clock(app, instant: str | datetime | None) -> Clock:
    """Stand ``app``'s clock still at ``instant`` (local time when written as text)."""
    clock = Clock.at(instant)
    set_app_clock(app, clock)
    return clock


@pytest.fixture
def app(database_url, db, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )
    yield app
    app.extensions["giaoviec.engine"].dispose()


@pytest.fixture
def runner(app):
    """Runs ``giaoviec`` commands in this process; ``result.stdout`` and ``.stderr`` apart."""
    return app.test_cli_runner()


def csrf(page: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


@pytest.fixture
def client(app):
    """A browser without a session."""
    return app.test_client()


@pytest.fixture
def sign_in(client):
    """Sign ``user`` in on the client (password ``PASSWORD``); returns the client."""

    def sign_in(user):
        page = client.get("/login").text
        response = client.post(
            "/login",
            data={"csrf_token": csrf(page), "username": user.username, "password": PASSWORD},
        )
        assert response.status_code == 302, "sign-in failed"
        return client

    return sign_in


@pytest.fixture
def load(session):
    """Load a plan file (the small test plan by default); returns its organisation."""

    def load(path: Path = SMALL_PLAN):
        load_plan(session, read_plan(path), real_now())
        session.commit()
        return find_organisation(session, read_plan(path)["organisation"]["code"])

    return load


@pytest.fixture
def ward(load):
    """The small test plan, loaded."""
    return load()


@pytest.fixture
def make_user(session, ward):
    """Create a user of ``role`` (in unit ``unit``); the password is ``PASSWORD``."""
    count = 0

    def make_user(role: str, unit: str | None = None, **kwargs):
        nonlocal count
        count += 1
        username = kwargs.pop("username", f"{role}{count}")
        user = add_user(
            session,
            ward,
            username,
            role,
            f"{username}@example.vn",
            PASSWORD,
            unit_code=unit,
            now=real_now(),
            **kwargs,
        )
        session.commit()
        return user

    return make_user


@pytest.fixture
def open_tasks(session, ward):
    """Open a quarter of the small plan; returns a finder ``task(ref, unit_code)``."""

    def open_tasks(quarter: str = "2026-Q1", opened: Clock | None = None):
        open_quarter(session, ward, Quarter.parse(quarter), opened or Clock())
        session.commit()

        def task(ref: str, unit_code: str) -> Task:
            return session.exec(
                select(Task)
                .join(Responsibility)
                .join(Unit, Unit.id == Task.unit_id)
                .where(Responsibility.ref == ref, Unit.code == unit_code, Task.period == quarter)
            ).one()

        return task

    return open_tasks


class Office:
    """The scheduler's jobs run by hand, on the app's clock and holding the scheduler lock, as
    the one scheduler would run them."""

    def __init__(self, app) -> None:
        self.app = app
        self.engine = app.extensions["giaoviec.engine"]
        self.settings = NotificationSettings.from_config(app.config)
        self.lock = SchedulerLock(self.engine)

    def at(self, instant: str | datetime) -> None:
        """Set the clock (local time when written as text); it stands still there."""
        set_app_clock(self.app, Clock.at(instant))

    def later(self, minutes: float) -> None:
        self.at(self.now() + timedelta(minutes=minutes))

    def now(self) -> datetime:
        return app_clock(self.app).now()

    def jobs(self) -> JobContext:
        return JobContext(self.engine, self.settings, app_clock(self.app), self.lock)

    def open_quarter(self) -> list[str]:
        with self.app.app_context():
            return open_quarter_if_due(self.jobs())

    def sweep(self) -> SweepResult:
        with self.app.app_context():
            return daily_sweep(self.jobs())

    def send_outbox(self) -> tuple[int, SendResult]:
        """The minute job: notices of returned reports, then the outbox."""
        with self.app.app_context():
            return send_outbox(self.jobs())

    def send(self, mail: MailSettings | None = None) -> SendResult:
        """The outbox alone, with ``mail`` instead of the app's mail settings when given."""
        jobs = self.jobs()
        return send_queued(
            self.engine, mail or self.settings.mail, jobs.clock, self.lock, self.settings.calendar
        )


@pytest.fixture
def office(app):
    """The jobs of ``app``, run by hand (``office.at(...)``, ``office.sweep()``...)."""
    office = Office(app)
    assert office.lock.try_acquire()
    yield office
    office.lock.release()
