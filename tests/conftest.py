"""Shared fixtures: the database backend is a parameter, so every database test runs on SQLite
and on PostgreSQL (``GIAOVIEC_TEST_DATABASES=sqlite`` narrows it while developing)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event, text
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
from workflow.accounts.models import User
from workflow.accounts.operations import add_user
from workflow.clock import Clock
from workflow.db.engine import make_engine, statements_sent
from workflow.db.migrate import upgrade
from workflow.organisations.models import Organisation, Unit
from workflow.organisations.queries import find_organisation, find_unit
from workflow.organisations.tree import Level, add_level, place_under
from workflow.periods import Quarter
from workflow.plans.checks import read_plan
from workflow.plans.models import Plan, Responsibility
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.operations import approve_report, return_report, start_task, submit_report
from workflow.tasks.states import OPENED, TaskKind, TaskState

ROOT = Path(__file__).resolve().parents[1]
SMALL_PLAN = ROOT / "tests" / "plans" / "small-ward.yaml"
SEED_TEXT = ROOT / "docs" / "seed" / "000_7684f10bc084db47.txt"
VIET_HUNG_PLAN = ROOT / "definitions" / "viet-hung-2026-nq57.yaml"
POSTGRES_ADMIN_URL = os.environ.get(
    "GIAOVIEC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = os.environ.get("GIAOVIEC_TEST_DATABASES", "sqlite,postgresql").split(",")
PASSWORD = "mat-khau-an-toan"


def pytest_collection_modifyitems(config, items):
    """A test marked ``postgresql_only`` (what only a PostgreSQL server can do) has no SQLite
    variant: it is left out of the run, never collected and skipped."""
    sqlite_only_there = [
        item
        for item in items
        if item.get_closest_marker("postgresql_only")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("database_url") == "sqlite"
    ]
    if sqlite_only_there:
        config.hook.pytest_deselected(items=sqlite_only_there)
        items[:] = [item for item in items if item not in sqlite_only_there]


@contextmanager
def new_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new database without tables (a file in ``folder`` for SQLite), dropped
    after."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'giaoviec-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"giaoviec_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A new, empty database on each backend, dropped after the run."""
    with new_database(request.param, tmp_path_factory.mktemp("sqlite")) as url:
        yield url


@pytest.fixture
def another_database(database_url, tmp_path):
    """A second database without tables on the same backend as ``database_url``."""
    with new_database(
        "sqlite" if database_url.startswith("sqlite") else "postgresql", tmp_path
    ) as url:
        yield url


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


