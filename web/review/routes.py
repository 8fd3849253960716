"""The review queue: reported tasks with their evidence, approved or returned from one page,
and above them the requests for an extension waiting for a decision.

A refusal shows the queue again with the message, the reason typed and the selection ticked;
the refused action was rolled back before the queue is read again (``web.actions``).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from web.actions import TaskAction, act_on_task, confirmation, perform
from web.clock import app_clock
from web.database import db_session
from web.errors import status_of
from web.i18n import error_message
from web.paging import page_within
from web.periods import parse_quarter
from web.review import bp
from web.review.forms import BulkApproveForm, DecisionForm
from web.tasks.forms import ExtensionDecisionForm
from workflow.errors import InvalidFields, WorkflowError
from workflow.tasks.review import (
    approve_reports,
    queue_choices,
    queue_size,
    review_queue,
    task_name,
    waiting_extensions,
)
from workflow.tasks.states import TaskEvent

FILTERS = ("quarter", "unit", "section", "q", "page")
DECISIONS = (TaskEvent.APPROVE, TaskEvent.RETURN)
EXTENSION_DECISIONS = (TaskEvent.GRANT_EXTENSION, TaskEvent.REFUSE_EXTENSION)


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
        message = _naming_the_task(task_id, error_message(error))
        flash(message, "error")
        return _render_queue(
            typed={task_id: form.comment.data},
            refused={task_id: message},
            status=status_of(error, form=True),
        )
    flash(confirmation(event, task_id), "success")
    # Back where the reviewer was: at the report after the one decided.
    anchor = f"task-{form.following.data}" if form.following.data else None
    return redirect(url_for("review.queue", **_filters(), _anchor=anchor), 303)


@bp.route("/extensions/<int:task_id>/<event>", methods=["POST"])
@login_required
def decide_extension(task_id: int, event: str):
    """Grant a request for an extension, or refuse it with a reason, and come back to the
    queue; a reason left out is asked for beside its field."""
    if event not in EXTENSION_DECISIONS:
        abort(400)
    event = TaskEvent(event)
    form = ExtensionDecisionForm()
    if not form.validate():
        abort(400)
    try:
        act_on_task(current_user.user, task_id, form.action(event))
    except InvalidFields as error:
        return _render_queue(
            extension_typed={task_id: form.reason.data},
            extension_problems={task_id: error_message(error)},
            status=status_of(error, form=True),
        )
    except WorkflowError as error:
        message = _naming_the_task(task_id, error_message(error))
        flash(message, "error")
        return _render_queue(
            extension_typed={task_id: form.reason.data},
            extension_refused={task_id: message},
            status=status_of(error, form=True),
        )
    flash(confirmation(event, task_id), "success")
    anchor = f"extension-{form.following.data}" if form.following.data else "extensions"
    return redirect(url_for("review.queue", **_filters(), _anchor=anchor), 303)


@bp.route("/approve", methods=["POST"])
@login_required
def approve_selected():
    """Approve every ticked report at once: all of them, or none and say which one failed."""
    form = BulkApproveForm()
    if not form.validate():
        abort(400)
    chosen = form.every.data if form.everything.data else form.task.data
    try:
        approved = perform(
            approve_reports,
            current_user.user,
            chosen,
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


def _naming_the_task(task_id: int, message: str) -> str:
    ref, unit = task_name(db_session(), current_user.user, task_id)
    return (
        gettext("%(ref)s (%(unit)s): %(message)s", ref=ref, unit=unit, message=message)
        if ref
        else message
    )


def _render_queue(
    typed=None,
    refused=None,
    selected=frozenset(),
    bulk_comment: str = "",
    status: int = 200,
    extension_typed=None,
    extension_refused=None,
    extension_problems=None,
):
    user, session, clock = current_user.user, db_session(), app_clock()
    now = clock.now()
    filters = _filters()
    narrowed = {
        "quarter": parse_quarter(filters["quarter"]) if "quarter" in filters else None,
        "unit_code": filters.get("unit"),
        "section": filters.get("section"),
        "search": filters.get("q", ""),
    }
    total, per_page = queue_size(session, user, **narrowed), current_app.config["REVIEW_PAGE_SIZE"]
    page, pages = page_within(filters.get("page"), total, per_page)
    items = review_queue(
        session, user, now, **narrowed, offset=(page - 1) * per_page, limit=per_page
    )
    return render_template(
        "review/queue.html",
        items=items,
        total=total,
        page=page,
        pages=pages,
        choices=queue_choices(session, user),
        filters=filters,
        typed=typed or {},
        refused=refused or {},
        selected=selected,
        bulk_comment=bulk_comment,
        approvable=[item for item in items if TaskEvent.APPROVE in item.actions],
        extensions=waiting_extensions(session, user, clock, **narrowed),
        extension_typed=extension_typed or {},
        extension_refused=extension_refused or {},
        extension_problems=extension_problems or {},
        now=now,
    ), status
