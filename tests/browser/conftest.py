"""A real browser (Debian's Chromium, driven by Playwright) against the app served on loopback.

The app runs in a daemon thread with ``werkzeug.serving.make_server`` on a free port and a
file-based SQLite database; screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from sqlmodel import Session, select
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, VIET_HUNG_PLAN
from web import create_app
from web.clock import app_clock
from workflow.accounts.models import User
from workflow.accounts.operations import add_user
from workflow.db.migrate import upgrade
from workflow.organisations.models import Organisation, Unit
from workflow.organisations.queries import find_organisation
from workflow.organisations.tree import Level, add_level, place_under
from workflow.periods import Quarter
from workflow.plans.checks import read_plan
from workflow.plans.models import Plan
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan
from workflow.tasks.models import Task
from workflow.tasks.operations import start_task, submit_report

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
NOW = "2026-03-02T09:00"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, never a downloaded browser; no calls home from a closed network."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser profile (no cookies) for each test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _app(tmp_path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'browser.db'}",
            "SECRET_KEY": "browser-tests",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "NOW": NOW,
        }
    )
    upgrade(app.extensions["giaoviec.engine"])
    return app


def _buffered(app):
    """``app`` with each response read whole (and its file closed) before a byte is sent.

    A browser may drop a connection mid-response (a navigation cancels a stylesheet); the
    development server then skips closing the response, and the static file it was streaming
    is left open for the garbage collector to warn about in whichever test runs next.
    """

    def serve(environ, start_response):
        response = app(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()
        return [body]

    return serve


@contextmanager
def _serving(app):
    """``app`` served on a free loopback port until the test ends."""
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["giaoviec.engine"].dispose()


def _people(session, ward, clock, *people: tuple[str, str, str | None, str]) -> None:
    """Accounts (user name, role, unit, full name), the password ``PASSWORD``."""
    for username, role, unit, name in people:
        add_user(
            session,
            ward,
            username,
            role,
            f"{username}@example.vn",
            PASSWORD,
            unit_code=unit,
            full_name=name,
            now=clock.now(),
        )


@pytest.fixture
def live_server(tmp_path):
    """The Việt Hưng plan with Q1 open on 2 March 2026, four people, and the app serving."""
    app = _app(tmp_path)
    clock = app_clock(app)
    engine = app.extensions["giaoviec.engine"]
    with Session(engine) as session:
        load_plan(session, read_plan(VIET_HUNG_PLAN), clock)
        ward = find_organisation(session)
        open_quarter(session, ward, Quarter.parse("2026-Q1"), clock)
        _people(
            session,
            ward,
            clock,
            ("truong.ubnd", "unit_head", "UBND", "Nguyễn Văn An"),
            ("truong.mttq", "unit_head", "MTTQ", "Hoàng Thị Mai"),
            ("bxdd", "reviewer", None, "Trần Thị Bình"),
            ("lanhdao", "leader", None, "Lê Đức Toàn"),
        )
        session.commit()
    with _serving(app) as url:
        yield url


@pytest.fixture
def levels_server(tmp_path):
    """Việt Hưng and Phường Phúc Lợi, both on the Việt Hưng plan with Q1 open, under Hà Nội under
    the nation; Việt Hưng's People's Committee has reported one duty; an overseer at each
    level above; the app serving."""
    app = _app(tmp_path)
    clock = app_clock(app)
    with Session(app.extensions["giaoviec.engine"]) as session:
        nation = add_level(session, "TW", "Trung ương", Level.NATIONAL)
        hanoi = add_level(session, "HN", "Thành phố Hà Nội", Level.CITY, nation)
        other = {"code": "DU-PHUC-LOI", "name": "Đảng bộ phường Phúc Lợi", "kind": "party"}
        for definition in (
            read_plan(VIET_HUNG_PLAN),
            read_plan(VIET_HUNG_PLAN) | {"organisation": other | {"place": "Phúc Lợi"}},
        ):
            load_plan(session, definition, clock)
            commune = find_organisation(session, definition["organisation"]["code"])
            open_quarter(session, commune, Quarter.parse("2026-Q1"), clock)
            place_under(session, commune, hanoi)
        ward = find_organisation(session, "DU-VIET-HUNG")
        _people(session, ward, clock, ("truong.ubnd", "unit_head", "UBND", "Nguyễn Văn An"))
        _people(session, nation, clock, ("theodoi.tw", "overseer", None, "Cán bộ Trung ương"))
        _people(session, hanoi, clock, ("theodoi.hn", "overseer", None, "Cán bộ Thành ủy"))
        head = session.exec(select(User).where(User.username == "truong.ubnd")).one()
        task = session.exec(
            select(Task)
            .join(Plan)
            .where(Plan.organisation_id == ward.id, Task.unit_id == head.unit_id)
            .order_by(Task.id)
        ).first()
        start_task(session, head, task.id, task.version, now=clock.now())
        session.refresh(task)
        submit_report(
            session, head, task.id, task.version, "Đã cung cấp 12 tin bài", now=clock.now()
        )
        session.commit()
    with _serving(app) as url:
        yield url


@pytest.fixture
def ward_without_plan(tmp_path):
    """A ward that has no plan yet: its organisation, its People's Committee with its head,
    and its administrator; the app serving."""
    app = _app(tmp_path)
    clock = app_clock(app)
    with Session(app.extensions["giaoviec.engine"]) as session:
        ward = Organisation(
            code="DU-VIET-HUNG", name="Đảng bộ phường Việt Hưng", kind="party", place="Việt Hưng"
        )
        session.add(ward)
        session.flush()
        session.add(
            Unit(
                organisation_id=ward.id,
                code="UBND",
                name="Ủy ban nhân dân Phường",
                kind="government",
                head_title="Chủ tịch UBND Phường",
            )
        )
        session.flush()
        _people(
            session,
            ward,
            clock,
            ("admin", "admin", None, "Quản trị viên"),
            ("truong.ubnd", "unit_head", "UBND", "Nguyễn Văn An"),
        )
        session.commit()
    with _serving(app) as url:
        yield url


@pytest.fixture
def screenshot(page, request):
    """Save a screenshot of the current page as ``artifacts/screenshots/<test>/<n>-<name>.png``."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)
    count = 0

    def screenshot(name: str) -> None:
        nonlocal count
        count += 1
        page.screenshot(path=str(folder / f"{count:02d}-{name}.png"), full_page=True)

    return screenshot
