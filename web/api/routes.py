"""The API's endpoints. A route parses input, calls one service or query, and answers JSON;
refusals travel as exceptions to ``web/api/errors.py``."""

from __future__ import annotations

from flask import jsonify, request
from sqlmodel import Session

from web.api import bp
from web.api.auth import api_user
from web.api.inputs import EventRequest, accountability_period, event_request, task_filters
from web.api.openapi import DOCUMENT
from web.api.schemas import accountability_json, task_json, user_json
from web.database import db_session
from workflow import clock
from workflow.accountability.queries import accountability_by_unit
from workflow.accounts.models import User
from workflow.organisations.models import Organisation, Unit
from workflow.tasks.operations import COMMENTED_ACTIONS, submit_report
from workflow.tasks.queries import list_tasks, task_detail
from workflow.tasks.states import TaskEvent


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
    """The accountability figures by unit for a quarter or a year (leaders, reviewers, admins)."""
    session, user = db_session(), api_user()
    organisation = session.get(Organisation, user.organisation_id)
    period = accountability_period(request.args)
    rows = accountability_by_unit(session, organisation, period, clock.now(), viewer=user)
    return jsonify(accountability_json(period, rows))


@bp.get("/tasks")
def tasks():
    """The tasks the caller may see, filtered by quarter, unit, state and overdue."""
    session, user = db_session(), api_user()
    organisation = session.get(Organisation, user.organisation_id)
    filters = task_filters(request.args, session, organisation)
    rows = list_tasks(session, organisation, clock.now(), viewer=user, **filters)
    return jsonify({"tasks": [row.as_json() for row in rows]})


@bp.get("/tasks/<int:task_id>")
def task(task_id: int):
    session, user = db_session(), api_user()
    return jsonify(task_json(task_detail(session, user, task_id), user, clock.now()))


@bp.post("/tasks/<int:task_id>/events")
def fire_event(task_id: int):
    """Fire one event; the answer is the task as it now stands."""
    wanted = event_request(request.get_json(force=True, silent=True))
    session, user = db_session(), api_user()
    _perform(wanted, session, user, task_id)
    return jsonify(task_json(task_detail(session, user, task_id), user, clock.now()))


def _perform(wanted: EventRequest, session: Session, user: User, task_id: int) -> None:
    """Call the one service behind the event."""
    if wanted.event is TaskEvent.REPORT:
        submit_report(
            session,
            user,
            task_id,
            wanted.version,
            wanted.comment,
            links=wanted.links,
            figures=wanted.figures,
        )
        return
    service = COMMENTED_ACTIONS[wanted.event]
    service(session, user, task_id, wanted.version, wanted.comment)
