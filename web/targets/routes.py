"""``/targets``: every target of a plan, one target's page, a unit's figure entered on it and an
explanation asked of a unit. A route parses input, calls one service, and redirects."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from web.actions import perform
from web.clock import app_clock
from web.database import db_session
from web.errors import FORM_REFUSED, status_of
from web.i18n import error_message, show_beside_fields
from web.periods import parse_year
from web.targets import bp
from web.targets.charts import target_chart
from web.targets.forms import ExplanationForm, FigureForm
from workflow.errors import InvalidFields, NotFound, WorkflowError
from workflow.permissions import Access, may, may_report_figure
from workflow.targets.explanations import request_explanation
from workflow.targets.figures import enter_figure, figure_history, owing_responsibility
from workflow.targets.queries import plan_targets, target_progress
from workflow.tasks.states import TaskState


@bp.route("/")
@login_required
def index():
    """Each target of the plan with its goal, where the ward stands quarter by quarter, and the
    explanations asked."""
    user, today = current_user.user, app_clock().today()
    year = parse_year(request.args["year"]) if request.args.get("year") else None
    found = plan_targets(db_session(), user, today, request.args.get("plan") or None, year)
    return render_template("targets/index.html", found=found, year=year)


@bp.route("/<int:target_id>")
@login_required
def target_page(target_id: int):
    return _render(target_id, request.args.get("quarter"))


@bp.route("/<int:target_id>/figures", methods=["POST"])
@login_required
def enter(target_id: int):
    form = FigureForm()
    user, clock = current_user.user, app_clock()
    _, refused = _attempt(
        target_id,
        "figure_form",
        form,
        lambda: perform(
            enter_figure, user, target_id, form.entry(), now=clock.now(), today=clock.today()
        ),
    )
    if refused:
        return refused
    flash(gettext("Your unit's figure was saved."), "success")
    return redirect(
        url_for(
            "targets.target_page", target_id=target_id, quarter=form.period.data, _anchor="units"
        ),
        303,
    )


@bp.route("/<int:target_id>/explanations", methods=["POST"])
@login_required
def ask(target_id: int):
    form = ExplanationForm()
    if not form.validate() and (form.unit_id.errors or form.period.errors):
        abort(400)
    if form.errors:  # a day that is not a date: nothing is asked of the engine
        return _render(target_id, form.period.data, explanation_form=form, status=FORM_REFUSED)
    user, clock = current_user.user, app_clock()
    task, refused = _attempt(
        target_id,
        "explanation_form",
        form,
        lambda: perform(
            request_explanation,
            user,
            target_id,
            form.unit_id.data,
            form.period.data,
            form.due_on.data,
            form.text.data or "",
            clock,
        ),
    )
    if refused:
        return refused
    flash(gettext("The explanation was asked for: it is now a task of the unit."), "success")
    return redirect(url_for("tasks.task_page", task_id=task.id), 303)


def _attempt(target_id: int, form_name: str, form, call):
    """``call()``'s result and no page; or, refused, the page again with ``form`` holding what
    was typed: mistakes in the input beside their fields, any other refusal above."""
    try:
        return call(), None
    except NotFound:
        raise
    except InvalidFields as error:
        show_beside_fields(form, error.problems)
        status = FORM_REFUSED
    except WorkflowError as error:
        flash(error_message(error), "error")
        status = status_of(error, form=True)
    return None, _render(target_id, form.period.data, status=status, **{form_name: form})


def _render(
    target_id: int, shown: str | None, figure_form=None, explanation_form=None, status: int = 200
):
    """The target's page, at quarter ``shown`` (the latest begun when none or unknown)."""
    user, session, today = current_user.user, db_session(), app_clock().today()
    plan, quarters, progress = target_progress(session, user, target_id, today)
    quarter = next((q for q in quarters if str(q) == shown), progress.latest.quarter)
    reports_it = (
        user.unit_id is not None
        and may_report_figure(user, user.unit_id)
        and owing_responsibility(session, progress.target, user.unit_id) is not None
    )
    if figure_form is None and reports_it:
        figure_form = FigureForm(formdata=None, period=str(quarter))
    if figure_form is not None:
        figure_form.period.choices = [
            (str(q), gettext("Quarter %(quarter)s", quarter=q.roman)) for q in reversed(quarters)
        ]
    return (
        render_template(
            "targets/target.html",
            plan=plan,
            progress=progress,
            quarter=quarter,
            standing=progress.at(quarter),
            chart=target_chart(progress),
            history=figure_history(session, user, progress.target),
            figure_form=figure_form,
            explanation_form=explanation_form,
            may_ask=may(user, Access.EXPLANATION_REQUESTS),
            awaited={
                (t.unit_id, t.period)
                for t in progress.explanations
                if t.state != TaskState.REVIEWED.value
            },
            breakdown=may(user, Access.TARGET_BREAKDOWN),
        ),
        status,
    )
