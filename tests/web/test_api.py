"""The JSON API: who may see and do what through it, how it refuses, and whether its OpenAPI
document says what it really does (every answer in this file is checked against it)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import select
from werkzeug.exceptions import HTTPException

from tests.conftest import Q1_CONTRIBUTIONS, Q1_TASKS, at, csrf, real_now, set_clock
from web.api.openapi import DOCUMENT
from workflow.accounts.models import ApiToken
from workflow.accounts.tokens import issue_token
from workflow.organisations.models import Unit
from workflow.plans.models import Target
from workflow.targets.figures import FigureEntry, enter_figure
from workflow.tasks.operations import (
    approve_report,
    reopen_task,
    return_report,
    start_task,
    submit_report,
)

PREFIX = "/api/v1"
SERVICES = {
    "start": start_task,
    "report": submit_report,
    "approve": approve_report,
    "return": return_report,
    "reopen": reopen_task,
}
# How a task reaches each state from "assigned", and where each event may start from.
PATH_TO = {
    "assigned": [],
    "in_progress": ["start"],
    "reported": ["start", "report"],
    "returned": ["start", "report", "return"],
    "reviewed": ["start", "report", "approve"],
}
LEGAL = {
    ("start", "assigned"): "in_progress",
    ("start", "returned"): "in_progress",
    ("report", "in_progress"): "reported",
    ("report", "returned"): "reported",
    ("approve", "reported"): "reviewed",
    ("return", "reported"): "returned",
    ("reopen", "reviewed"): "in_progress",
}
SOURCE = {"start": "assigned", "report": "in_progress", "approve": "reported"}
SOURCE |= {"return": "reported", "reopen": "reviewed"}
EVENTS = tuple(SERVICES)


# --- The document, and a small checker of its schemas --------------------------------------


def resolve(pointer: str) -> dict:
    node = DOCUMENT
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part]
    return node


TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


def schema_errors(schema: dict, value: object, where: str = "$") -> list[str]:
    """What in ``value`` the OpenAPI 3.0 ``schema`` does not allow (the parts this API uses)."""
    if "$ref" in schema:
        return schema_errors(resolve(schema["$ref"]), value, where)
    if value is None:
        return [] if schema.get("nullable") else [f"{where} is null"]
    errors = [e for part in schema.get("allOf", []) for e in schema_errors(part, value, where)]
    kind = schema.get("type")
    if kind and not TYPES[kind](value):
        return [*errors, f"{where} is not {kind}: {value!r}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}={value!r} not in {schema['enum']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{where}={value!r} does not match {schema['pattern']}")
    if schema.get("format") == "date-time" and not is_utc_instant(value):
        errors.append(f"{where}={value!r} is not an ISO 8601 UTC instant")
    if kind == "object":
        properties = schema.get("properties", {})
        missing = [name for name in schema.get("required", []) if name not in value]
        errors += [f"{where}.{name} is missing" for name in missing]
        for name, item in value.items():
            if name in properties:
                errors += schema_errors(properties[name], item, f"{where}.{name}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}.{name} is not documented")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(schema["additionalProperties"], item, f"{where}.{name}")
    if kind == "array":
        for i, item in enumerate(value):
            errors += schema_errors(schema.get("items", {}), item, f"{where}[{i}]")
    return errors


def is_utc_instant(value: str) -> bool:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.utcoffset() == timedelta(0)


def document_path(rule) -> str:
    """A Flask rule as the document names it: ``/tasks/<int:task_id>`` is ``/tasks/{task_id}``."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix(PREFIX)


def operation_of(app, method: str, path: str) -> dict | None:
    try:
        rule, _ = app.url_map.bind("localhost").match(path, method=method, return_rule=True)
    except HTTPException:
        return None
    if not rule.endpoint.startswith("api."):
        return None
    return DOCUMENT["paths"][document_path(rule)][method.lower()]


def check_documented(app, method: str, path: str, response, body: object = None) -> None:
    """Fail unless the document lists the answer's status for this operation and the answer
    (and the request body it accepted) fits the documented schema."""
    operation = operation_of(app, method, path)
    if operation is None:
        return
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path}: {status} is not documented"
    documented = operation["responses"][status]
    documented = resolve(documented["$ref"]) if "$ref" in documented else documented
    assert response.is_json, f"{method} {path} did not answer JSON"
    schema = documented["content"]["application/json"].get("schema")
    if schema:
        assert schema_errors(schema, response.get_json()) == []
    if response.status_code == 200 and "requestBody" in operation:
        request_schema = operation["requestBody"]["content"]["application/json"]["schema"]
        assert schema_errors(request_schema, body) == [], "an accepted body is not documented"


# --- Callers ---------------------------------------------------------------------------------


class Caller:
    """Someone calling the API, with their token (or their browser session when none)."""

    def __init__(self, client, user=None, token: str | None = None) -> None:
        self.client, self.user, self.token = client, user, token

    def call(self, method: str, path: str, headers: dict | None = None, **kwargs):
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        response = self.client.open(PREFIX + path, method=method, headers=headers, **kwargs)
        check_documented(
            self.client.application, method, PREFIX + path, response, kwargs.get("json")
        )
        return response

    def get(self, path: str, **params):
        return self.call("GET", path, query_string=params)

    def fire(self, task, event: str, comment: str = "", headers: dict | None = None, **body):
        body = {"event": event, "version": task.version, "comment": comment, **body}
        return self.call("POST", f"/tasks/{task.id}/events", headers=headers, json=body)


@pytest.fixture
def caller(client, session, make_user):
    """A new user of ``role`` (in ``unit``) calling with an API token of their own."""

    def caller(role: str, unit: str | None = None, **kwargs) -> Caller:
        user = make_user(role, unit, **kwargs)
        token = issue_token(session, user, real_now())
        session.commit()
        return Caller(client, user, token)

    return caller


@pytest.fixture
def plan_loaded(ward, session):
    """The small plan loaded, and the test's read ended so that the app may write (SQLite)."""
    session.commit()
    return ward


@pytest.fixture
def q1(open_tasks, session):
    """The first quarter opened; ``q1(ref, unit)`` finds one of its tasks."""
    find = open_tasks("2026-Q1")

    def task(ref: str, unit: str):
        found = find(ref, unit)
        session.commit()  # end the read, so the app may write (SQLite)
        return found

    return task


def reread(session, task):
    """The task as the database now has it."""
    session.refresh(task)
    session.commit()
    return task


