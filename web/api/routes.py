"""The API's endpoints. A route parses input, calls one service or query, and answers JSON;
refusals travel as exceptions to ``web/api/errors.py``."""

from __future__ import annotations

from flask import jsonify, request

from web.actions import act_on_task
from web.api import bp
from web.api.auth import api_user
from web.api.inputs import (
    accountability_period,
    event_request,
    page_request,
    targets_request,
    task_filters,
)
from web.api.openapi import DOCUMENT
from web.api.schemas import (
    accountability_json,
    targets_json,
    task_json,
    unit_year_json,
    user_json,
)
from web.clock import app_clock
from web.database import db_session
from workflow.accountability.queries import accountability_by_unit, roles_apart
from workflow.accountability.year import unit_year
from workflow.organisations.models import Unit
from workflow.organisations.queries import find_unit, organisation_of
from workflow.targets.queries import plan_targets
from workflow.tasks.queries import count_tasks, list_tasks, task_detail


@bp.get("/openapi.json")
def openapi():
    """This API described for clients and code generators; public, like any documentation."""
    return jsonify(DOCUMENT)


@bp.get("/me")
def me():
    user = api_user()
    unit = db_session().get(Unit, user.unit_id) if user.unit_id is not None else None
    return jsonify(user_json(user, unit))


@bp.get("/accountability")
def accountability():
    """The accountability figures by unit for a quarter or a year (leaders, reviewers, admins);
    with ``unit``, that unit's year as its year page shows it (its head may ask too)."""
    session, user, clock = db_session(), api_user(), app_clock()
    period = accountability_period(request.args, clock.today())
    organisation = organisation_of(session, user)
    if request.args.get("unit"):
        unit = find_unit(session, organisation, request.args["unit"])
        return jsonify(
            unit_year_json(unit_year(session, organisation, unit, period, clock, viewer=user))
        )
    rows = accountability_by_unit(session, organisation, period, clock.now(), viewer=user)
    roles = roles_apart(session, organisation, period, clock.now(), viewer=user)
    return jsonify(accountability_json(period, rows, roles))


@bp.get("/targets")
def targets():
    """The plan's targets quarter by quarter: the ward's figure and status, and the units'."""
    session, user, today = db_session(), api_user(), app_clock().today()
    plan_code, year = targets_request(request.args, today)
    found = plan_targets(session, user, today, plan_code, year)
    return jsonify(targets_json(found, year))


@bp.get("/tasks")
def tasks():
    """The tasks the caller may see, filtered by quarter, unit, state and overdue, a page at a
    time (``offset``, ``limit``) with how many there are in all."""
    session, user, now = db_session(), api_user(), app_clock().now()
    organisation = organisation_of(session, user)
    filters = task_filters(request.args, session, organisation)
    offset, limit = page_request(request.args)
    rows = list_tasks(
        session, organisation, now, viewer=user, offset=offset, limit=limit, **filters
    )
    total = count_tasks(session, organisation, now, viewer=user, **filters)
    return jsonify(
        {
            "tasks": [row.as_json() for row in rows],
            "total": total,
            "offset": offset,
            "limit": limit,
        }
    )


@bp.get("/tasks/<int:task_id>")
def task(task_id: int):
    session, user = db_session(), api_user()
    clock = app_clock()
    return jsonify(task_json(task_detail(session, user, task_id, clock.now()), user, clock))


@bp.post("/tasks/<int:task_id>/events")
def fire_event(task_id: int):
    """Fire one event; the answer is the task as it now stands."""
    wanted = event_request(request.get_json(force=True, silent=True))
    user = api_user()
    act_on_task(user, task_id, wanted)
    clock = app_clock()
    return jsonify(task_json(task_detail(db_session(), user, task_id, clock.now()), user, clock))
