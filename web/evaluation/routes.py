"""The year-end evaluation's pages. A route reads the request, calls one service or query, and
shows or redirects; who may is the engine's to say."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_percent, gettext
from flask_login import current_user, login_required

from web.actions import perform
from web.clock import app_clock
from web.database import db_session
from web.errors import FORM_REFUSED
from web.evaluation import bp
from web.evaluation.forms import RULED, GradeForm, RulesForm
from web.exports.routes import file_download
from web.i18n import error_message
from web.periods import parse_year
from workflow.accountability.evaluation import confirm_grade, save_grading_rules
from workflow.accountability.grading import GRADE_LABELS, Grade
from workflow.accountability.year import (
    RATES,
    YEAR_ROWS,
    grading_rules,
    unit_year,
    year_overview,
)
from workflow.accounts.roles import Role
from workflow.errors import InvalidInput, WorkflowError
from workflow.organisations.models import Unit
from workflow.organisations.queries import find_unit, organisation_of
from workflow.permissions import Access, may, require
from workflow.reporting.exports import FORMATS
from workflow.reporting.unit_year_files import unit_year_docx, unit_year_xlsx

FILES = {"docx": unit_year_docx, "xlsx": unit_year_xlsx}


@bp.context_processor
def helpers() -> dict:
    return {
        "format_percent": format_percent,
        "year_rows": YEAR_ROWS,
        "rates": RATES,
        "grade_label": lambda value: GRADE_LABELS[Grade(value)],
    }


def _year() -> int:
    return parse_year(request.args.get("year") or str(app_clock().today().year))


@bp.route("/")
@login_required
def index():
    """Every unit's year with its grades; a unit head goes straight to their own unit's."""
    user, session, clock = current_user.user, db_session(), app_clock()
    year = _year()
    if not may(user, Access.UNIT_YEAR):
        if user.role == Role.UNIT_HEAD and user.unit_id is not None:
            code = session.get(Unit, user.unit_id).code
            return redirect(url_for("evaluation.unit_page", code=code, year=year))
        abort(403)
    organisation = organisation_of(session, user)
    lines = year_overview(session, organisation, year, clock, viewer=user)
    return render_template("evaluation/index.html", lines=lines, year=year)


@bp.route("/<code>")
@login_required
def unit_page(code: str):
    return _render_unit(code, _year())


def _render_unit(code: str, year: int, form: GradeForm | None = None, status: int = 200):
    user, session, clock = current_user.user, db_session(), app_clock()
    organisation = organisation_of(session, user)
    unit = find_unit(session, organisation, code)
    found = unit_year(session, organisation, unit, year, clock, viewer=user)
    if form is None and may(user, Access.GRADE_CONFIRMATION):
        form = GradeForm()
        chosen = found.confirmed.grade if found.confirmed else found.proposed
        form.grade.data = chosen.value if isinstance(chosen, Grade) else chosen
    if form is not None:
        form.offer(gettext)
    return render_template(
        "evaluation/unit.html", found=found, year=year, form=form, now=clock.now()
    ), status


@bp.route("/<code>/grade", methods=["POST"])
@login_required
def grade(code: str):
    """A leader confirms the unit's grade for the year (or chooses another, saying why)."""
    user, session, clock = current_user.user, db_session(), app_clock()
    year = _year()
    require(user, Access.GRADE_CONFIRMATION)
    form = GradeForm()
    form.offer(gettext)
    if not form.validate():
        return _render_unit(code, year, form, FORM_REFUSED)
    organisation = organisation_of(session, user)
    unit = find_unit(session, organisation, code)
    try:
        perform(
            confirm_grade,
            user,
            organisation,
            unit,
            year,
            form.grade.data,
            form.note.data or "",
            clock=clock,
        )
    except WorkflowError as error:
        flash(error_message(error), "error")
        return _render_unit(code, year, form, FORM_REFUSED)
    flash(
        gettext(
            "The grade of %(unit)s for %(year)s is confirmed.", unit=unit.display_name, year=year
        ),
        "success",
    )
    return redirect(url_for("evaluation.unit_page", code=code, year=year), 303)


@bp.route("/<code>/export.<file_format>")
@login_required
def export(code: str, file_format: str):
    """The unit's year as .docx or .xlsx, in Vietnamese: the document goes in the evaluation's
    file."""
    if file_format not in FILES:
        abort(404)
    user, session, clock = current_user.user, db_session(), app_clock()
    organisation = organisation_of(session, user)
    year = _year()
    unit = find_unit(session, organisation, code)
    found = unit_year(session, organisation, unit, year, clock, viewer=user)
    with force_locale("vi"):
        content = FILES[file_format](found, organisation, gettext, clock.zone, clock.now())
    name = f"danh-gia-{year}-{unit.code.lower()}.{file_format}"
    return file_download(content, FORMATS[file_format], name)


@bp.route("/rules", methods=["GET", "POST"])
@login_required
def rules():
    """The office sets the rules the grades are proposed by."""
    user, session, clock = current_user.user, db_session(), app_clock()
    require(user, Access.GRADING_RULES)
    form = RulesForm()
    if request.method == "GET":
        form.fill(grading_rules(session, user.organisation_id))
        return render_template("evaluation/rules.html", form=form, grades=RULED)
    if not form.validate():
        return render_template("evaluation/rules.html", form=form, grades=RULED), FORM_REFUSED
    try:
        perform(save_grading_rules, user, form.rules(), clock=clock)
    except InvalidInput as error:
        flash(error_message(error), "error")
        return render_template("evaluation/rules.html", form=form, grades=RULED), FORM_REFUSED
    flash(gettext("The grading rules are saved."), "success")
    return redirect(url_for("evaluation.rules"), 303)