@pytest.fixture
def stage(session, make_user):
    """Put a task into ``state`` through the services, as its unit head and a reviewer would."""
    people: dict = {}

    def person(role: str, unit_id: int | None):
        if (role, unit_id) not in people:
            unit = session.get(Unit, unit_id).code if unit_id else None
            people[role, unit_id] = make_user(role, unit)
        return people[role, unit_id]

    def stage(task, state: str):
        for event in PATH_TO[state]:
            if event in ("approve", "return"):
                actor = person("reviewer", None)
            else:
                actor = person("unit_head", task.unit_id)
            SERVICES[event](session, actor, task.id, task.version, "Đã thực hiện", now=real_now())
        session.commit()
        return task

    return stage


# --- Authentication ----------------------------------------------------------------------------


OPERATIONS = [
    (method.upper(), path.replace("{task_id}", "1"), operation)
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
]


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_only_what_the_document_calls_public_answers_without_credentials(
    client, plan_loaded, method, path, operation
):
    """Without credentials, is every endpoint but the public ones a 401 in JSON, never a
    redirect to the login page?"""
    response = Caller(client).call(method, path, json={"event": "start", "version": 1})
    if operation.get("security", DOCUMENT["security"]) == []:
        assert response.status_code == 200
        return
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"
    assert "Authorization: Bearer" in response.get_json()["error"]["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Location" not in response.headers


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "not-even-a-scheme"],
)
def test_a_wrong_authorization_header_is_refused(client, plan_loaded, authorization):
    """Does a made-up or malformed token get anyone in?"""
    response = Caller(client).call("GET", "/me", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_a_revoked_token_is_refused(app, caller, session, client):
    """Once a token is revoked, does it still work? (Its owner is then unknown: the message is
    in the browser's language, here English.)"""
    head = caller("unit_head", "UBND")
    assert head.get("/me").status_code == 200
    client.set_cookie("lang", "en")
    token = session.exec(select(ApiToken).where(ApiToken.user_id == head.user.id)).one()
    token.revoked_at = real_now()
    session.commit()
    response = head.get("/me")
    assert response.status_code == 401
    assert response.get_json()["error"] == {
        "code": "unauthenticated",
        "message": "This API token is not valid: "
        "it is unknown or revoked, or its user is inactive.",
    }


def test_the_token_of_an_inactive_user_is_refused(caller, session):
    """Does a user who was switched off keep access through an old token?"""
    head = caller("unit_head", "UBND")
    head.user.active = False
    session.add(head.user)
    session.commit()
    assert head.get("/me").status_code == 401


def test_a_bad_token_is_not_papered_over_by_the_session(sign_in, make_user, client):
    """With a valid session and a wrong token, which one counts? The token: it is refused."""
    sign_in(make_user("unit_head", "UBND"))
    assert Caller(client).get("/me").status_code == 200
    refused = Caller(client, token="wrong").get("/me")
    assert refused.status_code == 401


@pytest.mark.parametrize(
    ("role", "unit", "unit_json"),
    [
        ("admin", None, None),
        ("leader", None, None),
        ("reviewer", None, None),
        ("unit_head", "UBND", {"code": "UBND", "name": "Ủy ban nhân dân Phường"}),
        ("member", "CB1", {"code": "CB1", "name": "Chi bộ Khu dân cư số 1"}),
    ],
)
def test_me_says_who_the_token_belongs_to(caller, role, unit, unit_json):
    """What does GET /me tell each kind of user about themselves?"""
    me = caller(role, unit, full_name="Nguyễn Thị Hằng", locale="en")
    response = me.get("/me")
    assert "Set-Cookie" not in response.headers  # a token client is never given a session
    assert response.get_json() == {
        "id": me.user.id,
        "username": me.user.username,
        "full_name": "Nguyễn Thị Hằng",
        "role": role,
        "unit": unit_json,
        "locale": "en",
    }


# --- Who sees what -----------------------------------------------------------------------------

ACTORS = {
    "admin": ("admin", None),
    "leader": ("leader", None),
    "reviewer": ("reviewer", None),
    "UBND head": ("unit_head", "UBND"),
    "UBND member": ("member", "UBND"),
    "BXDD head": ("unit_head", "BXDD"),  # coordinates VI.2.1
    "BXDD member": ("member", "BXDD"),
    "CB1 head": ("unit_head", "CB1"),  # coordinates VI.2.1 through the group TCD
    "CB2 member": ("member", "CB2"),
}
# A unit sees its own tasks, the tasks of what it coordinates (VI.2.1: the lead's and the other
# coordinating units' contributions), and the contributions sent to what it leads (UBND).
VI_2_1 = {("VI.2.1", "UBND")} | Q1_CONTRIBUTIONS
SEES_IN_Q1 = {
    "admin": Q1_TASKS,
    "leader": Q1_TASKS,
    "reviewer": Q1_TASKS,
    "UBND head": VI_2_1,
    "UBND member": VI_2_1,
    "BXDD head": VI_2_1 | {("VI.1.7", "BXDD")},
    "BXDD member": VI_2_1 | {("VI.1.7", "BXDD")},
    "CB1 head": VI_2_1 | {("VI.4.1", "CB1")},
    "CB2 member": VI_2_1 | {("VI.4.1", "CB2")},
}


@pytest.mark.parametrize("actor", SEES_IN_Q1)
def test_who_lists_and_opens_which_tasks(caller, q1, actor):
    """Which of the first quarter's tasks does each role list, and open by id (404 otherwise,
    so that an id reveals nothing)?"""
    tasks = {key: q1(*key) for key in Q1_TASKS}
    me = caller(*ACTORS[actor])
    listed = me.get("/tasks", quarter="2026-Q1").get_json()["tasks"]
    assert {(t["ref"], t["unit"]) for t in listed} == SEES_IN_Q1[actor]
    for key, task in tasks.items():
        expected = 200 if key in SEES_IN_Q1[actor] else 404
        assert me.get(f"/tasks/{task.id}").status_code == expected, key


def test_an_unknown_task_is_not_found(caller, q1):
    """Is a made-up id answered 404 in JSON, even for an admin?"""
    response = caller("admin").get("/tasks/999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ({"q": "bao cao vien"}, ["VI.1.7"]),
        ({"q": "QUAN TRIET"}, ["VI.4.1", "VI.4.1"]),
        ({"status": "open_overdue"}, ["VI.1.7"]),
        # UBND's VI.2.1 and the three contributions to it
        ({"status": "open_within_deadline", "q": "vi.2"}, ["VI.2.1"] * 4),
    ],
)
def test_the_list_is_searched_and_narrowed_by_deadline_status(app, caller, q1, query, refs):
    """On 20 February only VI.1.7 (due 10 February) is overdue, not VI.2.1 nor its contributions
    (due 10 March); words match without accents."""
    q1("VI.1.7", "BXDD")
    set_clock(app, "2026-02-20T08:00")
    rows = caller("reviewer").get("/tasks", quarter="2026-Q1", **query).get_json()["tasks"]
    assert [row["ref"] for row in rows] == refs


