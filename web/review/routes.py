"""The review queue: reported tasks with their evidence, approved or returned from one page.

A refusal shows the queue again with the message, the reason typed and the selection ticked,
and the request's transaction is rolled back (status 4xx): nothing half-done is kept.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from web.database import db_session
from web.errors import FORM_STATUS, status_of
from web.i18n import error_message
from web.review import bp
from workflow import clock
from workflow.errors import (
    NotFound,
    WorkflowError,
)
from workflow.tasks.operations import approve_report, return_report
from workflow.tasks.review import approve_reports, queue_choices, review_queue
from workflow.tasks.states import TaskEvent

FILTERS = ("quarter", "unit", "section")
DECISIONS = {TaskEvent.APPROVE: approve_report, TaskEvent.RETURN: return_report}
# In a selection a task that went away since the page was loaded is a conflict, not a 404.
REFUSAL_STATUS = {**FORM_STATUS, NotFound: 409}


@bp.route("/")
@login_required
def queue():
    """Every reported task, oldest report first, narrowed by ``?quarter=&unit=&section=``."""
    return _render_queue()


@bp.route("/tasks/<int:task_id>/<event>", methods=["POST"])
@login_required
def decide(task_id: int, event: str):
    """Approve one report, or return it with a reason, and come back to the queue."""
    try:
        event = TaskEvent(event)
        decision = DECISIONS[event]
        version = int(request.form.get("version", ""))
    except (ValueError, KeyError):
        abort(400)
    try:
        decision(db_session(), current_user.user, task_id, version, request.form.get("comment", ""))
    except NotFound:
        abort(404)
    except WorkflowError as error:
        flash(error_message(error), "error")
        typed = {task_id: request.form.get("comment", "")}
        return _render_queue(typed=typed, status=status_of(error, REFUSAL_STATUS))
    flash(gettext("Done: %(event)s.", event=gettext(event.label)), "success")
    return redirect(url_for("review.queue", **_filters()), 303)


@bp.route("/approve", methods=["POST"])
@login_required
def approve_selected():
    """Approve every ticked report at once: all of them, or none and say which one failed."""
    try:
        items = [_ticked(value) for value in request.form.getlist("task")]
    except ValueError:
        abort(400)
    comment = request.form.get("comment", "")
    try:
        approved = approve_reports(db_session(), current_user.user, items, comment)
    except WorkflowError as error:
        flash(error_message(error), "error")
        return _render_queue(
            selected={task_id for task_id, _version in items},
            bulk_comment=comment,
            status=status_of(error, REFUSAL_STATUS),
        )
    flash(gettext("Approved: %(count)s reports.", count=len(approved)), "success")
    return redirect(url_for("review.queue", **_filters()), 303)


def _ticked(value: str) -> tuple[int, int]:
    """A ticked box: ``task id:version``."""
    task_id, _colon, version = value.partition(":")
    return int(task_id), int(version)


def _filters() -> dict[str, str]:
    """The filters of the query string that are set."""
    return {name: request.args[name] for name in FILTERS if request.args.get(name)}


def _render_queue(typed=None, selected=frozenset(), bulk_comment: str = "", status: int = 200):
    user, session, now = current_user.user, db_session(), clock.now()
    filters = _filters()
    items = review_queue(
        session,
        user,
        now,
        quarter=filters.get("quarter"),
        unit_code=filters.get("unit"),
        section=filters.get("section"),
    )
    return render_template(
        "review/queue.html",
        items=items,
        choices=queue_choices(session, user),
        filters=filters,
        typed=typed or {},
        selected=selected,
        bulk_comment=bulk_comment,
        may_approve=any(TaskEvent.APPROVE in item.actions for item in items),
        now=now,
    ), status
