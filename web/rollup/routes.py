"""``/rollup``: a roll-up of the communes below (by commune, by city or province, by kind of
unit, by unit and its heads), and the drill-down into one commune, its units and their tasks.
Every read asks ``workflow.accountability.rollup`` first, which refuses anyone but an overseer
and finds only the communes below them."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import format_percent
from flask_login import current_user, login_required

from web.clock import app_clock
from web.database import db_session
from web.labels import UNIT_KINDS
from web.paging import page_number
from web.periods import period_args, requested_period
from web.rollup import bp
from workflow.accountability.measures import MEASURE_LABELS, MEASURES, UNIT_COLUMNS
from workflow.accountability.queries import accountability_by_unit, tasks_behind
from workflow.accountability.rollup import GROUPINGS, commune_below, rollup
from workflow.organisations.queries import find_unit, organisation_of
from workflow.organisations.tree import Level

PER_PAGE = 50


@bp.context_processor
def formatting() -> dict:
    return {"format_percent": format_percent, "unit_kinds": UNIT_KINDS}


@bp.route("/")
@login_required
def index():
    """The communes below, grouped as asked (by commune unless told otherwise), worst first."""
    user, session, clock = current_user.user, db_session(), app_clock()
    period = requested_period(request.args, clock.today())
    by = request.args.get("by", "commune")
    if by not in GROUPINGS:
        abort(404)
    page = page_number(request.args.get("page"))
    found = rollup(session, user, by, period, clock.now(), page=page, per_page=PER_PAGE)
    organisation = organisation_of(session, user)
    return render_template(
        "rollup/index.html",
        organisation=organisation,
        groupings=_groupings(organisation),
        by=by,
        found=found,
        period=period,
        period_args=period_args(period),
    )


def _groupings(organisation) -> list[str]:
    """By city or province only where there are several below: at the national level."""
    if organisation.level == Level.NATIONAL:
        return list(GROUPINGS)
    return [by for by in GROUPINGS if by != "branch"]


@bp.route("/<code>/")
@login_required
def commune(code: str):
    """One commune below, as its own leaders see it: each unit's figures, worst first."""
    user, session, clock = current_user.user, db_session(), app_clock()
    organisation = commune_below(session, user, code)
    period = requested_period(request.args, clock.today())
    rows = accountability_by_unit(session, organisation, period, clock.now())
    return render_template(
        "rollup/commune.html",
        commune=organisation,
        rows=rows,
        columns=[column for column in UNIT_COLUMNS if column.at_a_glance],
        period=period,
        period_args=period_args(period),
    )


@bp.route("/<code>/units/<unit_code>")
@login_required
def unit_tasks(code: str, unit_code: str):
    """The tasks behind one figure of one unit of a commune below."""
    user, session, clock = current_user.user, db_session(), app_clock()
    organisation = commune_below(session, user, code)
    measure = request.args.get("measure", "expected")
    if measure not in MEASURES:
        abort(404)
    period, now = requested_period(request.args, clock.today()), clock.now()
    unit = find_unit(session, organisation, unit_code)
    return render_template(
        "rollup/tasks.html",
        commune=organisation,
        unit=unit,
        rows=tasks_behind(session, organisation, period, measure, now, unit=unit),
        measure=measure,
        measure_label=MEASURE_LABELS[measure],
        period=period,
        period_args=period_args(period),
        now=now,
    )