def test_the_list_is_in_plan_order_with_iso_due_times(app, caller, q1):
    """What does one row of the list hold? Within a responsibility the lead's task comes first,
    then the contributions to it (BXDD, CB1, CB2) by unit code."""
    task = q1("VI.1.7", "BXDD")
    set_clock(app, "2026-02-05T08:00")
    rows = caller("reviewer").get("/tasks", quarter="2026-Q1").get_json()["tasks"]
    assert [(row["ref"], row["unit"], row["kind"]) for row in rows] == [
        ("VI.2.1", "UBND", "duty"),
        ("VI.2.1", "BXDD", "contribution"),
        ("VI.2.1", "CB1", "contribution"),
        ("VI.2.1", "CB2", "contribution"),
        ("VI.4.1", "CB1", "duty"),
        ("VI.4.1", "CB2", "duty"),
        ("VI.1.7", "BXDD", "duty"),
    ]
    assert rows[1]["due"] == "2026-03-10T10:00:00+00:00"  # 5 days before VI.2.1's, 17:00
    assert rows[0]["due"] == "2026-03-15T10:00:00+00:00"
    assert rows[-1] == {
        "id": task.id,
        "ref": "VI.1.7",
        "title": "Hội nghị báo cáo viên",
        "kind": "duty",
        "unit": "BXDD",
        "unit_name": "Ban Xây dựng Đảng Đảng ủy Phường",
        "quarter": "2026-Q1",
        "occurrence": None,
        "state": "assigned",
        "due": "2026-02-10T10:00:00+00:00",  # 17:00 in Hà Nội
        "deadline_status": "open_within_deadline",
        "extended": False,
        "version": 1,
    }


def test_the_list_filters_by_quarter_unit_state_and_overdue(
    app, caller, open_tasks, session, stage
):
    """Do the filters narrow the list as their names say?"""
    open_tasks("2026-Q1")
    stage(open_tasks("2026-Q2")("VI.2.1", "UBND"), "in_progress")
    set_clock(app, "2026-03-01T08:00")
    reviewer = caller("reviewer")

    def listed(**params):
        response = reviewer.get("/tasks", **params)
        assert response.status_code == 200, response.get_json()
        return [(t["quarter"], t["ref"], t["unit"]) for t in response.get_json()["tasks"]]

    # Q1: 4 duties and 3 contributions to VI.2.1; Q2: 3 duties and the same 3 contributions
    assert len(listed()) == 13
    assert listed(quarter="2026-q2") == [
        ("2026-Q2", "VI.2.1", "UBND"),
        ("2026-Q2", "VI.2.1", "BXDD"),
        ("2026-Q2", "VI.2.1", "CB1"),
        ("2026-Q2", "VI.2.1", "CB2"),
        ("2026-Q2", "VI.1.5", "BXDD"),
        ("2026-Q2", "VI.2.7", "UBND"),
    ]
    assert listed(unit="UBND", quarter="2026-Q1") == [("2026-Q1", "VI.2.1", "UBND")]
    assert listed(unit="CB1", quarter="2026-Q1") == [
        ("2026-Q1", "VI.2.1", "CB1"),
        ("2026-Q1", "VI.4.1", "CB1"),
    ]
    assert listed(state="in_progress") == [("2026-Q2", "VI.2.1", "UBND")]
    assert listed(overdue="true") == [("2026-Q1", "VI.1.7", "BXDD")]
    assert ("2026-Q1", "VI.1.7", "BXDD") not in listed(overdue="false")
    assert len(listed(overdue="0")) == 12


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"quarter": "2026-Q5"}, "Not a quarter: 2026-Q5. Write it like 2026-Q3."),
        ({"quarter": "Q1"}, "Not a quarter: Q1. Write it like 2026-Q3."),
        ({"unit": "MTTQ"}, "There is no unit MTTQ."),
        (
            {"state": "done"},
            "Unknown state done; use one of: assigned, in_progress, reported, returned, reviewed.",
        ),
        ({"overdue": "yes"}, "overdue is true or false, not yes."),
        ({"unit": ""}, "unit is empty: give a value or leave it out."),
        (
            {"status": "late"},
            "Unknown deadline status late; use one of: completed_on_time, completed_late, "
            "awaiting_review, open_within_deadline, open_overdue.",
        ),
        (
            {"quater": "2026-Q1"},
            "Unknown parameter quater; use: quarter, unit, state, overdue, status, q, offset, "
            "limit.",
        ),
    ],
)
def test_a_bad_filter_is_refused_with_what_to_send_instead(caller, q1, params, message):
    """Is a filter the API does not understand refused (400) rather than ignored?"""
    response = caller("reviewer", locale="en").get("/tasks", **params)
    assert response.status_code == 400
    assert response.get_json() == {"error": {"code": "invalid_input", "message": message}}


def test_every_documented_filter_is_accepted(caller, q1):
    """Does the list accept each query parameter the document names?"""
    examples = {
        "quarter": "2026-Q1",
        "unit": "UBND",
        "state": "assigned",
        "overdue": "false",
        "status": "open_within_deadline",
        "q": "thong tin",
        "offset": "1",
        "limit": "2",
    }
    documented = {p["name"] for p in DOCUMENT["paths"]["/tasks"]["get"]["parameters"]}
    assert documented == set(examples)
    reviewer = caller("reviewer")
    for name, value in examples.items():
        assert reviewer.get("/tasks", **{name: value}).status_code == 200, name


