"""The OpenAPI 3.0 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Written by hand, from the same enums the engine uses, so it can say what the code cannot: who
may do what, and why a request is refused. The tests check it against the registered routes
and check every answer they receive against the schema documented for it.
"""

from __future__ import annotations

from web.api.inputs import MAX_PAGE_SIZE, ONLY_WITH, PAGE_SIZE
from workflow.accountability.grading import Grade
from workflow.accountability.year import RATES, YEAR_ROWS
from workflow.accounts.roles import Role
from workflow.targets.status import TargetStatus
from workflow.tasks.deadlines import DeadlineStatus
from workflow.tasks.states import (
    OPENED,
    RESCHEDULED,
    ExtensionStatus,
    TaskEvent,
    TaskKind,
    TaskState,
)

QUARTER_PATTERN = r"^\d{4}-Q[1-4]$"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    """An object with exactly these properties, all required unless said otherwise."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
        "additionalProperties": False,
        **extra,
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
INSTANT = {"type": "string", "format": "date-time", "description": "ISO 8601, UTC"}
STATE = {"type": "string", "enum": [s.value for s in TaskState]}
EVENT = {"type": "string", "enum": [e.value for e in TaskEvent]}


def nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"allOf": [schema], "nullable": True}
    return {**schema, "nullable": True}


TASK_SUMMARY = {
    "id": INTEGER,
    "ref": {**STRING, "description": "The responsibility's number in the plan, e.g. VI.2.1"},
    "title": STRING,
    "kind": {
        "type": "string",
        "enum": [k.value for k in TaskKind],
        "description": "duty: the unit leads it; contribution: a coordinating unit's part in "
        "a duty another unit leads, due before it and taken in by the lead's head; "
        "explanation: asked about a target off track",
    },
    "unit": {**STRING, "description": "The code of the unit that owes the task"},
    "unit_name": STRING,
    "quarter": {**STRING, "pattern": QUARTER_PATTERN},
    "occurrence": nullable({**STRING, "description": "The phase (đợt), when there are several"}),
    "state": STATE,
    "due": INSTANT,
    "deadline_status": {"type": "string", "enum": [d.value for d in DeadlineStatus]},
    "extended": {
        "type": "boolean",
        "description": "Its due date was moved by an extension granted (gia hạn): ``due`` is "
        "the new one, ``deadline_status`` counts against it",
    },
    "version": {**INTEGER, "description": "Send it back with an event: a stale one is refused"},
}

NUMBER = {"type": "number"}
TARGET_STATUS = {
    "type": "string",
    "enum": [s.value for s in TargetStatus],
    "description": "on_track (green), at_risk (amber), missed (red), not_yet: nothing reported "
    "for a quarter still running; the rules: workflow/targets/status.py",
}

EVENT_FIELD_SCHEMAS = {
    "version": {**INTEGER, "description": "The version of the task as last read"},
    "comment": {
        **STRING,
        "description": "The report's text for report, the draft's for save_draft; the reason, "
        "required, for return, reopen, ask_extension and refuse_extension; optional otherwise",
    },
    "links": {
        "type": "array",
        "items": {**STRING, "format": "uri"},
        "description": "http:// or https:// addresses of evidence",
    },
    "figures": {
        "type": "object",
        "additionalProperties": {"type": "number"},
        "description": "Figures reached, by target id",
    },
    "due_date": {
        "type": "string",
        "format": "date",
        "description": "Required: the new due day, YYYY-MM-DD; the task is then due that day at "
        "the hour it is due now",
    },
    "assignee": nullable(
        {
            **STRING,
            "maxLength": 64,
            "description": "The user name of the member of the task's unit who does the work "
            "(phân công); null or empty: its head again",
        }
    ),
}


def _events_by_fields() -> list[tuple[TaskEvent, ...]]:
    """The events grouped by the fields they take, as ``web.api.inputs.ONLY_WITH`` says."""
    groups: dict[tuple[str, ...], list[TaskEvent]] = {}
    for event in TaskEvent:
        groups.setdefault(fields_of(event), []).append(event)
    return [tuple(events) for events in groups.values()]


def fields_of(event: TaskEvent) -> tuple[str, ...]:
    return tuple(name for name, events in ONLY_WITH.items() if event in events)


def event_request(events: tuple[TaskEvent, ...]) -> dict:
    """The body of one group of events: each takes exactly these fields."""
    properties = {"event": {"type": "string", "enum": [e.value for e in events]}}
    properties |= {name: EVENT_FIELD_SCHEMAS[name] for name in ("version", "comment")}
    properties |= {name: EVENT_FIELD_SCHEMAS[name] for name in fields_of(events[0])}
    required = ["event", "version"] + [name for name in properties if name == "due_date"]
    return obj(properties, required=required)


EVENTS_BY_FIELDS = _events_by_fields()

SCHEMAS = {
    "Error": obj(
        {
            "error": obj(
                {
                    "code": {
                        **STRING,
                        "description": "Stable, for programs: e.g. invalid_input, "
                        "unauthenticated, csrf_failed, not_allowed, not_found, "
                        "illegal_transition, stale_version; for an extension also "
                        "extension_refused (one waits already, the plan's limit is reached, "
                        "the due time has passed) and already_decided",
                    },
                    "message": {**STRING, "description": "For people, in the user's language"},
                }
            )
        }
    ),
    "Unit": obj({"code": STRING, "name": STRING}),
    "Me": obj(
        {
            "id": INTEGER,
            "username": STRING,
            "full_name": STRING,
            "role": {"type": "string", "enum": [r.value for r in Role]},
            "unit": nullable(ref("Unit")),
            "locale": {**STRING, "description": "The language of messages: vi or en"},
        }
    ),
    "TaskSummary": obj(TASK_SUMMARY),
    "TaskList": obj(
        {
            "tasks": {"type": "array", "items": ref("TaskSummary")},
            "total": {**INTEGER, "description": "How many tasks match, on every page"},
            "offset": INTEGER,
            "limit": INTEGER,
        }
    ),
    "Targets": obj(
        {
            "plan": nullable({**STRING, "description": "The plan's code; null: none has targets"}),
            "year": INTEGER,
            "targets": {
                "type": "array",
                "items": obj(
                    {
                        "ref": STRING,
                        "title": STRING,
                        "figure": NUMBER,
                        "comparator": {"type": "string", "enum": ["=", ">", ">=", "<", "<="]},
                        "unit_of_measure": STRING,
                        "baseline": nullable(NUMBER),
                        "status": nullable({**TARGET_STATUS, "description": "latest quarter's"}),
                        "quarters": {
                            "type": "array",
                            "description": "The plan's quarters of the year begun so far",
                            "items": obj(
                                {
                                    "quarter": {**STRING, "pattern": QUARTER_PATTERN},
                                    "value": nullable({**NUMBER, "description": "the ward's"}),
                                    "expected": {**NUMBER, "description": "by quarter's end"},
                                    "status": TARGET_STATUS,
                                    "units": {
                                        "type": "array",
                                        "description": "Every reporting unit (a unit head: "
                                        "their own)",
                                        "items": obj(
                                            {
                                                "unit": STRING,
                                                "unit_name": STRING,
                                                "value": nullable(NUMBER),
                                                "count": nullable(NUMBER),
                                                "total": nullable(NUMBER),
                                                "source": STRING,
                                                "with_report": {"type": "boolean"},
                                                "approved": {"type": "boolean"},
                                                "status": TARGET_STATUS,
                                            }
                                        ),
                                    },
                                }
                            ),
                        },
                        "explanations": {
                            "type": "array",
                            "items": obj(
                                {
                                    "task_id": INTEGER,
                                    "quarter": {**STRING, "pattern": QUARTER_PATTERN},
                                    "state": STATE,
                                    "due": INSTANT,
                                }
                            ),
                        },
                    }
                ),
            },
        }
    ),
    "Accountability": obj(
        {
            "period": {**STRING, "description": "2026-Q1, or a year: 2026"},
            "units": {
                "type": "array",
                "description": "One entry per unit that owes tasks in the period, worst first",
                "items": obj(
                    {
                        "unit": STRING,
                        "unit_name": STRING,
                        "heads": {"type": "array", "items": STRING},
                        "expected": {**INTEGER, "description": "every task owed, due or not"},
                        "due": {
                            **INTEGER,
                            "description": "past the due time or reported: what rates count",
                        },
                        "not_yet_due": INTEGER,
                        "reported": INTEGER,
                        "reported_on_time": INTEGER,
                        "completed_on_time": INTEGER,
                        "completed_late": INTEGER,
                        "awaiting_review": INTEGER,
                        "reporting_rate": nullable(
                            {"type": "number", "description": "reported / due; null: none due"}
                        ),
                        "on_time_rate": nullable(
                            {"type": "number", "description": "reported on time / due"}
                        ),
                        "approved": INTEGER,
                        "returned": {
                            **INTEGER,
                            "description": "tasks whose report was returned at least once",
                        },
                        "overdue_now": INTEGER,
                        "extended": {
                            **INTEGER,
                            "description": "tasks whose due date was extended at least once "
                            "(gia hạn); on time is judged against the date granted",
                        },
                        "last_activity": nullable(INSTANT),
                    },
                    [
                        "unit",
                        "unit_name",
                        "heads",
                        "expected",
                        "due",
                        "not_yet_due",
                        "reported",
                        "reported_on_time",
                        "completed_on_time",
                        "completed_late",
                        "awaiting_review",
                        "reporting_rate",
                        "on_time_rate",
                        "approved",
                        "returned",
                        "overdue_now",
                        "extended",
                        "last_activity",
                    ],
                ),
            },
            "roles_apart": {
                "type": "array",
                "description": "Each unit's part in the period's duties it does not lead, "
                "counted apart from what it owes as the lead: its contributions as a "
                "coordinating unit (owed, sent on time, sent late, not sent and overdue), and "
                "the duties it directs, is in overall charge of or takes part in",
                "items": obj(
                    {
                        "unit": STRING,
                        "unit_name": STRING,
                        "coordinating": INTEGER,
                        "contributed_on_time": INTEGER,
                        "contributed_late": INTEGER,
                        "contributions_overdue": INTEGER,
                        "directs": INTEGER,
                        "in_charge": INTEGER,
                        "takes_part": INTEGER,
                    },
                    [
                        "unit",
                        "unit_name",
                        "coordinating",
                        "contributed_on_time",
                        "contributed_late",
                        "contributions_overdue",
                        "directs",
                        "in_charge",
                        "takes_part",
                    ],
                ),
            },
        },
        ["period", "units", "roles_apart"],
    ),
    "YearFigures": obj(
        {key: (nullable(NUMBER) if key in RATES else INTEGER) for key, _label in YEAR_ROWS},
        description="What a unit (or one head of it) answers for in a year: the duties it "
        "leads, the explanations asked of it, its contributions as a coordinating unit, its "
        "target figures; a rate is null with nothing behind it",
    ),
    "UnitYear": obj(
        {
            "unit": STRING,
            "unit_name": STRING,
            "year": INTEGER,
            "figures": ref("YearFigures"),
            "heads": {
                "type": "array",
                "description": "Each head's part: the tasks that fell due during their term "
                "(name null: while the unit had no head)",
                "items": obj(
                    {
                        "name": nullable(STRING),
                        "from": nullable(INSTANT),
                        "to": nullable(INSTANT),
                        "figures": ref("YearFigures"),
                    }
                ),
            },
            "returns": {
                "type": "array",
                "items": obj(
                    {
                        "ref": STRING,
                        "quarter": STRING,
                        "due": INSTANT,
                        "at": INSTANT,
                        "reason": STRING,
                    }
                ),
            },
            "targets": {
                "type": "array",
                "items": obj({"ref": STRING, "quarter": STRING, "status": TARGET_STATUS}),
            },
            "proposed_grade": nullable({"type": "string", "enum": [g.value for g in Grade]}),
            "confirmed_grade": nullable(
                obj(
                    {
                        "grade": {"type": "string", "enum": [g.value for g in Grade]},
                        "proposed": nullable(STRING),
                        "note": STRING,
                        "by": STRING,
                        "at": INSTANT,
                    }
                )
            ),
        }
    ),
    "Figure": obj({"target": STRING, "value": {"type": "number"}}),
    "File": obj({"filename": STRING, "content_type": STRING, "size": INTEGER}),
    "Report": obj(
        {
            "id": INTEGER,
            "submitted_at": INSTANT,
            "text": STRING,
            "links": {"type": "array", "items": STRING},
            "figures": {"type": "array", "items": ref("Figure")},
            "files": {"type": "array", "items": ref("File")},
        }
    ),
    "Extension": obj(
        {
            "id": INTEGER,
            "status": {"type": "string", "enum": [s.value for s in ExtensionStatus]},
            "asked_by": {**STRING, "description": "User name of the unit head who asked"},
            "asked_at": INSTANT,
            "due_when_asked": INSTANT,
            "proposed_due": {**INSTANT, "description": "The due time asked for (ISO 8601, UTC)"},
            "reason": STRING,
            "decided_by": nullable({**STRING, "description": "User name; null while pending"}),
            "decided_at": nullable(INSTANT),
            "refusal_reason": nullable(STRING),
        }
    ),
    "HistoryEntry": obj(
        {
            "by": nullable({**STRING, "description": "User name; null for the system"}),
            "at": INSTANT,
            "event": {
                "type": "string",
                "enum": [OPENED, RESCHEDULED, *(e.value for e in TaskEvent)],
            },
            "from": nullable(STATE),
            "to": STATE,
            "comment": {
                **STRING,
                "description": "For the extension's events: the due times from and to "
                "(dd/mm/yyyy HH:MM, local), then the reason given, on the next line",
            },
        }
    ),
    "Task": obj(
        {
            **TASK_SUMMARY,
            "plan": STRING,
            "section": STRING,
            "text": {**STRING, "description": "The responsibility as the plan words it"},
            "result": nullable(STRING),
            "lead": {"type": "array", "items": STRING},
            "coordinating": {"type": "array", "items": STRING},
            "directs": {"type": "array", "items": STRING, "description": "chỉ đạo"},
            "in_charge": {"type": "array", "items": STRING, "description": "phụ trách chung"},
            "takes_part": {"type": "array", "items": STRING, "description": "tham gia"},
            "due_approximate": {
                "type": "boolean",
                "description": "The plan gives only a month: due at its end, approximately",
            },
            "first_reported_at": nullable(INSTANT),
            "reviewed_at": nullable(INSTANT),
            "actions": {
                "type": "array",
                "items": EVENT,
                "description": "The events the caller may fire now",
            },
            "extended_from": nullable(
                {**INSTANT, "description": "The due time before the first extension granted"}
            ),
            "extensions_allowed": {
                **INTEGER,
                "description": "How many extensions the task's plan allows",
            },
            "contributions": {
                "type": "array",
                "description": "A duty's contributions owed by its coordinating units (phối "
                "hợp), each a task of its own, due before the duty",
                "items": obj(
                    {
                        "task": INTEGER,
                        "unit": STRING,
                        "state": STATE,
                        "due": INSTANT,
                        "deadline_status": {
                            "type": "string",
                            "enum": [d.value for d in DeadlineStatus],
                        },
                        "sent_at": nullable(INSTANT),
                        "late": {"type": "boolean"},
                    }
                ),
            },
            "contributes_to": {
                "type": "array",
                "items": INTEGER,
                "description": "A contribution's lead tasks (ids), one per lead unit",
            },
            "assignee": nullable(
                {**STRING, "description": "The member the unit's head assigned it to"}
            ),
            "draft": nullable(
                obj(
                    {
                        "text": STRING,
                        "links": {"type": "array", "items": STRING},
                        "saved_at": INSTANT,
                        "author": STRING,
                    },
                    description="The report its member is drafting, for the head to send",
                )
            ),
            "extensions": {
                "type": "array",
                "items": ref("Extension"),
                "description": "Requests for an extension (đề nghị gia hạn), oldest first",
            },
            "reports": {"type": "array", "items": ref("Report")},
            "history": {
                "type": "array",
                "items": ref("HistoryEntry"),
                "description": "Oldest first",
            },
        }
    ),
    "EventRequest": {
        "oneOf": [event_request(events) for events in EVENTS_BY_FIELDS],
        "description": "The fields an event takes: links and figures go with report only "
        "(links also with save_draft), due_date with ask_extension, assignee with assign",
    },
}


def error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


RESPONSES = {
    "BadRequest": error_response("Malformed input, or (session only) no CSRF token"),
    "Unauthenticated": error_response("No credentials, or an unknown or revoked token"),
    "NotAllowed": error_response("The caller's role or unit does not allow this"),
    "NotFound": error_response("No such task, or the caller may not see it"),
    "Conflict": error_response(
        "illegal_transition: not from the task's state; stale_version: reload and try again; "
        "extension_refused: no extension may be asked for (or granted) now; already_decided: "
        "no request for an extension is waiting"
    ),
}


def ok(schema: str, links: dict | None = None) -> dict:
    response = {"description": "OK", "content": {"application/json": {"schema": ref(schema)}}}
    return response | {"links": links} if links else response


def task_links(task: str) -> dict:
    """How a client goes on from an answer holding a task at ``task`` (a JSON pointer): read it,
    or fire an event with the version just read (a whole task also says which event: the first
    the caller may fire). Clients follow them, and so does the stateful fuzzing in
    ``tests/web/test_api_fuzz.py``."""
    body = {"version": f"$response.body#{task}/version"}
    if not task:
        body["event"] = "$response.body#/actions/0"
    task_id = {"task_id": f"$response.body#{task}/id"}
    return {
        "GetTask": {"operationId": "getTask", "parameters": task_id},
        "FireEvent": {"operationId": "fireEvent", "parameters": task_id, "requestBody": body},
    }


def refusals(*names: str) -> dict:
    status = {"BadRequest": "400", "Unauthenticated": "401", "NotAllowed": "403"}
    status |= {"NotFound": "404", "Conflict": "409"}
    return {status[name]: {"$ref": f"#/components/responses/{name}"} for name in names}


TASK_ID = {"name": "task_id", "in": "path", "required": True, "schema": INTEGER}


def query(name: str, schema: dict, description: str) -> dict:
    """An optional query parameter: left out, or given a value (an empty one is refused)."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "allowEmptyValue": False,
        "schema": {**schema, "minLength": 1} if schema.get("type") == "string" else schema,
        "description": description,
    }


