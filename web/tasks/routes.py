"""My work and the task page. A route parses input, calls one service, and redirects."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from web.database import db_session
from web.errors import FORM_STATUS, status_of
from web.i18n import error_message
from web.storage import evidence_store, uploads
from web.tasks import bp
from workflow import clock
from workflow.accounts.roles import Role
from workflow.errors import (
    NotFound,
    WorkflowError,
)
from workflow.organisations.models import Organisation
from workflow.periods import Quarter
from workflow.permissions import events_for
from workflow.tasks.deadlines import DeadlineStatus
from workflow.tasks.evidence import evidence_file
from workflow.tasks.operations import COMMENTED_ACTIONS, comment_on_task, submit_report
from workflow.tasks.queries import list_tasks, task_detail
from workflow.tasks.states import TaskEvent, TaskState

HOME_OF = {Role.REVIEWER: "review.queue", Role.LEADER: "dashboard.accountability"}
NEEDS_ME = (TaskState.RETURNED, TaskState.ASSIGNED, TaskState.IN_PROGRESS)


@bp.route("/")
@login_required
def my_work():
    """The quarter's tasks: what needs me (overdue first), what waits on others, and the tasks
    my unit only coordinates. A reviewer's work is the review queue, a leader's the
    accountability page."""
    user = current_user.user
    if user.role in HOME_OF:
        return redirect(url_for(HOME_OF[user.role]))
    try:
        quarter = Quarter.parse(request.args.get("quarter") or str(Quarter.of(clock.today())))
    except ValueError:
        abort(404)
    session = db_session()
    rows = list_tasks(
        session,
        session.get(Organisation, user.organisation_id),
        clock.now(),
        viewer=user,
        quarter=quarter,
    )
    own = [r for r in rows if user.unit_id is None or r.unit_id == user.unit_id]
    needs_me = sorted(
        (r for r in own if r.state in NEEDS_ME),
        key=lambda r: (r.deadline is not DeadlineStatus.OVERDUE, r.due_at),
    )
    return render_template(
        "tasks/my_work.html",
        quarter=quarter,
        needs_me=needs_me,
        waiting=[r for r in own if r.state not in NEEDS_ME],
        coordinating=[r for r in rows if r not in own],
        now=clock.now(),
    )


@bp.route("/tasks/<int:task_id>")
@login_required
def task_page(task_id: int):
    return _render_task(task_id)


def _perform(event: TaskEvent, session, user, task_id: int, version: int, form) -> None:
    """Call the one service behind ``event`` with what the form holds."""
    if event is TaskEvent.REPORT:
        submit_report(
            session,
            user,
            task_id,
            version,
            form.get("text", ""),
            links=form.get("links", "").splitlines(),
            figures={
                int(name.removeprefix("figure-")): value
                for name, value in form.items()
                if name.startswith("figure-") and name.removeprefix("figure-").isdigit()
            },
            files=uploads(request.files.getlist("files")),
            store=evidence_store(),
        )
        return
    service = COMMENTED_ACTIONS[event]
    service(session, user, task_id, version, form.get("comment", ""))


@bp.route("/tasks/<int:task_id>/<event>", methods=["POST"])
@login_required
def act(task_id: int, event: str):
    """Fire one event. A refusal shows the task page again with the message and with what the
    user typed still in the form: nothing is lost."""
    try:
        event = TaskEvent(event)
        version = int(request.form.get("version", ""))
    except ValueError:
        abort(400)
    try:
        _perform(event, db_session(), current_user.user, task_id, version, request.form)
    except NotFound:
        abort(404)
    except WorkflowError as error:
        flash(error_message(error), "error")
        return _render_task(task_id, typed=request.form, status=status_of(error, FORM_STATUS))
    flash(gettext("Done: %(event)s.", event=gettext(event.label)), "success")
    return redirect(url_for("tasks.task_page", task_id=task_id), 303)


@bp.route("/tasks/<int:task_id>/comments", methods=["POST"])
@login_required
def comment(task_id: int):
    try:
        comment_on_task(db_session(), current_user.user, task_id, request.form.get("text", ""))
    except NotFound:
        abort(404)
    except WorkflowError as error:
        flash(error_message(error), "error")
        return _render_task(task_id, typed=request.form, status=422)
    return redirect(url_for("tasks.task_page", task_id=task_id, _anchor="comments"), 303)


@bp.route("/files/<int:file_id>")
@login_required
def download(file_id: int):
    """Evidence, only for those who may see its task; always as a download, never rendered."""
    record = evidence_file(db_session(), current_user.user, file_id)
    response = send_file(
        evidence_store().path_of(record),
        mimetype=record.content_type,
        as_attachment=True,
        download_name=record.filename,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _render_task(task_id: int, typed=None, status: int = 200):
    user = current_user.user
    try:
        detail = task_detail(db_session(), user, task_id)
    except NotFound:
        abort(404)
    events = events_for(user.role, user.unit_id, detail.task.state, detail.task.unit_id)
    return render_template(
        "tasks/task.html", detail=detail, events=events, now=clock.now(), typed=typed or {}
    ), status