def test_the_list_comes_a_page_at_a_time_with_the_total(caller, q1):
    """Seven tasks in Q1: two from the third, then what is left past the sixth; the default
    page holds them all; every page says how many there are."""
    reviewer = caller("reviewer")
    every = reviewer.get("/tasks", quarter="2026-Q1").get_json()
    assert (every["total"], every["offset"], every["limit"], len(every["tasks"])) == (7, 0, 200, 7)
    page = reviewer.get("/tasks", quarter="2026-Q1", offset="2", limit="2").get_json()
    assert [t["id"] for t in page["tasks"]] == [t["id"] for t in every["tasks"][2:4]]
    assert (page["total"], page["offset"], page["limit"]) == (7, 2, 2)
    last = reviewer.get("/tasks", quarter="2026-Q1", offset="6", limit="5").get_json()
    assert [t["id"] for t in last["tasks"]] == [every["tasks"][6]["id"]]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "limit là số nguyên từ 1 đến 1000, không phải 0."),
        ({"limit": "1001"}, "limit là số nguyên từ 1 đến 1000, không phải 1001."),
        ({"offset": "-1"}, "offset là số nguyên từ 0 trở lên, không phải -1."),
        ({"offset": "hai"}, "offset là số nguyên từ 0 trở lên, không phải hai."),
    ],
)
def test_a_page_out_of_bounds_is_refused_in_the_callers_language(caller, q1, params, message):
    response = caller("reviewer").get("/tasks", **params)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == message


# --- A task in full ------------------------------------------------------------------------------


def test_a_task_comes_with_its_plan_text_units_and_history(caller, q1):
    """What does GET /tasks/<id> hold for a task just opened?"""
    task = q1("VI.2.1", "UBND")
    body = caller("unit_head", "UBND").get(f"/tasks/{task.id}").get_json()
    wording = "Tổ chức cung cấp thông tin chính thống, thống nhất trên Cổng thông tin điện tử."
    assert body["text"] == wording
    assert (body["lead"], body["coordinating"]) == (["UBND"], ["BXDD", "TCD"])
    assert (body["plan"], body["section"], body["state"], body["version"]) == (
        "TN-2026",
        "VI.2",
        "assigned",
        1,
    )
    assert body["reports"] == []
    assert [(h["by"], h["event"], h["from"], h["to"]) for h in body["history"]] == [
        (None, "open", None, "assigned")
    ]


@pytest.mark.parametrize(
    ("actor", "state", "actions"),
    [
        # the head may also give the work to a member and draft its report (phân công); a
        # member not given it may only start it
        ("UBND head", "assigned", ["start", "assign", "save_draft"]),
        ("UBND member", "assigned", ["start"]),
        ("UBND head", "in_progress", ["report", "assign", "save_draft"]),
        ("UBND member", "in_progress", []),
        ("UBND head", "returned", ["start", "report", "assign", "save_draft"]),
        ("reviewer", "reported", ["approve", "return"]),
        ("reviewer", "reviewed", ["reopen"]),
        ("admin", "reviewed", ["reopen"]),
        ("admin", "reported", []),
        ("leader", "reported", []),
        ("BXDD head", "assigned", []),
    ],
)
def test_the_actions_are_what_the_caller_may_do_now(caller, q1, stage, actor, state, actions):
    """Which events does the task offer each role in each state?"""
    task = stage(q1("VI.2.1", "UBND"), state)
    assert caller(*ACTORS[actor]).get(f"/tasks/{task.id}").get_json()["actions"] == actions


# --- Who may do what -----------------------------------------------------------------------------

# The UBND's task VI.2.1, coordinated by BXDD and, through the group TCD, by CB1 and CB2; each
# event is tried from a state it leaves.
MAY_FIRE = {
    #              start report approve return reopen
    "admin": (403, 403, 403, 403, 200),
    "leader": (403, 403, 403, 403, 403),
    "reviewer": (403, 403, 200, 200, 200),
    "UBND head": (200, 200, 403, 403, 403),
    "UBND member": (200, 403, 403, 403, 403),
    "BXDD head": (403, 403, 403, 403, 403),
    "BXDD member": (403, 403, 403, 403, 403),
    "CB1 head": (403, 403, 403, 403, 403),
    "CB2 member": (403, 403, 403, 403, 403),
}
EVENT_CASES = [
    (actor, event, statuses[i])
    for actor, statuses in MAY_FIRE.items()
    for i, event in enumerate(EVENTS)
]


@pytest.mark.parametrize(("actor", "event", "status"), EVENT_CASES)
def test_who_may_fire_which_event(caller, q1, stage, session, actor, event, status):
    """Who may start, report, approve, return or reopen the UBND's task; does a refusal leave
    it as it was?"""
    task = stage(q1("VI.2.1", "UBND"), SOURCE[event])
    before = (task.state, task.version)
    me = caller(*ACTORS[actor])
    response = me.fire(task, event, "Nội dung / lý do")
    assert response.status_code == status, response.get_json()
    reread(session, task)
    if status == 200:
        assert task.state == LEGAL[event, SOURCE[event]] == response.get_json()["state"]
        assert response.get_json()["version"] == task.version == before[1] + 1
        last = response.get_json()["history"][-1]
        assert (last["by"], last["event"], last["from"]) == (me.user.username, event, before[0])
    else:
        assert response.get_json()["error"]["code"] == "not_allowed"
        assert (task.state, task.version) == before


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("actor", ["UBND head", "UBND member", "CB1 head", "CB2 member"])
def test_another_units_task_is_not_found_whatever_the_event(caller, q1, stage, actor, event):
    """Can anyone act on a task they may not see (BXDD's VI.1.7, which nobody coordinates)?"""
    task = stage(q1("VI.1.7", "BXDD"), SOURCE[event])
    response = caller(*ACTORS[actor]).fire(task, event, "Nội dung")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


ILLEGAL = [(e, s) for e in EVENTS for s in PATH_TO if (e, s) not in LEGAL]
ALLOWED_ACTOR = {"start": "UBND head", "report": "UBND head", "approve": "reviewer"}
ALLOWED_ACTOR |= {"return": "reviewer", "reopen": "reviewer"}


@pytest.mark.parametrize(("event", "state"), ILLEGAL)
def test_an_event_the_state_does_not_allow_is_a_conflict(caller, q1, stage, session, event, state):
    """Is an event fired from the wrong state refused with 409 illegal_transition, by someone
    who would otherwise be allowed, and nothing changed?"""
    task = stage(q1("VI.2.1", "UBND"), state)
    before = task.version
    response = caller(*ACTORS[ALLOWED_ACTOR[event]]).fire(task, event, "Nội dung")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "illegal_transition"
    assert (reread(session, task).state, task.version) == (state, before)


