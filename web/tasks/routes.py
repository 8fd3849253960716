"""My work and the task page. A route parses input, calls one service, and redirects."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from web.actions import act_on_task, confirmation, perform
from web.clock import app_clock
from web.database import db_session
from web.errors import FORM_REFUSED, status_of
from web.i18n import error_message, show_beside_fields
from web.storage import evidence_store
from web.tasks import bp
from web.tasks.forms import CommentForm, TaskFilterForm, action_form, extension_form
from web.tasks.kept_files import (
    held_names,
    hold_after_refusal,
    kept_uploads,
    release_held,
)
from workflow.accounts.roles import Role
from workflow.errors import InvalidFields, NotFound, WorkflowError
from workflow.i18n import N_
from workflow.organisations.queries import organisation_of
from workflow.permissions import events_for, may_fire
from workflow.plans.store import CHANGE_LABELS, RECORDED_PARTS
from workflow.targets.explanations import explanation_request
from workflow.tasks.assignment import assignable_members, assignment_events_for
from workflow.tasks.deadlines import DeadlineStatus
from workflow.tasks.evidence import evidence_file
from workflow.tasks.extensions import ExtensionRefused, extension_events_for, refusal_to_ask
from workflow.tasks.operations import comment_on_task
from workflow.tasks.queries import (
    contributions_to_take_in,
    list_tasks,
    task_detail,
    task_quarters,
)
from workflow.tasks.states import (
    EXTENSION_EVENTS,
    HISTORY_LABELS,
    ExtensionStatus,
    TaskEvent,
    TaskKind,
    TaskState,
)

HOME_OF = {
    Role.REVIEWER: "review.queue",
    Role.LEADER: "dashboard.accountability",
    Role.OVERSEER: "rollup.index",
}
NEEDS_ME = (TaskState.RETURNED, TaskState.ASSIGNED, TaskState.IN_PROGRESS)


@bp.route("/")
@login_required
def my_work():
    """Everything my unit still owes (its duties and its contributions to others'), whatever
    its quarter, overdue first; the contributions sent to the duties it leads, to take in; what
    waits for the reviewer; and the duties my unit only coordinates. Narrowed by words, quarter,
    state or deadline status, it shows completed tasks too. A reviewer's work is the review
    queue, a leader's the accountability page."""
    user, session, clock = current_user.user, db_session(), app_clock()
    if user.role in HOME_OF:
        return redirect(url_for(HOME_OF[user.role]))
    organisation, now = organisation_of(session, user), clock.now()
    form = TaskFilterForm(task_quarters(session, organisation))
    rows = list_tasks(session, organisation, now, viewer=user, **form.filters())
    own = [r for r in rows if user.unit_id is None or r.unit_id == user.unit_id]
    # of the others' tasks, the duties my unit coordinates (not the other units' contributions)
    coordinating = [r for r in rows if r not in own and r.kind != TaskKind.CONTRIBUTION]
    needs_me = sorted(
        (r for r in own if r.state in NEEDS_ME),
        key=lambda r: (r.deadline is not DeadlineStatus.OPEN_OVERDUE, r.due_at),
    )
    return render_template(
        "tasks/my_work.html",
        form=form,
        assigned_to_me=[r for r in needs_me if r.assignee_id == user.id],
        needs_me=needs_me,
        waiting=[r for r in own if r.state == TaskState.REPORTED],
        completed=[r for r in own if r.state == TaskState.REVIEWED],
        coordinating=coordinating,
        to_take_in=[] if form.narrowed else contributions_to_take_in(session, user, now),
        overdue=sum(r.deadline is DeadlineStatus.OPEN_OVERDUE for r in needs_me),
        own_unit=user.unit_id,
        now=now,
    )


@bp.route("/tasks/<int:task_id>")
@login_required
def task_page(task_id: int):
    return _render_task(task_id)


@bp.route("/tasks/<int:task_id>/<event>", methods=["POST"])
@login_required
def act(task_id: int, event: str):
    """Fire one event. A refusal shows the task page again with the message and with what the
    user typed still in the form: nothing is lost."""
    try:
        event = TaskEvent(event)
    except ValueError:
        abort(400)
    if event in EXTENSION_EVENTS:
        return _extension_event(task_id, event)
    form, user = action_form(event), current_user.user
    if not form.validate():
        abort(400)
    action = form.action(event)
    kept = request.form.getlist("keep") if event is TaskEvent.REPORT else []
    try:
        chosen = action.files
        action = replace(action, files=chosen + kept_uploads(user, task_id, kept))
        act_on_task(user, task_id, action)
    except NotFound:
        raise
    except WorkflowError as error:
        flash(error_message(error), "error")
        typed = request.form.to_dict() | {"keep": hold_after_refusal(user, kept, chosen)}
        return _render_task(task_id, typed=typed, status=status_of(error, form=True))
    release_held(user, kept)
    flash(confirmation(event, task_id), "success")
    return redirect(url_for("tasks.task_page", task_id=task_id), 303)


def _extension_event(task_id: int, event: TaskEvent):
    """Ask for an extension, or grant or refuse it. A mistake in the input is said beside its
    field, with what was typed kept; any other refusal as the other events say it."""
    form, user = extension_form(event), current_user.user
    if not form.validate() and form.version.errors:
        abort(400)
    typed = request.form.to_dict()
    shown = {event.value: form}
    if form.errors:  # a day that is not a date: nothing is asked of the engine
        return _render_task(task_id, typed=typed, status=FORM_REFUSED, extension_forms=shown)
    try:
        act_on_task(user, task_id, form.action(event))
    except NotFound:
        raise
    except InvalidFields as error:
        show_beside_fields(form, error.problems)
        return _render_task(task_id, typed=typed, status=FORM_REFUSED, extension_forms=shown)
    except WorkflowError as error:
        flash(error_message(error), "error")
        return _render_task(task_id, typed=typed, status=status_of(error, form=True))
    flash(confirmation(event, task_id), "success")
    return redirect(url_for("tasks.task_page", task_id=task_id, _anchor="extension"), 303)


@bp.route("/tasks/<int:task_id>/comments", methods=["POST"])
@login_required
def comment(task_id: int):
    form = CommentForm()
    if not form.validate():
        abort(400)
    try:
        perform(comment_on_task, current_user.user, task_id, form.text.data, now=app_clock().now())
    except NotFound:
        raise
    except WorkflowError as error:
        flash(error_message(error), "error")
        return _render_task(task_id, typed=request.form, status=status_of(error, form=True))
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


def _render_task(task_id: int, typed=None, status: int = 200, extension_forms=None):
    """The task page; a task the user may not see is not found (``task_detail`` says so).

    A returned task offers only reporting again (starting it again would change nothing), its
    form filled with the returned report: text, links, and files kept unless unticked. The head
    of the task's unit sees the request for an extension, or why none can be asked for now."""
    user, clock = current_user.user, app_clock()
    detail = task_detail(db_session(), user, task_id, clock.now())
    explanation = explanation_request(db_session(), detail.task)
    events = events_for(user, detail.task.state, detail.task.unit_id, detail.taken_in_by)
    returned = detail.task.state == TaskState.RETURNED
    if returned:
        events = [event for event in events if event is not TaskEvent.START]
    typed = dict(typed or {})
    if returned and not typed and detail.reports:
        last = detail.reports[-1]
        typed = {
            "text": last.text,
            "links": "\n".join(last.links),
            "keep": [f"file:{file.id}" for file in detail.files.get(last.id, [])],
        }
    if TaskEvent.REPORT in events and not typed and detail.draft:
        draft, _author = detail.draft
        typed = {"text": draft.text, "links": "\n".join(draft.links)}
    elif TaskEvent.REPORT in events and not typed and not detail.reports:
        typed = {"text": consolidated(detail.contributions)}
    kept = typed.get("keep", [])
    return render_template(
        "tasks/task.html",
        detail=detail,
        explanation=explanation,
        events=events,
        now=clock.now(),
        typed=typed,
        kept=kept,
        kept_names=_kept_names(detail, user, kept),
        last_return=_last_return(detail) if returned else None,
        extension_events=extension_events_for(user, detail.task, detail.extensions, clock),
        ask_refusal=_ask_refusal(detail, user, clock),
        extension_forms=extension_forms or {},
        history_labels=HISTORY_LABELS,
        change_labels=CHANGE_LABELS,
        part_labels=RECORDED_PARTS,
        extension_status=lambda status: ExtensionStatus(status).label,
        first_extension_day=clock.local_day(detail.task.due_at) + timedelta(days=1),
        contribution_labels=CONTRIBUTION_LABELS,
        assignment_events=assignment_events_for(user, detail.task, detail.taken_in_by),
        members=assignable_members(db_session(), detail.task),
    ), status


# What a contribution's buttons say: the coordinating unit sends it, the lead takes it in.
CONTRIBUTION_LABELS = {
    TaskEvent.REPORT.value: N_("Send the contribution"),
    TaskEvent.APPROVE.value: N_("Take in the contribution"),
    TaskEvent.RETURN.value: N_("Return the contribution"),
}


def consolidated(contributions) -> str:
    """A lead's report to start from: the contributions sent by the coordinating units, one
    paragraph each under its unit's name, for the lead to consolidate (empty without any)."""
    sent = [line for line in contributions if line.text]
    return "\n\n".join(f"{line.unit.display_name}: {line.text}" for line in sent)


def _ask_refusal(detail, user, clock) -> dict | None:
    """Why the head of the task's unit cannot ask for an extension now (``why`` and the
    message), when it is worth saying: a task reported or approved needs none."""
    if not may_fire(user, TaskEvent.ASK_EXTENSION, detail.task.unit_id):
        return None
    refusal = refusal_to_ask(detail.task, detail.extensions, clock)
    if not isinstance(refusal, ExtensionRefused):
        return None
    return {"why": refusal.why, "message": error_message(refusal)}


def _last_return(detail):
    """The reviewer's latest return of the task, with who returned it."""
    returns = [(event, actor) for event, actor in detail.history if event.event == TaskEvent.RETURN]
    return returns[-1] if returns else None


def _kept_names(detail, user, kept: list[str]) -> dict[str, str]:
    """What each kept file is called: the earlier reports' files and the held ones."""
    earlier = {
        f"file:{file.id}": file.filename for files in detail.files.values() for file in files
    }
    return {value: earlier[value] for value in kept if value in earlier} | held_names(user, kept)