@contextmanager
def app_on(database_url: str, upload_dir: Path) -> Iterator:
    """The app on ``database_url``, keeping evidence in ``upload_dir``; its engine closed
    after."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
            "UPLOAD_DIR": str(upload_dir),
        }
    )
    yield app
    app.extensions["giaoviec.engine"].dispose()


@pytest.fixture
def app(database_url, db, tmp_path):
    with app_on(database_url, tmp_path / "uploads") as app:
        yield app


@pytest.fixture
def runner(app):
    """Runs ``giaoviec`` commands in this process; ``result.stdout`` and ``.stderr`` apart."""
    return app.test_cli_runner()


# A PDF as small as a file can be and still start like one.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def sign_in_on(browser, user):
    """Sign ``user`` in on another test client (password ``PASSWORD``)."""
    page = browser.get("/login").text
    response = browser.post(
        "/login", data={"csrf_token": csrf(page), "username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def statements_of(app, client, path: str) -> int:
    """How many SQL statements answering ``path`` sends (it must answer 200): what the tests
    hold equal at small and large data, instead of timing anything."""
    with statements_sent(app.extensions["giaoviec.engine"]) as seen:
        assert client.get(path).status_code == 200
    return len(seen)


def cut_at(engine, start_of_statement: str):
    """Cut this engine's connection the first time it is about to send a statement that starts
    with ``start_of_statement``, as a server restart or a network fault would."""
    cut = []

    def before(connection, cursor, statement, parameters, context, executemany):
        if statement.startswith(start_of_statement) and not cut:
            pid = connection.connection.dbapi_connection.info.backend_pid
            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
            cut.append(pid)

    event.listen(engine, "before_cursor_execute", before)
    return cut


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
        load_plan(session, read_plan(path), Clock())
        organisation = find_organisation(session, read_plan(path)["organisation"]["code"])
        session.commit()  # no transaction left open: on SQLite the app could not write
        return organisation

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


# A history acted out on the small plan, shared by the accountability, report and page tests

Q1, Q2 = Quarter(2026, 1), Quarter(2026, 2)
# The small plan's first quarter, as (ref, unit): the duties the units lead, and the
# contributions to VI.2.1 (led by UBND) of the units that coordinate it: Ban Xây dựng Đảng and
# the group of cells, as its two members.
Q1_DUTIES = {("VI.2.1", "UBND"), ("VI.4.1", "CB1"), ("VI.4.1", "CB2"), ("VI.1.7", "BXDD")}
Q1_CONTRIBUTIONS = {("VI.2.1", "BXDD"), ("VI.2.1", "CB1"), ("VI.2.1", "CB2")}
Q1_TASKS = Q1_DUTIES | Q1_CONTRIBUTIONS
# 20/06/2026 noon in Hà Nội: every Q1 and Q2 due time has passed.
HISTORY_NOW = datetime(2026, 6, 20, 5, 0, tzinfo=UTC)


@dataclass
class History:
    """The tasks of the acted-out history, by (ref, unit, quarter), and who acted."""

    tasks: dict[tuple[str, str, str], Task]
    heads: dict[str, User]
    reviewer: User


def act_out_history(session, ward, open_tasks) -> History:
    """Q1 and Q2 of the small plan, acted out with the services at the times given.

    Q1: UBND reports on time and is approved; CB1 reports on time, is returned twice, then
    approved; CB2 does nothing (overdue); BXDD reports two days late and is approved.
    Q2: UBND reports VI.2.1 a day late, is returned once and reports again (waiting for review),
    and starts VI.2.7 but never reports it (overdue); BXDD does nothing (overdue).
    """
    q1, q2 = open_tasks(str(Q1)), open_tasks(str(Q2))

    def person(role: str, unit: str | None, full_name: str = "", active: bool = True) -> User:
        """A user made directly: nobody signs in with these, so no password hashing."""
        user = User(
            organisation_id=ward.id,
            username=f"{role}.{len(people)}",
            full_name=full_name,
            email=f"{role}.{len(people)}@example.vn",
            password_hash="!",
            role=role,
            unit_id=find_unit(session, ward, unit).id if unit else None,
            active=active,
            created_at=at("2026-01-01T08:00"),
        )
        people.append(user)
        session.add(user)
        return user

    people: list[User] = []
    heads = {
        "UBND": person("unit_head", "UBND", "Trần Thị Bình"),
        "CB1": person("unit_head", "CB1", "Lê Văn Cường"),
        "BXDD": person("unit_head", "BXDD", "Phạm Đức Dũng"),
    }
    person("unit_head", "UBND", "Nguyễn Văn An")  # two heads: both named
    person("member", "UBND", "Hoàng Minh Em")  # not a head
    person("unit_head", "CB2", "Đỗ Văn Gia", active=False)  # no longer a head: not named
    reviewer = person("reviewer", None)
    session.commit()
    tasks = {
        ("VI.2.1", "UBND", "Q1"): q1("VI.2.1", "UBND"),
        ("VI.4.1", "CB1", "Q1"): q1("VI.4.1", "CB1"),
        ("VI.4.1", "CB2", "Q1"): q1("VI.4.1", "CB2"),
        ("VI.1.7", "BXDD", "Q1"): q1("VI.1.7", "BXDD"),
        ("VI.2.1", "UBND", "Q2"): q2("VI.2.1", "UBND"),
        ("VI.2.7", "UBND", "Q2"): q2("VI.2.7", "UBND"),
        ("VI.1.5", "BXDD", "Q2"): q2("VI.1.5", "BXDD"),
    }

    def step(when: str, action, user, key, text: str = ""):
        task = tasks[key]
        session.refresh(task)
        action(session, user, task.id, task.version, text, now=at(when))
        session.commit()

    ubnd1, cb1, bxdd1 = ("VI.2.1", "UBND", "Q1"), ("VI.4.1", "CB1", "Q1"), ("VI.1.7", "BXDD", "Q1")
    ubnd2, ubnd_month = ("VI.2.1", "UBND", "Q2"), ("VI.2.7", "UBND", "Q2")
    step("2026-03-01T08:00", start_task, heads["UBND"], ubnd1)
    step("2026-03-10T09:00", submit_report, heads["UBND"], ubnd1, "Đã đăng 12 tin bài")
    step("2026-03-12T09:00", approve_report, reviewer, ubnd1)
    step("2026-03-01T08:00", start_task, heads["CB1"], cb1)
    step("2026-03-10T09:00", submit_report, heads["CB1"], cb1, "Đã quán triệt")
    step("2026-03-11T09:00", return_report, reviewer, cb1, "Thiếu biên bản")
    step("2026-03-12T09:00", submit_report, heads["CB1"], cb1, "Bổ sung biên bản")
    step("2026-03-13T09:00", return_report, reviewer, cb1, "Thiếu ảnh")
    step("2026-03-14T09:00", submit_report, heads["CB1"], cb1, "Bổ sung ảnh")
    step("2026-03-16T09:00", approve_report, reviewer, cb1)
    step("2026-02-01T08:00", start_task, heads["BXDD"], bxdd1)
    step("2026-02-12T09:00", submit_report, heads["BXDD"], bxdd1, "Đã tổ chức hội nghị")
    step("2026-02-13T09:00", approve_report, reviewer, bxdd1)
    step("2026-06-01T08:00", start_task, heads["UBND"], ubnd2)
    step("2026-06-16T09:00", submit_report, heads["UBND"], ubnd2, "Báo cáo muộn")
    step("2026-06-17T09:00", return_report, reviewer, ubnd2, "Thiếu số liệu")
    step("2026-06-18T09:00", submit_report, heads["UBND"], ubnd2, "Bổ sung số liệu")
    step("2026-05-01T08:00", start_task, heads["UBND"], ubnd_month)
    return History(tasks, heads, reviewer)


@pytest.fixture
def history(session, ward, open_tasks) -> History:
    """The acted-out history of ``act_out_history``, committed."""
    acted = act_out_history(session, ward, open_tasks)
    session.commit()
    return acted


@dataclass
class Levels:
    """Communes under cities under the nation, and an overseer of each level above."""

    organisations: dict[str, Organisation]
    overseers: dict[str, User]


def other_commune(code: str, name: str) -> dict:
    """The small plan's organisation, as another commune's: the same plan, its own units."""
    return {"code": code, "name": name, "kind": "party", "place": name}


@pytest.fixture
def levels(session, history) -> Levels:
    """The nation (VN) over Hà Nội (HN) and Hải Phòng (HP); under Hà Nội the acted-out ward
    (DU-TEST) and Phường Khác (XA-KHAC), under Hải Phòng Xã Biển (XA-BIEN). The two other
    communes load the same plan and open its first quarter, then do nothing: at
    ``HISTORY_NOW`` every one of their duties of the quarter is overdue."""
    ward = find_organisation(session, "DU-TEST")
    nation = add_level(session, "VN", "Trung ương", Level.NATIONAL)
    hanoi = add_level(session, "HN", "Thành phố Hà Nội", Level.CITY, nation)
    haiphong = add_level(session, "HP", "Thành phố Hải Phòng", Level.CITY, nation)
    place_under(session, ward, hanoi)
    organisations = {"VN": nation, "HN": hanoi, "HP": haiphong, "DU-TEST": ward}
    for code, name, city in (("XA-KHAC", "Phường Khác", hanoi), ("XA-BIEN", "Xã Biển", haiphong)):
        load_plan(
            session, read_plan(SMALL_PLAN) | {"organisation": other_commune(code, name)}, Clock()
        )
        commune = find_organisation(session, code)
        open_quarter(session, commune, Q1, Clock())
        place_under(session, commune, city)
        organisations[code] = commune
    overseers = {}
    for code in ("VN", "HN", "HP"):
        overseers[code] = add_user(
            session,
            organisations[code],
            f"theodoi.{code.lower()}",
            "overseer",
            f"theodoi.{code.lower()}@example.vn",
            PASSWORD,
            full_name=f"Cán bộ theo dõi {organisations[code].name}",
            now=real_now(),
        )
    session.commit()
    return Levels(organisations, overseers)


def grow(session, ward, units: int) -> None:
    """Add ``units`` units, each owing a task of every responsibility in every quarter, with a
    reported, returned and approved history."""
    plan = session.exec(select(Plan).where(Plan.organisation_id == ward.id)).one()
    template = {
        (task.responsibility_id, task.period, task.occurrence): task
        for task in session.exec(
            select(Task).where(Task.plan_id == plan.id, Task.kind == TaskKind.DUTY.value)
        )
    }.values()
    new_units = [
        Unit(organisation_id=ward.id, code=f"X{n}", name=f"Chi bộ {n}", kind="party_organisation")
        for n in range(units)
    ]
    session.add_all(new_units)
    session.flush()
    tasks = [
        Task(
            plan_id=plan.id,
            responsibility_id=model.responsibility_id,
            unit_id=unit.id,
            period=model.period,
            occurrence=model.occurrence,
            due_at=model.due_at,
            state=TaskState.REVIEWED.value,
            first_reported_at=model.due_at - timedelta(days=n % 3),
            created_at=model.created_at,
            updated_at=model.due_at,
        )
        for n, unit in enumerate(new_units)
        for model in template
    ]
    session.add_all(tasks)
    session.flush()
    session.add_all(
        TaskEventRecord(
            task_id=task.id,
            at=task.due_at,
            event=name,
            to_state=TaskState.REVIEWED.value,
            actor_id=None,
        )
        for task in tasks
        for name in (OPENED, "report", "return", "report", "approve")
    )
    session.commit()


def return_a_report(session, task, head, reviewer, reason: str = "Thiếu ảnh minh chứng") -> None:
    """``head`` starts ``task`` on 9 March 2026 and reports it; ``reviewer`` returns it on the
    10th at 09:00 with ``reason``; committed."""
    for service, user, when, said in (
        (start_task, head, "2026-03-09T08:00", ""),
        (submit_report, head, "2026-03-09T09:00", "Đã đăng tin"),
        (return_report, reviewer, "2026-03-10T09:00", reason),
    ):
        session.refresh(task)
        service(session, user, task.id, task.version, said, now=at(when))
        session.commit()


def sweep(office, at: str):
    """The daily sweep at ``at`` (local time), as the scheduler runs it."""
    office.at(at)
    office.open_quarter()
    return office.sweep()


def seed_as_word(path: Path) -> Path:
    """The Việt Hưng plan as the office would have it in Word: one paragraph per paragraph of
    the text (the text file's hard line breaks joined), written to ``path``."""
    import docx

    from workflow.plans.importer.documents import read_document
    from workflow.plans.importer.outline import paragraphs

    document = docx.Document()
    for paragraph in paragraphs(read_document(SEED_TEXT.read_bytes()).blocks):
        document.add_paragraph(paragraph.source)
    document.save(path)
    return path