def test_a_stale_version_is_a_conflict_in_vietnamese_by_default(caller, q1, session):
    """Two clients read version 1 and both start: does the second learn, in Vietnamese, that
    someone was quicker?"""
    task = q1("VI.2.1", "UBND")
    first, second = caller("unit_head", "UBND"), caller("member", "UBND")
    assert first.fire(task, "start").status_code == 200
    response = second.fire(task, "start")  # task.version is still 1 here
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "stale_version"
    assert error["message"] == "Người khác vừa thay đổi nhiệm vụ này. Hãy tải lại trang và thử lại."
    assert reread(session, task).version == 2


def test_messages_are_in_english_for_a_user_who_reads_english(caller, q1):
    """Does a user whose locale is "en" get refusals in English?"""
    task = q1("VI.2.1", "UBND")
    response = caller("unit_head", "UBND", locale="en").fire(task, "start", version=7)
    assert response.get_json()["error"] == {
        "code": "stale_version",
        "message": "Someone else changed this task in the meantime. Reload it and try again.",
    }


def test_a_missing_reason_is_refused_in_vietnamese(caller, q1, stage, session):
    """Can a reviewer return a report without saying why?"""
    task = stage(q1("VI.2.1", "UBND"), "reported")
    response = caller("reviewer").fire(task, "return", "   ")
    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "invalid_input",
        "message": "Hãy ghi lý do trả lại báo cáo.",
    }
    assert reread(session, task).state == "reported"


# --- Bad input -----------------------------------------------------------------------------------

BAD_BODIES = [
    ("not JSON", "UBND head", "{event: start", "Send a JSON object such as"),
    ("a list", "UBND head", ["start", 1], "Send a JSON object such as"),
    ("no event", "UBND head", {"version": 1}, "Name the event: one of start, report,"),
    ("unknown event", "UBND head", {"event": "finish", "version": 1}, "Unknown event finish;"),
    ("no version", "UBND head", {"event": "start"}, "version must be the task's version"),
    ("version as text", "UBND head", {"event": "start", "version": "1"}, "version must be"),
    ("version as bool", "UBND head", {"event": "start", "version": True}, "version must be"),
    ("version as float", "UBND head", {"event": "start", "version": 1.5}, "version must be"),
    (
        "comment not text",
        "UBND head",
        {"event": "start", "version": 1, "comment": 5},
        "comment must be a string.",
    ),
    (
        "unknown field",
        "reviewer",
        {"event": "return", "version": 1, "reason": "Thiếu ảnh"},
        "Unknown field reason; use: event, version, comment, links, figures, due_date, assignee.",
    ),
    (
        "links on a start",
        "UBND head",
        {"event": "start", "version": 1, "links": ["https://vh.gov.vn"]},
        "links goes with report, save_draft only.",
    ),
    (
        "links not a list",
        "UBND head",
        {"event": "report", "version": 1, "comment": "Đã làm", "links": "https://vh.gov.vn"},
        "links must be a list",
    ),
    (
        "figures by name",
        "UBND head",
        {"event": "report", "version": 1, "comment": "Đã làm", "figures": {"I.2.4": 100}},
        "figures must be an object from target ids to numbers.",
    ),
    (
        "an empty report",
        "UBND head",
        {"event": "report", "version": 1, "comment": " "},
        "Write what was done: the report text is required.",
    ),
    ("a return without reason", "reviewer", {"event": "return", "version": 1}, "Give the reason"),
    ("a reopening without reason", "admin", {"event": "reopen", "version": 1}, "Give the reason"),
]