PATHS = {
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {
                "200": {"description": "OpenAPI 3.0", "content": {"application/json": {}}}
            },
        }
    },
    "/me": {
        "get": {
            "operationId": "me",
            "summary": "The signed-in user",
            "responses": {"200": ok("Me"), **refusals("Unauthenticated")},
        }
    },
    "/accountability": {
        "get": {
            "operationId": "accountability",
            "summary": "Accountability by unit head: leaders, reviewers and admins",
            "parameters": [
                query(
                    "quarter",
                    {**STRING, "pattern": QUARTER_PATTERN},
                    "e.g. 2026-Q3; the current quarter when neither quarter nor year is given",
                ),
                query(
                    "year",
                    {**STRING, "pattern": r"^\d{4}$"},
                    "a whole year, e.g. 2026; not with quarter (400)",
                ),
                query(
                    "unit",
                    STRING,
                    "A unit's code: that unit's year (with year, not quarter) as its year page "
                    "shows it, for the ward-wide roles and the unit's head",
                ),
            ],
            "responses": {
                "200": {
                    "description": "By unit; with unit, that unit's year",
                    "content": {
                        "application/json": {
                            "schema": {"oneOf": [ref("Accountability"), ref("UnitYear")]}
                        }
                    },
                },
                **refusals("BadRequest", "Unauthenticated", "NotAllowed"),
            },
        }
    },
    "/targets": {
        "get": {
            "operationId": "targets",
            "summary": "The plan's targets by quarter and by unit, with their status",
            "parameters": [
                query("plan", STRING, "A plan's code; the latest plan with targets by default"),
                query("year", {**STRING, "pattern": r"^\d{4}$"}, "e.g. 2026; this year by default"),
            ],
            "responses": {
                "200": ok("Targets"),
                **refusals("BadRequest", "Unauthenticated", "NotFound"),
            },
        }
    },
    "/tasks": {
        "get": {
            "operationId": "listTasks",
            "summary": "The tasks the caller may see, in plan order",
            "parameters": [
                query("quarter", {**STRING, "pattern": QUARTER_PATTERN}, "e.g. 2026-Q3"),
                query("unit", STRING, "A unit code"),
                query("state", STATE, "Only tasks in this state"),
                query("overdue", {"type": "boolean"}, "true: only overdue; false: none overdue"),
                query(
                    "status",
                    {"type": "string", "enum": [d.value for d in DeadlineStatus]},
                    "Only tasks at this deadline status",
                ),
                query("q", STRING, "Words of the ref or title, accents optional"),
                query("offset", {"type": "integer", "minimum": 0}, "Skip this many (default 0)"),
                query(
                    "limit",
                    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                    f"At most this many (default {PAGE_SIZE})",
                ),
            ],
            "responses": {
                "200": ok("TaskList", task_links("/tasks/0")),
                **refusals("BadRequest", "Unauthenticated"),
            },
        }
    },
    "/tasks/{task_id}": {
        "get": {
            "operationId": "getTask",
            "summary": "A task with its reports, history and the caller's possible events",
            "parameters": [TASK_ID],
            "responses": {
                "200": ok("Task", task_links("")),
                **refusals("Unauthenticated", "NotFound"),
            },
        }
    },
    "/tasks/{task_id}/events": {
        "post": {
            "operationId": "fireEvent",
            "summary": "Start, report, approve, return or reopen a task; ask for, grant or "
            "refuse an extension of its due date",
            "description": "Unit heads and members start their unit's tasks; unit heads report; "
            "reviewers approve and return; reviewers and admins reopen. A unit head asks for "
            "an extension of their unit's open task before its due time has passed "
            "(ask_extension, with due_date and the reason as comment), at most as many times "
            "as the plan allows and one request at a time; a reviewer grants it "
            "(grant_extension: the task is then due at the time asked for) or refuses it "
            "(refuse_extension, the reason as comment). The extension's events do not change "
            "the task's state. A browser session must send its CSRF token in X-CSRFToken; a "
            "Bearer token needs none.",
            "parameters": [TASK_ID],
            "security": [{"bearerAuth": []}, {"sessionCookie": [], "csrfToken": []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("EventRequest")}},
            },
            "responses": {
                "200": ok("Task", task_links("")),
                **refusals("BadRequest", "Unauthenticated", "NotAllowed", "NotFound", "Conflict"),
            },
        }
    },
}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "Giao Việc API",
        "version": "1",
        "description": "Tasks of a ward's plan and their workflow. Errors are "
        '{"error": {"code", "message"}}, the message in the user\'s language.',
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}, {"sessionCookie": []}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": RESPONSES,
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A token from: giaoviec user token USERNAME",
            },
            "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
            "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
        },
    },
}
