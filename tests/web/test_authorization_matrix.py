"""Who gets what from every route of the app, asked over HTTP as each identity would ask it.

The routes come from the app's own URL map: a route the matrix does not name fails
``test_every_route_of_the_app_is_in_the_matrix`` until someone writes down who may use it. Each
route is asked by every identity, about each kind of object it takes: the head's own unit's
task, another unit's, one their unit coordinates, another organisation's (and the same for files,
messages, users, drafts, targets, units and communes). Every request is one a permitted person
would make (a valid CSRF token, a complete form, the current version), so a refusal is the
sender's, not the input's; and a refused request must leave every table as it was.

The answers are written out below, each read against DESIGN.md's rules when it was written down;
none is computed from ``workflow.permissions``, so a wrong grant there makes a row fail.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, select

from notifications.unsubscribe import unsubscribe_token
from tests.conftest import HISTORY_NOW, PASSWORD, PDF, SMALL_PLAN, csrf, set_clock
from workflow.accounts.models import User
from workflow.accounts.operations import add_user
from workflow.clock import Clock
from workflow.organisations.queries import find_unit
from workflow.outbox.models import OutboxMessage
from workflow.plans.drafts import copy_plan
from workflow.plans.models import Plan, PlanDraft, Responsibility, Target
from workflow.reporting.calendar import issue_calendar_token
from workflow.tasks.extensions import ask_extension
from workflow.tasks.models import Report, ReportFile, Task
from workflow.tasks.operations import start_task, submit_report

# Who asks. The head and the member are of CB2, a cell of the group TCD, which coordinates
# VI.2.1 (led by UBND). The overseer follows Hà Nội, whose communes are DU-TEST and XA-KHAC; the
# stranger is the administrator of XA-KHAC. The other organisation's objects are XA-BIEN's,
# under Hải Phòng: nobody here but its own people may see them.
IDENTITIES = ("anonymous", "admin", "leader", "reviewer", "head", "member", "overseer", "stranger")

# The answers, one letter each, in the order of IDENTITIES:
#   o  served: 2xx, or a redirect elsewhere than the sign-in page
#   r  reached the action and refused for the state of things or the content (409, 422): e.g.
#      approving a task nobody reported, a document that is not a plan
#   l  sign in first: a redirect to the sign-in page, or 401 from the API (and where signing
#      out ends)
#   f  forbidden: 403
#   n  not found: 404 (what one may not see, one is not told exists)
LETTERS = {200: "o", 201: "o", 302: "o", 303: "o", 409: "r", 422: "r", 401: "l", 403: "f", 404: "n"}


@dataclass
class World:
    """The acted-out history of three communes, and the objects each route is asked about."""

    app: object
    session: object
    usernames: dict[str, str]
    objects: dict = field(default_factory=dict)  # kind -> target -> id, code or a maker
    browsers: dict = field(default_factory=dict)  # identity -> (signed-in browser, CSRF token)

    def value(self, kind: str, target: str, identity: str):
        value = self.objects[kind][target]
        return value(identity) if callable(value) else value

    def read(self, statement):
        """One row, read in a transaction ended at once (SQLite: the app must be free to write)."""
        try:
            return self.session.execute(statement).one()
        finally:
            self.session.rollback()

    def version(self, task_id: int) -> int:
        return self.read(select(Task.version).where(Task.id == task_id))[0]

    def browser(self, identity: str):
        """A browser signed in as ``identity``, and a CSRF token of its session: signed in once
        per route (the routes that end a session, signing out and a new password, are asked
        about one target only)."""
        if identity not in self.browsers:
            self.browsers[identity] = self._signed_in(identity)
        return self.browsers[identity]

    def _signed_in(self, identity: str):
        browser = self.app.test_client()
        page = browser.get("/login").text
        if identity != "anonymous":
            answer = browser.post(
                "/login",
                data={
                    "csrf_token": csrf(page),
                    "username": self.usernames[identity],
                    "password": PASSWORD,
                },
            )
            assert answer.status_code == 302, f"{identity} could not sign in"
            page = browser.get("/password").text
        return browser, csrf(page)

    def fingerprint(self) -> tuple:
        """Every table's row count and the columns a refused action could have changed, in one
        statement: what a refusal must leave as it was."""
        concatenated = (
            "string_agg(account, ',')"
            if self.session.bind.dialect.name == "postgresql"
            else "group_concat(account, ',')"
        )
        parts = [
            f"(SELECT count(*) FROM {table.name})" for table in SQLModel.metadata.sorted_tables
        ]
        parts += [
            "(SELECT coalesce(sum(version), 0) FROM task)",
            "(SELECT count(*) FROM app_user WHERE active)",
            f"(SELECT {concatenated} FROM (SELECT password_hash || role AS account"
            " FROM app_user ORDER BY id) AS accounts)",
            "(SELECT count(*) FROM outbox WHERE status = 'failed')",
        ]
        return tuple(self.read(text("SELECT " + ", ".join(parts))))


@dataclass(frozen=True)
class Route:
    """A rule of the URL map as asked: its method, a path with the object's place marked by
    ``{}``, the kind of object, the form (or JSON) a permitted person would send, and the
    answers by target."""

    method: str
    path: str
    answers: dict[str, str]
    kind: str | None = None
    form: Callable[[World, object], dict] | None = None
    json: Callable[[World, object], dict] | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


# What a permitted person would send: the version they saw, a complete form.


def with_version(**fields):
    return lambda world, task_id: {"version": world.version(task_id), **fields}


def draft_version(world, draft_id):
    return {"version": world.read(select(PlanDraft.version).where(PlanDraft.id == draft_id))[0]}


def plan_fields(world, draft_id):
    return draft_version(world, draft_id) | {"title": "Kế hoạch", "issuing_body": "Ban Thường vụ"}


def ticked_report(world, _):
    task_id = world.value(TASKS, COORDINATING, "")
    return {"task": [f"{task_id}:{world.version(task_id)}"]}


def start_event(world, task_id):
    return {"event": "start", "version": world.version(task_id)}


def comment(world, _):
    return {"text": "Ý kiến phối hợp"}


def figure(world, _):
    return {"period": "2026-Q1", "value": "90", "source": "Sổ theo dõi đảng phí"}


def explanation(world, _):
    return {
        "unit_id": world.objects["unit_id"],
        "period": "2026-Q1",
        "due_on": "2026-07-15",
        "text": "Vì sao chưa đạt?",
    }


def grade(world, _):
    return {"grade": "good", "note": "Như đề xuất"}


GRADE_LINES = {"excellent": (90, 90, 0, 0), "good": (80, 80, 1, 1), "done": (50, 50, 3, 3)}


def grading_rules(world, _):
    return {
        f"{grade}_{measure}": value
        for grade, figures in GRADE_LINES.items()
        for measure, value in zip(
            ("on_time", "targets", "overdue", "unanswered"), figures, strict=True
        )
    }


def new_calendar_link(world, _):
    return {"create": "1"}


def notification_settings(world, _):
    return {"email_digests": "y", "locale": "vi"}


def new_user(world, _):
    return {
        "username": "nguoi.moi",
        "full_name": "Người Mới",
        "email": "moi@example.vn",
        "role": "member",
        "unit": "CB1",
        "password": "mat-khau-moi-rat-dai",
    }


def new_role(world, _):
    return {"role": "leader", "unit": ""}


NEW_PASSWORD = {"new": "mat-khau-moi-rat-dai", "confirm": "mat-khau-moi-rat-dai"}


def password_reset(world, _):
    return NEW_PASSWORD


def password_change(world, _):
    return {"current": PASSWORD} | NEW_PASSWORD


def group_members(world, _):
    return {"members": ["CB1", "CB2"]}


def plan_upload(world, _):
    return {"file": (io.BytesIO(SMALL_PLAN.read_bytes()), "ke-hoach.yaml")}


def quarter_to_open(world, _):
    return {"quarter": "2026-Q3"}


def document_upload(world, _):
    return {"document": (io.BytesIO(b"not a document"), "Kế hoạch.docx")}


def sign_in(world, _):
    return {"username": world.usernames["colleague"], "password": PASSWORD}


def next_page(world, _):
    return {"next": "/"}


ANY = "-"  # a route about no particular object
# The kinds of object a route takes, and the targets asked of each: a task (and its file) of
# the head's own unit, of another unit, of a responsibility the head's unit coordinates, of
# another organisation; other objects of this organisation or another; one's own message or
# link, someone else's, or one that does not exist.
TASKS, FILES, TARGETS, UNITS, COMMUNES = "task", "file", "target", "unit", "commune"
USERS, OUTBOX, DRAFTS, INBOX = "user", "outbox", "draft", "inbox"
CALENDAR_LINKS, UNSUBSCRIBE_LINKS = "calendar", "unsubscribe"
OWN, OTHER, COORDINATING, OTHER_ORG = "own", "other", "coordinating", "other_org"
THIS_ORG, MINE, SOMEONE_ELSES, BOGUS = "this_org", "mine", "someone_elses", "bogus"
# Read a row as: the answer to anonymous (-), the admin (A), leader (L), reviewer (R), head (H),
# member (M), overseer (O) and stranger (S). An "r" after an "o" in the same row is the first
# permitted person having done it already (the head started the task; the member is told).
# fmt: off
MATRIX = [
    #                                                      - A L R H M O S
    # Work, tasks and their files
    Route("GET", "/",                               {ANY: "l o o o o o o o"}),
    Route("GET", "/accountability",                 {ANY: "l o o o f f f o"}),
    Route("GET", "/accountability/tasks",           {ANY: "l o o o f f f o"}),
    Route("GET", "/plan",                           {ANY: "l o o o o o o o"}),
    Route("GET", "/tasks/{}", {
        OWN:                                              "l o o o o o o n",
        OTHER:                                            "l o o o n n o n",
        COORDINATING:                                     "l o o o o o o n",
        OTHER_ORG:                                        "l n n n n n n n",
    }, kind=TASKS),
    Route("POST", "/tasks/{}/start", {
        OWN:                                              "l f f f o r f n",
        OTHER:                                            "l f f f n n f n",
        COORDINATING:                                     "l f f f f f f n",
        OTHER_ORG:                                        "l n n n n n n n",
    }, kind=TASKS, form=with_version()),
    Route("POST", "/tasks/{}/comments", {
        OWN:                                              "l o o o o o o n",
        OTHER:                                            "l o o o n n o n",
        COORDINATING:                                     "l o o o o o o n",
        OTHER_ORG:                                        "l n n n n n n n",
    }, kind=TASKS, form=comment),
    Route("GET", "/files/{}", {
        OWN:                                              "l o o o o o o n",
        OTHER:                                            "l o o o n n o n",
        COORDINATING:                                     "l o o o o o o n",
        OTHER_ORG:                                        "l n n n n n n n",
    }, kind=FILES),
    # Review
    Route("GET", "/review/",                        {ANY: "l o o o f f f o"}),
    Route("POST", "/review/tasks/{}/approve", {
        OWN:                                              "l f f r f f f n",
        OTHER:                                            "l f f r f f f n",
        COORDINATING:                                     "l f f o f f f n",
        OTHER_ORG:                                        "l n n n f f f n",
    }, kind=TASKS, form=with_version()),
    Route("POST", "/review/extensions/{}/grant_extension", {
        OWN:                                              "l f f o f f f n",
        OTHER:                                            "l f f r f f f n",
        COORDINATING:                                     "l f f r f f f n",
        OTHER_ORG:                                        "l n n n f f f n",
    }, kind=TASKS, form=with_version()),
    Route("POST", "/review/approve",                {ANY: "l f f o f f f f"}, form=ticked_report),
    # Targets
    Route("GET", "/targets/",                       {ANY: "l o o o o o f o"}),
    Route("GET", "/targets/{}", {
        THIS_ORG:                                         "l o o o o o f n",
        OTHER_ORG:                                        "l n n n n n f n",
    }, kind=TARGETS),
    Route("POST", "/targets/{}/figures", {
        THIS_ORG:                                         "l f f f o f f n",
        OTHER_ORG:                                        "l n n n n n f n",
    }, kind=TARGETS, form=figure),
    Route("POST", "/targets/{}/explanations", {
        THIS_ORG:                                         "l f o r f f f n",
        OTHER_ORG:                                        "l n n n n n f n",
    }, kind=TARGETS, form=explanation),
    # The year's evaluation
    Route("GET", "/evaluation/",                    {ANY: "l o o o o f f o"}),
    Route("GET", "/evaluation/{}", {
        OWN:                                              "l o o o o f n o",
        OTHER:                                            "l o o o f f n o",
    }, kind=UNITS),
    Route("GET", "/evaluation/{}/export.docx", {
        OWN:                                              "l o o o o f n o",
        OTHER:                                            "l o o o f f n o",
    }, kind=UNITS),
    Route("POST", "/evaluation/{}/grade", {
        OWN:                                              "l f o f f f f f",
        OTHER:                                            "l f o f f f f f",
    }, kind=UNITS, form=grade),
    Route("GET", "/evaluation/rules",               {ANY: "l o f f f f f o"}),
    Route("POST", "/evaluation/rules",              {ANY: "l o f f f f f o"}, form=grading_rules),
    # Reports, exports and the calendar feed (its secret link is its credential)
    Route("GET", "/exports/quarterly.docx",         {ANY: "l o o o f f f o"}),
    Route("GET", "/exports/year.xlsx",              {ANY: "l o o o f f f o"}),
    Route("GET", "/exports/accountability/print",   {ANY: "l o o o f f f o"}),
    Route("GET", "/exports/calendar",               {ANY: "l o o o o o o o"}),
    Route("POST", "/exports/calendar", {
        ANY:                                              "l o o o o o o o",
    }, form=new_calendar_link),
    Route("GET", "/exports/calendar/{}.ics", {
        MINE:                                             "n o o o o o o o",
        BOGUS:                                            "n n n n n n n n",
    }, kind=CALENDAR_LINKS),
    # Notifications and their settings (an unsubscribe link is its own credential)
    Route("GET", "/inbox/",                         {ANY: "l o o o o o o o"}),
    Route("GET", "/inbox/{}", {
        MINE:                                             "l o o o o o o o",
        SOMEONE_ELSES:                                    "l n n n n n n n",
        OTHER_ORG:                                        "l n n n n n n n",
    }, kind=INBOX),
    Route("POST", "/inbox/read",                    {ANY: "l o o o o o o o"}),
    Route("GET", "/settings/notifications",         {ANY: "l o o o o o o o"}),
    Route("POST", "/settings/notifications", {
        ANY:                                              "l o o o o o o o",
    }, form=notification_settings),
    Route("GET", "/settings/preview",               {ANY: "l o o o o f f o"}),
    Route("GET", "/settings/unsubscribe/{}", {
        MINE:                                             "n o o o o o o o",
        BOGUS:                                            "n n n n n n n n",
    }, kind=UNSUBSCRIBE_LINKS),
    Route("POST", "/settings/unsubscribe/{}", {
        MINE:                                             "n o o o o o o o",
        BOGUS:                                            "n n n n n n n n",
    }, kind=UNSUBSCRIBE_LINKS),
    # The communes below a city, a province or the nation
    Route("GET", "/rollup/",                        {ANY: "l f f f f f o f"}),
    Route("GET", "/rollup/{}/", {
        THIS_ORG:                                         "l f f f f f o f",
        OTHER_ORG:                                        "l f f f f f n f",
    }, kind=COMMUNES),
    Route("GET", "/rollup/{}/units/CB2", {
        THIS_ORG:                                         "l f f f f f o f",
        OTHER_ORG:                                        "l f f f f f n f",
    }, kind=COMMUNES),
    # Administration
    Route("GET", "/admin/",                         {ANY: "l o f f f f f o"}),
    Route("GET", "/admin/users/new",                {ANY: "l o f f f f f o"}),
    Route("POST", "/admin/users/new",               {ANY: "l o f f f f f o"}, form=new_user),
    Route("GET", "/admin/users/{}", {
        THIS_ORG:                                         "l o f f f f f n",
        OTHER_ORG:                                        "l n f f f f f n",
    }, kind=USERS),
    Route("POST", "/admin/users/{}/role", {
        THIS_ORG:                                         "l o f f f f f n",
        OTHER_ORG:                                        "l n f f f f f n",
    }, kind=USERS, form=new_role),
    Route("POST", "/admin/users/{}/password", {
        THIS_ORG:                                         "l o f f f f f n",
        OTHER_ORG:                                        "l n f f f f f n",
    }, kind=USERS, form=password_reset),
    Route("POST", "/admin/users/{}/disable", {
        THIS_ORG:                                         "l o f f f f f n",
        OTHER_ORG:                                        "l n f f f f f n",
    }, kind=USERS),
    Route("POST", "/admin/users/{}/enable", {
        THIS_ORG:                                         "l o f f f f f n",
        OTHER_ORG:                                        "l n f f f f f n",
    }, kind=USERS),
    Route("GET", "/admin/units",                    {ANY: "l o f f f f f o"}),
    Route("POST", "/admin/units/TCD/members",       {ANY: "l r f f f f f r"}, form=group_members),
    Route("GET", "/admin/plans",                    {ANY: "l o f f f f f o"}),
    Route("POST", "/admin/plans",                   {ANY: "l o f f f f f r"}, form=plan_upload),
    Route("POST", "/admin/plans/shipped/viet-hung-2026-nq57", {
        ANY:                                              "l r f f f f f r",
    }),
    Route("GET", "/admin/quarters",                 {ANY: "l o f f f f f o"}),
    Route("POST", "/admin/quarters",                {ANY: "l o f f f f f o"}, form=quarter_to_open),
    Route("GET", "/admin/outbox",                   {ANY: "l o f f f f f o"}),
    Route("GET", "/admin/outbox/{}", {
        THIS_ORG:                                         "l o f f f f f n",
        OTHER_ORG:                                        "l n f f f f f n",
    }, kind=OUTBOX),
    Route("POST", "/admin/outbox/{}/retry", {
        THIS_ORG:                                         "l o f f f f f n",
        OTHER_ORG:                                        "l n f f f f f n",
    }, kind=OUTBOX),
    # Plans drafted from their documents
    Route("GET", "/plans/drafts/",                  {ANY: "l o f o f f f o"}),
    Route("POST", "/plans/drafts/",                 {ANY: "l r f r f f f r"}, form=document_upload),
    Route("POST", "/plans/drafts/copy/TN-2026",     {ANY: "l o f o f f f o"}),
    Route("GET", "/plans/drafts/{}", {
        THIS_ORG:                                         "l o f o f f f n",
        OTHER_ORG:                                        "l n f n f f f n",
    }, kind=DRAFTS),
    Route("POST", "/plans/drafts/{}/plan", {
        THIS_ORG:                                         "l r f r f f f n",
        OTHER_ORG:                                        "l n f n f f f n",
    }, kind=DRAFTS, form=plan_fields),
    Route("POST", "/plans/drafts/{}/responsibilities", {
        THIS_ORG:                                         "l r f r f f f n",
        OTHER_ORG:                                        "l n f n f f f n",
    }, kind=DRAFTS, form=draft_version),
    Route("POST", "/plans/drafts/{}/responsibilities/0", {
        THIS_ORG:                                         "l r f r f f f n",
        OTHER_ORG:                                        "l n f n f f f n",
    }, kind=DRAFTS, form=draft_version),
    Route("POST", "/plans/drafts/{}/responsibilities/0/remove", {
        THIS_ORG:                                         "l o f o f f f n",
        OTHER_ORG:                                        "l n f n f f f n",
    }, kind=DRAFTS, form=draft_version),
    Route("POST", "/plans/drafts/{}/confirm", {
        THIS_ORG:                                         "l o f o f f f n",
        OTHER_ORG:                                        "l n f n f f f n",
    }, kind=DRAFTS, form=draft_version),
    Route("POST", "/plans/drafts/{}/publish", {
        THIS_ORG:                                         "l o f o f f f n",
        OTHER_ORG:                                        "l n f n f f f n",
    }, kind=DRAFTS, form=draft_version),
    Route("POST", "/plans/drafts/{}/discard", {
        THIS_ORG:                                         "l o f o f f f n",
        OTHER_ORG:                                        "l n f n f f f n",
    }, kind=DRAFTS, form=draft_version),
    # The API, on the browser's session (its CSRF token in a header)
    Route("GET", "/api/v1/openapi.json",            {ANY: "o o o o o o o o"}),
    Route("GET", "/api/v1/me",                      {ANY: "l o o o o o o o"}),
    Route("GET", "/api/v1/accountability",          {ANY: "l o o o f f f o"}),
    Route("GET", "/api/v1/targets",                 {ANY: "l o o o o o f o"}),
    Route("GET", "/api/v1/tasks",                   {ANY: "l o o o o o o o"}),
    Route("GET", "/api/v1/tasks/{}", {
        OWN:                                              "l o o o o o o n",
        OTHER:                                            "l o o o n n o n",
        COORDINATING:                                     "l o o o o o o n",
        OTHER_ORG:                                        "l n n n n n n n",
    }, kind=TASKS),
    Route("POST", "/api/v1/tasks/{}/events", {
        OWN:                                              "l f f f o r f n",
        OTHER:                                            "l f f f n n f n",
        COORDINATING:                                     "l f f f f f f n",
        OTHER_ORG:                                        "l n n n n n n n",
    }, kind=TASKS, json=start_event),
    # Signing in and out, the language, the server
    Route("GET", "/login",                          {ANY: "o o o o o o o o"}),
    Route("POST", "/login",                         {ANY: "o o o o o o o o"}, form=sign_in),
    Route("POST", "/logout",                        {ANY: "l l l l l l l l"}),
    Route("GET", "/password",                       {ANY: "l o o o o o o o"}),
    Route("POST", "/password",                      {ANY: "l o o o o o o o"}, form=password_change),
    Route("POST", "/language/en",                   {ANY: "o o o o o o o o"}, form=next_page),
    Route("GET", "/healthz",                        {ANY: "o o o o o o o o"}),
    Route("GET", "/static/app.css",                 {ANY: "o o o o o o o o"}),
]
# fmt: on


# --- The world -----------------------------------------------------------------------------------


def task_of(session, organisation, ref: str, unit: str, period: str) -> Task:
    return session.exec(
        select(Task)
        .join(Responsibility)
        .where(
            Responsibility.ref == ref,
            Task.unit_id == find_unit(session, organisation, unit).id,
            Task.period == period,
        )
    ).one()


@pytest.fixture
def world(app, session, levels, make_user) -> World:
    ward, bien = levels.organisations["DU-TEST"], levels.organisations["XA-BIEN"]
    khac = levels.organisations["XA-KHAC"]
    now = HISTORY_NOW
    set_clock(app, now)
    users = {
        "admin": make_user("admin"),
        "leader": make_user("leader"),
        "reviewer": make_user("reviewer"),
        "head": make_user("unit_head", "CB2"),
        "member": make_user("member", "CB2"),
        "overseer": levels.overseers["HN"],
        "stranger": add_user(
            session, khac, "khac.admin", "admin", "qtv@khac.vn", PASSWORD, now=now
        ),
    }
    colleague = make_user("unit_head", "UBND", full_name="Nguyễn Văn An")
    bien_admin = add_user(session, bien, "bien.admin", "admin", "qtv@bien.vn", PASSWORD, now=now)
    bien_head = add_user(
        session, bien, "bien.cb2", "unit_head", "cb2@bien.vn", PASSWORD, unit_code="CB2", now=now
    )
    session.commit()
    tasks = {
        "own": task_of(session, ward, "VI.4.1", "CB2", "2026-Q1"),  # assigned, overdue
        "other": task_of(session, ward, "VI.1.7", "BXDD", "2026-Q1"),  # reviewed
        "coordinating": task_of(session, ward, "VI.2.1", "UBND", "2026-Q2"),  # reported
        "other_org": task_of(session, bien, "VI.4.1", "CB2", "2026-Q1"),
    }
    own = tasks["own"]
    before_due = Clock.at("2026-03-01T08:00")
    ask_extension(
        session, users["head"], own.id, own.version, date(2026, 3, 31), "Chờ họp", clock=before_due
    )
    other_org = tasks["other_org"]
    start_task(session, bien_head, other_org.id, other_org.version, "", now=now)
    session.refresh(other_org)
    submit_report(session, bien_head, other_org.id, other_org.version, "Đã làm", now=now)
    usernames = {who: user.username for who, user in users.items()}
    world = World(app, session, usernames | {"colleague": colleague.username})
    ids = {who: user.id for who, user in users.items()}
    unread = {who: message_to(session, user) for who, user in users.items()}
    secret = app.config["SECRET_KEY"]

    def calendar_token(identity: str) -> str:
        if identity not in ids:
            return "0" * 43
        token = issue_calendar_token(session, session.get(User, ids[identity]), HISTORY_NOW)
        session.commit()
        return token

    def new_draft(identity: str) -> int:
        """A draft of this organisation's, new for each ask: one person's discarding it must
        not hide it from the next."""
        draft = copy_plan(session, session.get(User, ids["admin"]), "TN-2026", HISTORY_NOW)
        session.commit()
        return draft.id

    world.objects = {
        TASKS: {target: task.id for target, task in tasks.items()},
        FILES: {target: evidence_on(app, session, t, colleague) for target, t in tasks.items()},
        OUTBOX: {
            THIS_ORG: message_to(session, colleague),
            OTHER_ORG: message_to(session, bien_admin),
        },
        INBOX: {
            MINE: lambda identity: unread.get(identity, unread["admin"]),
            SOMEONE_ELSES: message_to(session, colleague),
            OTHER_ORG: message_to(session, bien_admin),
        },
        USERS: {THIS_ORG: colleague.id, OTHER_ORG: bien_admin.id},
        DRAFTS: {
            THIS_ORG: new_draft,
            OTHER_ORG: copy_plan(session, bien_admin, "TN-2026", now).id,
        },
        TARGETS: {THIS_ORG: target_of(session, ward), OTHER_ORG: target_of(session, bien)},
        UNITS: {OWN: "CB2", OTHER: "BXDD"},
        "unit_id": find_unit(session, ward, "CB2").id,
        COMMUNES: {THIS_ORG: "DU-TEST", OTHER_ORG: "XA-BIEN"},
        CALENDAR_LINKS: {MINE: calendar_token, BOGUS: "0" * 43},
        UNSUBSCRIBE_LINKS: {
            MINE: lambda identity: unsubscribe_token(secret, ids.get(identity, 0)),
            BOGUS: "x" * 20,
        },
    }
    session.commit()
    return world


def message_to(session, user) -> int:
    """An email to ``user`` that could not be sent: a line of their inbox, one to retry."""
    message = OutboxMessage(
        key=uuid.uuid4().hex,
        kind="digest",
        recipient_id=user.id,
        to_address=user.email,
        subject="Nhắc việc",
        body_text="Nhắc việc",
        body_html="<p>Nhắc việc</p>",
        message_id=f"{uuid.uuid4().hex}@giaoviec.test",
        status="failed",
        created_at=HISTORY_NOW,
        next_attempt_at=HISTORY_NOW,
    )
    session.add(message)
    session.flush()
    return message.id


def target_of(session, organisation) -> int:
    return session.exec(
        select(Target.id)
        .join(Plan)
        .where(Target.ref == "I.2.4", Plan.organisation_id == organisation.id)
    ).one()


def evidence_on(app, session, task: Task, author) -> int:
    """A report of ``task`` with one PDF, kept where the app keeps evidence."""
    report = Report(task_id=task.id, author_id=author.id, submitted_at=HISTORY_NOW, text="x")
    session.add(report)
    session.flush()
    folder = Path(app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.pdf"
    (folder / stored).write_bytes(PDF)
    record = ReportFile(
        report_id=report.id,
        filename="Biên bản họp.pdf",
        stored_name=stored,
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    session.add(record)
    session.flush()
    return record.id


# --- The matrix, asked ---------------------------------------------------------------------------


def document_rule(rule) -> str:
    """A rule of the URL map with each of its ``<converter:name>`` as ``{}``."""
    return re.sub(r"<[^>]+>", "{}", rule.rule)


def ask(world: World, route: Route, identity: str, target: str) -> str:
    """The letter of the answer ``identity`` gets asking ``route`` about ``target``; a refusal
    must leave every table as it was."""
    value = world.value(route.kind, target, identity) if route.kind else None
    browser, token = world.browser(identity)
    before = world.fingerprint()
    path = route.path.format(value)
    if route.method == "GET":
        answer = browser.get(path)
    elif route.json:
        answer = browser.post(path, json=route.json(world, value), headers={"X-CSRFToken": token})
    else:
        form = route.form(world, value) if route.form else {}
        answer = browser.post(path, data={"csrf_token": token, **form})
    location = answer.headers.get("Location", "")
    answer.close()
    if answer.status_code in (301, 302, 303) and location.startswith("/login"):
        letter = "l"
    else:
        letter = LETTERS.get(answer.status_code, f"[{answer.status_code}]")
    if letter in "lfn":
        assert world.fingerprint() == before, f"{identity} was refused but something changed"
    return letter


def answers_to(world: World, route: Route) -> dict[str, str]:
    return {
        target: " ".join(ask(world, route, who, target) for who in IDENTITIES)
        for target in route.answers
    }


PAGES = [route for route in MATRIX if route.method == "GET"]
ACTIONS = [route for route in MATRIX if route.method != "GET"]


def test_every_page_answers_each_identity_as_the_matrix_says(world):
    """Asked by each identity about each kind of object, does every page, file and feed answer
    as written? (Reading changes nothing a refusal is checked for, so one world serves all.)"""
    asked = {str(route): answers_to(world, route) for route in PAGES}
    assert asked == {str(route): route.answers for route in PAGES}


@pytest.mark.parametrize("route", ACTIONS, ids=str)
def test_each_action_answers_each_identity_as_the_matrix_says(world, route):
    """Asked by each identity about each kind of object, does the action answer as written, and
    does every refusal leave the database as it was? (A world of its own: an action changes
    what the next one finds.)"""
    assert answers_to(world, route) == route.answers


def test_every_route_of_the_app_is_in_the_matrix(app):
    """Does the matrix name every rule and method of the URL map, and nothing else?"""
    routes = {
        (method, document_rule(rule))
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    adapter = app.url_map.bind("localhost")
    written = set()
    for route in MATRIX:
        rule, _ = adapter.match(route.path.format(1), method=route.method, return_rule=True)
        written.add((route.method, document_rule(rule)))
    assert written == routes