@pytest.mark.parametrize(
    ("actor", "body", "message"),
    [case[1:] for case in BAD_BODIES],
    ids=[case[0] for case in BAD_BODIES],
)
def test_bad_input_is_refused_and_changes_nothing(caller, q1, session, actor, body, message):
    """Is a malformed or incomplete event refused with 400 and a message saying what is wrong?"""
    task = q1("VI.2.1", "UBND")
    me = caller(*ACTORS[actor], locale="en")
    path = f"/tasks/{task.id}/events"
    if isinstance(body, str):
        response = me.call("POST", path, data=body, content_type="application/json")
    else:
        response = me.call("POST", path, json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input"
    assert message in error["message"]
    assert (reread(session, task).state, task.version) == ("assigned", 1)


def test_a_report_with_a_link_that_is_not_a_web_address_is_undone(caller, q1, stage, session):
    """The link is checked after the state has moved: is the whole report undone, state
    included, when it is refused?"""
    task = stage(q1("VI.2.1", "UBND"), "in_progress")
    response = caller("unit_head", "UBND", locale="en").fire(
        task, "report", "Đã làm", links=["https://vh.gov.vn", "javascript:alert(1)"]
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == (
        "A link must start with http:// or https://: javascript:alert(1)"
    )
    assert (reread(session, task).state, task.first_reported_at) == ("in_progress", None)


# --- Session and CSRF ----------------------------------------------------------------------------


def test_a_session_post_needs_the_csrf_token_a_token_post_does_not(
    sign_in, make_user, client, q1, session, caller
):
    """Can a page of another site make a signed-in browser fire an event? Not without the
    session's CSRF token, which only this site's pages hold; a Bearer client needs none."""
    task = q1("VI.2.1", "UBND")
    browser = Caller(sign_in(make_user("unit_head", "UBND")))
    assert browser.get("/me").status_code == 200
    for headers in ({}, {"X-CSRFToken": "forged"}):
        refused = browser.fire(task, "start", headers=headers)
        assert refused.status_code == 400
        assert refused.get_json()["error"]["code"] == "csrf_failed"
    assert reread(session, task).state == "assigned"
    token = csrf(client.get(f"/tasks/{task.id}").text)
    assert browser.fire(task, "start", headers={"X-CSRFToken": token}).status_code == 200
    reread(session, task)
    assert caller("unit_head", "UBND").fire(task, "report", "Đã làm").status_code == 200


# --- What people write ----------------------------------------------------------------------------


def test_a_report_round_trips_exactly_markup_and_vietnamese_included(caller, q1, stage, session):
    """Does report text come back as the very string sent (JSON is not HTML: nothing escaped,
    nothing lost), with its links?"""
    text = "<script>alert('x')</script> Đã đăng 12 tin bài trên Cổng thông tin điện tử phường"
    task = stage(q1("VI.2.1", "UBND"), "in_progress")
    head = caller("unit_head", "UBND")
    response = head.fire(task, "report", text, links=["https://viethung.gov.vn/tin-bai/57"])
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    for body in (response.get_json(), head.get(f"/tasks/{task.id}").get_json()):
        assert body["reports"][0]["text"] == text
        assert body["reports"][0]["links"] == ["https://viethung.gov.vn/tin-bai/57"]
        assert body["history"][-1]["comment"] == text
        assert body["first_reported_at"] is not None


def test_a_report_carries_the_figures_of_its_targets(caller, q1, stage, session):
    """Can a chi bộ report the figure of the target its task carries (I.2.4, 100%)?"""
    task = stage(q1("VI.4.1", "CB1"), "in_progress")
    target_id = session.exec(select(Target.id).where(Target.ref == "I.2.4")).one()
    session.commit()
    response = caller("unit_head", "CB1").fire(
        task, "report", "Đã thu qua VNeID", figures={str(target_id): 96.5}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["reports"][0]["figures"] == [{"target": "I.2.4", "value": 96.5}]


# --- The document ------------------------------------------------------------------------------


def test_the_document_is_served_as_written(client):
    """Is /api/v1/openapi.json the document these tests check answers against?"""
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == DOCUMENT
    assert response.get_json()["openapi"].startswith("3.0")


def test_every_route_is_documented_with_its_methods_and_nothing_else(app):
    """Does the document list exactly the API's routes, methods and path parameters?"""
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes[document_path(rule), method.lower()] = set(rule.arguments)
    documented = {}
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            parameters = operation.get("parameters", [])
            documented[path, method] = {p["name"] for p in parameters if p["in"] == "path"}
    assert documented == routes


def test_the_schema_check_notices_an_answer_that_drifted(caller):
    """Would these tests notice if the API answered something the document does not say?"""
    me = caller("unit_head", "UBND").get("/me").get_json()
    schema = {"$ref": "#/components/schemas/Me"}
    assert schema_errors(schema, me) == []
    assert schema_errors(schema, {**me, "email": "x@example.vn"}) == ["$.email is not documented"]
    assert schema_errors(schema, {**me, "id": "1"}) == ["$.id is not integer: '1'"]
    assert schema_errors(schema, {**me, "role": "boss"})[0].startswith("$.role='boss' not in")
    assert schema_errors(schema, {k: v for k, v in me.items() if k != "locale"}) == [
        "$.locale is missing"
    ]
    history = {"$ref": "#/components/schemas/HistoryEntry"}
    entry = {"by": None, "at": "2026-03-01T08:00:00+07:00", "event": "open", "from": None}
    assert schema_errors(history, {**entry, "to": "assigned", "comment": ""}) == [
        "$.at='2026-03-01T08:00:00+07:00' is not an ISO 8601 UTC instant"
    ]


def test_an_unknown_path_or_method_under_the_api_is_a_json_error(caller):
    """Does a wrong address or method under /api/ answer JSON rather than an HTML page?"""
    me = caller("unit_head", "UBND")
    not_found = {"code": "not_found", "message": "Trang này không tồn tại"}
    not_here = {"code": "method_not_allowed", "message": "Thao tác này không có ở đây"}
    for method, path, status, error, allowed in (
        ("GET", "/nothing-here", 404, not_found, None),
        ("GET", "/tasks/1/events", 405, not_here, {"POST", "OPTIONS"}),
        ("DELETE", "/me", 405, not_here, {"GET", "HEAD", "OPTIONS"}),
    ):
        response = me.call(method, path)
        assert (response.status_code, response.get_json()) == (status, {"error": error})
        said = response.headers.get("Allow")
        assert (set(said.split(", ")) if said else None) == allowed
        assert response.content_type == "application/json"


# --- Accountability ---------------------------------------------------------------------------


def figures(unit, unit_name, heads=(), **counts) -> dict:
    """One unit's row of the accountability answer: nothing done unless ``counts`` says."""
    return {
        "unit": unit,
        "unit_name": unit_name,
        "heads": list(heads),
        "expected": 1,
        "due": 1,
        "not_yet_due": 0,
        "reported": 0,
        "reporting_rate": 0.0,
        "reported_on_time": 0,
        "completed_on_time": 0,
        "completed_late": 0,
        "awaiting_review": 0,
        "on_time_rate": 0.0,
        "approved": 0,
        "returned": 0,
        "overdue_now": 1,
        "extended": 0,
        "last_activity": None,
    } | counts


@pytest.mark.parametrize("role", ["leader", "reviewer", "admin"])
def test_leaders_reviewers_and_admins_read_the_accountability_figures(
    app, caller, q1, session, role
):
    """On 20 March, UBND reported on 10 March (on time, due the 15th), CB1 on the 17th (late),
    BXDD and CB2 nothing: does the API give each unit's figures, with its head, worst first?
    The contributions to VI.2.1 (due 10 March) are counted apart, never in those figures: BXDD's
    sent on the 9th (on time), CB1's on the 18th (late), CB2's not at all."""
    head = caller("unit_head", "UBND", full_name="Nguyễn Văn An").user
    cb1 = caller("unit_head", "CB1", full_name="Lê Văn Cường").user
    bxdd = caller("unit_head", "BXDD", full_name="Trần Thị Bình").user
    for who, task, day in (
        (bxdd, q1("VI.2.1", "BXDD"), 9),
        (head, q1("VI.2.1", "UBND"), 10),
        (cb1, q1("VI.4.1", "CB1"), 17),
        (cb1, q1("VI.2.1", "CB1"), 18),
    ):
        start_task(session, who, task.id, 1, now=at(f"2026-03-{day:02}T08:00"))
        submit_report(session, who, task.id, 2, "Đã thực hiện", now=at(f"2026-03-{day:02}T09:00"))
        session.commit()
    set_clock(app, "2026-03-20T09:00")  # after the Q1 due day: what is not reported is overdue
    response = caller(role).get("/accountability", quarter="2026-Q1")
    assert response.status_code == 200
    assert response.get_json() == {
        "period": "2026-Q1",
        "units": [
            figures("BXDD", "Ban Xây dựng Đảng", ["Trần Thị Bình"]),
            figures("CB2", "Chi bộ Khu dân cư số 2"),
            figures(
                "CB1",
                "Chi bộ Khu dân cư số 1",
                ["Lê Văn Cường"],
                reported=1,
                reporting_rate=1.0,
                awaiting_review=1,
                overdue_now=0,
                last_activity="2026-03-17T02:00:00+00:00",
            ),
            figures(
                "UBND",
                "UBND Phường",
                ["Nguyễn Văn An"],
                reported=1,
                reporting_rate=1.0,
                reported_on_time=1,
                awaiting_review=1,
                on_time_rate=1.0,
                overdue_now=0,
                last_activity="2026-03-10T02:00:00+00:00",
            ),
        ],
        # VI.2.1 (UBND's) is coordinated by Ban Xây dựng Đảng and the group of both cells: each
        # owes it a contribution
        "roles_apart": [
            roles("BXDD", "Ban Xây dựng Đảng", coordinating=1, contributed_on_time=1),
            roles("CB1", "Chi bộ Khu dân cư số 1", coordinating=1, contributed_late=1),
            roles("CB2", "Chi bộ Khu dân cư số 2", coordinating=1, contributions_overdue=1),
        ],
    }


ROLE_COUNTS = (
    "coordinating",
    "contributed_on_time",
    "contributed_late",
    "contributions_overdue",
    "directs",
    "in_charge",
    "takes_part",
)


def roles(unit: str, name: str, **counts) -> dict:
    """A unit's part in duties it does not lead, as the API gives it: its contributions to what
    it coordinates, and what it directs, is in charge of or takes part in."""
    return {"unit": unit, "unit_name": name, **dict.fromkeys(ROLE_COUNTS, 0), **counts}


@pytest.mark.parametrize(("role", "unit"), [("unit_head", "UBND"), ("member", "CB1")])
def test_unit_heads_and_members_may_not_read_the_accountability_figures(caller, q1, role, unit):
    """Is the organisation's league table kept from the units themselves?"""
    response = caller(role, unit).get("/accountability")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "not_allowed"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"quarter": "2026-Q7"}, "Not a quarter: 2026-Q7. Write it like 2026-Q3."),
        ({"year": "26"}, "Not a year: 26. Write it like 2026."),
        ({"quarter": "2026-Q1", "year": "2026"}, "Give a quarter or a year, not both."),
        ({"plan": "TN-2026"}, "Unknown parameter plan; use: quarter, year, unit."),
        ({"quarter": ""}, "quarter is empty: give a value or leave it out."),
        ({"year": "", "quarter": "2026-Q1"}, "year is empty: give a value or leave it out."),
        (
            {"unit": "UBND", "quarter": "2026-Q1"},
            "A unit's figures are for a year: give year, not quarter.",
        ),
    ],
)
def test_a_bad_period_is_refused(caller, q1, params, message):
    """What does a client sending a wrong period get?"""
    response = caller("leader", locale="en").get("/accountability", **params)
    assert response.status_code == 400
    assert response.get_json() == {"error": {"code": "invalid_input", "message": message}}


