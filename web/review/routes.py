"""The review queue: reported tasks with their evidence, approved or returned from one page.

A refusal shows the queue again with the message, the reason typed and the selection ticked;
the refused action was rolled back before the queue is read again (``web.actions``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from web.actions import TaskAction, act_on_task, perform
from web.clock import app_clock
from web.database import db_session
from web.errors import status_of
from web.i18n import error_message
from web.periods import parse_quarter
from web.review import bp
from web.review.forms import BulkApproveForm, DecisionForm
from workflow.errors import WorkflowError
from workflow.tasks.review import approve_reports, queue_choices, review_queue
from workflow.tasks.states import TaskEvent

FILTERS = ("quarter", "unit", "section")
DECISIONS = (TaskEvent.APPROVE, TaskEvent.RETURN)


@bp.route("/")
@login_required
def queue():
    """Every reported task, oldest report first, narrowed by ``?quarter=&unit=&section=``."""
    return _render_queue()


@bp.route("/tasks/<int:task_id>/<event>", methods=["POST"])
@login_required
def decide(task_id: int, event: str):
    """Approve one report, or return it with a reason, and come back to the queue."""
    if event not in DECISIONS:
        abort(400)
    event = TaskEvent(event)
    form = DecisionForm()
    if not form.validate():
        abort(400)
    try:
        act_on_task(
            current_user.user, task_id, TaskAction(event, form.version.data, form.comment.data)
        )
    except WorkflowError as error:
        flash(error_message(error), "error")
        typed = {task_id: form.comment.data}
        return _render_queue(typed=typed, status=status_of(error, form=True))
    flash(gettext("Done: %(event)s.", event=gettext(event.label)), "success")
    return redirect(url_for("review.queue", **_filters()), 303)


@bp.route("/approve", methods=["POST"])
@login_required
def approve_selected():
    """Approve every ticked report at once: all of them, or none and say which one failed."""
    form = BulkApproveForm()
    if not form.validate():
        abort(400)
    try:
        approved = perform(
            approve_reports,
            current_user.user,
            form.task.data,
            form.comment.data,
            now=app_clock().now(),
        )
    except WorkflowError as error:
        flash(error_message(error), "error")
        return _render_queue(
            selected={task_id for task_id, _version in form.task.data},
            bulk_comment=form.comment.data,
            status=status_of(error, form=True),
        )
    flash(gettext("Approved: %(count)s reports.", count=len(approved)), "success")
    return redirect(url_for("review.queue", **_filters()), 303)


def _filters() -> dict[str, str]:
    """The filters of the query string that are set."""
    return {name: request.args[name] for name in FILTERS if request.args.get(name)}


def _render_queue(typed=None, selected=frozenset(), bulk_comment: str = "", status: int = 200):
    user, session, now = current_user.user, db_session(), app_clock().now()
    filters = _filters()
    items = review_queue(
        session,
        user,
        now,
        quarter=parse_quarter(filters["quarter"]) if "quarter" in filters else None,
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