def test_a_whole_year_can_be_asked_for(caller, q1):
    """Is ``year=2026`` the whole year? Only Q1 is open: each unit owes its one Q1 task."""
    body = caller("reviewer").get("/accountability", year="2026").get_json()
    assert body["period"] == "2026"
    assert [(u["unit"], u["expected"]) for u in body["units"]] == [
        ("BXDD", 1),
        ("CB1", 1),
        ("CB2", 1),
        ("UBND", 1),
    ]


# --- Deadline extensions through the same events endpoint -------------------------------------

BEFORE_Q1_DUE = "2026-03-10T09:00"  # VI.2.1 of Q1 is due 15/03/2026 17:00 (10:00 UTC)


@pytest.fixture
def extension_case(app, caller, q1):
    """UBND's VI.2.1 on 10 March, its head and a reviewer calling in English."""
    set_clock(app, BEFORE_Q1_DUE)
    task = q1("VI.2.1", "UBND")
    return task, caller("unit_head", "UBND", locale="en"), caller("reviewer", locale="en")


def test_a_unit_head_asks_for_an_extension_and_a_reviewer_grants_it(
    caller, session, extension_case
):
    """ask_extension carries the new day and the reason; the task's state stays, its version
    moves on; the reviewer is offered the decision, and a grant moves the due time."""
    task, head, reviewer = extension_case
    assert "ask_extension" in head.get(f"/tasks/{task.id}").get_json()["actions"]
    response = head.fire(task, "ask_extension", "Chờ số liệu", due_date="2026-03-31")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["state"], body["version"], body["due"]) == (
        "assigned",
        2,
        "2026-03-15T10:00:00+00:00",
    )
    [request] = body["extensions"]
    assert request | {"id": 0, "asked_at": None} == {
        "id": 0,
        "status": "pending",
        "asked_by": head.user.username,
        "asked_at": None,
        "due_when_asked": "2026-03-15T10:00:00+00:00",
        "proposed_due": "2026-03-31T10:00:00+00:00",
        "reason": "Chờ số liệu",
        "decided_by": None,
        "decided_at": None,
        "refusal_reason": None,
    }
    assert body["actions"] == ["start", "assign", "save_draft"]  # no second request waits
    # (the quarter was opened by the real clock, after the 10 March of the app's)
    assert [h["event"] for h in body["history"]] == ["ask_extension", "open"]
    assert body["extensions_allowed"] == 1 and body["extended_from"] is None
    assert body["extended"] is False

    reread(session, task)
    seen = reviewer.get(f"/tasks/{task.id}").get_json()
    assert seen["actions"] == ["grant_extension", "refuse_extension"]
    granted = reviewer.fire(task, "grant_extension").get_json()
    assert (granted["due"], granted["extended_from"]) == (
        "2026-03-31T10:00:00+00:00",
        "2026-03-15T10:00:00+00:00",
    )
    assert granted["extensions"][0]["status"] == "granted"
    assert granted["extensions"][0]["decided_by"] == reviewer.user.username
    assert granted["extended"] is True
    listed = head.get("/tasks", quarter="2026-Q1").get_json()["tasks"]
    assert {row["id"]: row["extended"] for row in listed}[task.id] is True
    assert not any(row["extended"] for row in listed if row["id"] != task.id)
    decision = next(h for h in granted["history"] if h["event"] == "grant_extension")
    assert (decision["by"], decision["from"], decision["to"]) == (
        reviewer.user.username,
        "assigned",
        "assigned",
    )
    assert decision["comment"] == "15/03/2026 17:00 → 31/03/2026 17:00"


EXTENSION_REFUSALS = [
    ("no day", {"comment": "Lý do"}, 400, "invalid_input", "Choose the new due date."),
    (
        "a day that is not a date",
        {"comment": "Lý do", "due_date": "31/03/2026"},
        400,
        "invalid_input",
        "due_date must be a date written YYYY-MM-DD",
    ),
    (
        "no reason",
        {"due_date": "2026-03-31"},
        400,
        "invalid_input",
        "Give the reason for asking for an extension.",
    ),
    (
        "not later",
        {"comment": "Lý do", "due_date": "2026-03-15"},
        400,
        "invalid_input",
        "The new due date must be after the current one, 15/03/2026.",
    ),
    (
        "after the plan",
        {"comment": "Lý do", "due_date": "2027-01-01"},
        400,
        "invalid_input",
        "may not be after the plan ends, on 31/12/2026.",
    ),
]


@pytest.mark.parametrize(
    ("body", "status", "code", "message"),
    [case[1:] for case in EXTENSION_REFUSALS],
    ids=[case[0] for case in EXTENSION_REFUSALS],
)
def test_a_request_for_an_extension_is_refused_in_the_user_s_language(
    session, extension_case, body, status, code, message
):
    task, head, _reviewer = extension_case
    response = head.fire(task, "ask_extension", **body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert message in response.get_json()["error"]["message"]
    assert reread(session, task).version == 1


def test_due_date_goes_with_a_request_only(session, extension_case):
    task, head, _reviewer = extension_case
    response = head.fire(task, "start", due_date="2026-03-31")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "due_date goes with ask_extension only."


def test_the_extension_s_conflicts_are_409_with_codes_of_their_own(app, session, extension_case):
    """One waiting already; a decision on nothing waiting; the due time passed."""
    task, head, reviewer = extension_case
    assert reviewer.fire(task, "refuse_extension", "x").get_json()["error"]["code"] == (
        "already_decided"
    )
    head.fire(task, "ask_extension", "Lý do", due_date="2026-03-31")
    again = head.fire(reread(session, task), "ask_extension", "Lý do", due_date="2026-04-05")
    assert again.status_code == 409
    assert again.get_json()["error"] == {
        "code": "extension_refused",
        "message": "A request for an extension of this task is already waiting for a decision.",
    }
    refused = reviewer.fire(task, "refuse_extension", " ")
    assert refused.status_code == 400
    assert refused.get_json()["error"]["message"] == "Give the reason for refusing the extension."
    assert reviewer.fire(task, "refuse_extension", "Không đủ căn cứ").status_code == 200
    set_clock(app, "2026-03-15T17:01")
    late = head.fire(reread(session, task), "ask_extension", "Lý do", due_date="2026-03-31")
    assert late.status_code == 409
    assert "has passed" in late.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("actor", "event", "status"),
    [
        ("UBND member", "ask_extension", 403),
        ("BXDD head", "ask_extension", 403),
        ("reviewer", "ask_extension", 403),
        ("UBND head", "grant_extension", 403),
        ("admin", "grant_extension", 403),
        ("leader", "refuse_extension", 403),
    ],
)
def test_who_may_ask_and_decide_through_the_api(
    session, caller, extension_case, actor, event, status
):
    task, head, _reviewer = extension_case
    if event != "ask_extension":
        head.fire(task, "ask_extension", "Lý do", due_date="2026-03-31")
        reread(session, task)
    body = {"due_date": "2026-03-31"} if event == "ask_extension" else {}
    response = caller(*ACTORS[actor]).fire(task, event, "Lý do", **body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == "not_allowed"


def test_another_unit_s_task_is_not_found_for_an_extension(app, caller, q1):
    set_clock(app, "2026-02-01T09:00")
    lone = q1("VI.1.7", "BXDD")
    response = caller("unit_head", "UBND").fire(lone, "ask_extension", "x", due_date="2026-02-20")
    assert response.status_code == 404


def test_the_accountability_figures_count_extended_tasks(app, session, caller, extension_case):
    task, head, reviewer = extension_case
    head.fire(task, "ask_extension", "Lý do", due_date="2026-03-31")
    reviewer.fire(reread(session, task), "grant_extension")
    set_clock(app, "2026-04-10T09:00")
    units = caller("leader").get("/accountability", quarter="2026-Q1").get_json()["units"]
    assert {unit["unit"]: unit["extended"] for unit in units} == {
        "BXDD": 0,
        "CB1": 0,
        "CB2": 0,
        "UBND": 1,
    }


# --- Targets -----------------------------------------------------------------------------


def test_the_targets_by_quarter_and_by_unit(app, caller, q1, session):
    """CB1 counted 45 of 50 members paying online, CB2 nothing: on 5 April the ward stands at
    90% of 100% (at risk), CB1 at risk, CB2 missed; a unit head sees only their own line."""
    cb1 = caller("unit_head", "CB1")
    target = session.exec(select(Target).where(Target.ref == "I.2.4")).one()
    enter_figure(
        session,
        cb1.user,
        target.id,
        FigureEntry("2026-Q1", count="45", total="50", source="Sổ thu đảng phí"),
        now=at("2026-04-05T09:00"),
        today=at("2026-04-05T09:00").date(),
    )
    session.commit()
    set_clock(app, "2026-04-05T10:00")
    response = caller("leader").get("/targets", year="2026")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["plan"], body["year"]) == ("TN-2026", 2026)
    (found,) = body["targets"]
    assert {k: found[k] for k in ("ref", "figure", "comparator", "unit_of_measure", "status")} == {
        "ref": "I.2.4",
        "figure": 100.0,
        "comparator": "=",
        "unit_of_measure": "%",
        "status": "not_yet",  # Q2 has begun and nobody reported it yet
    }
    first = found["quarters"][0]
    assert (first["quarter"], first["value"], first["expected"], first["status"]) == (
        "2026-Q1",
        90.0,
        100.0,
        "at_risk",
    )
    assert [
        (u["unit"], u["value"], u["count"], u["total"], u["status"]) for u in first["units"]
    ] == [
        ("CB1", 90.0, 45.0, 50.0, "at_risk"),
        ("CB2", None, None, None, "missed"),
    ]
    own = cb1.get("/targets").get_json()["targets"][0]["quarters"][0]
    assert [u["unit"] for u in own["units"]] == ["CB1"] and own["value"] == 90.0


def test_the_targets_refuse_what_they_do_not_know(caller, q1):
    leader = caller("leader")
    assert leader.get("/targets", year="26").status_code == 400
    assert leader.get("/targets", quarter="2026-Q1").get_json()["error"]["code"] == "invalid_input"
    assert leader.get("/targets", plan="NO-SUCH").status_code == 404
