"""Accountability by unit, the tasks behind each of its figures, and the plan overview."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import format_percent, gettext
from flask_login import current_user, login_required

from web.clock import app_clock
from web.dashboard import bp
from web.dashboard.charts import rate_chart
from web.database import db_session
from web.paging import page_of
from web.periods import period_args, requested_period
from web.tasks.forms import SearchForm
from workflow.accountability.measures import MEASURE_LABELS, MEASURES, UNIT_COLUMNS
from workflow.accountability.overview import plan_overview
from workflow.accountability.queries import (
    CONTRIBUTION_MEASURES,
    accountability_by_unit,
    figure_scope,
    rates_by_quarter,
    roles_apart,
    tasks_behind,
)
from workflow.accountability.sorting import SORT_KEYS, sort_accountability
from workflow.organisations.queries import organisation_of
from workflow.permissions import Access, may
from workflow.plans.queries import plan_years


@bp.context_processor
def formatting() -> dict:
    return {"format_percent": format_percent}


@bp.route("/accountability")
@login_required
def accountability():
    """One row per unit for a quarter or a year, worst first unless sorted otherwise, a page
    at a time (a large organisation has hundreds of units), and the organisation's rates
    across the year's quarters."""
    user, session, clock = current_user.user, db_session(), app_clock()
    now = clock.now()
    organisation = organisation_of(session, user)
    period = requested_period(request.args, clock.today())
    rows = accountability_by_unit(session, organisation, period, now, viewer=user)
    sort = request.args.get("sort", "worst")
    if sort not in SORT_KEYS:
        sort = "worst"
    descending = request.args.get("dir") == "desc"
    year = period if isinstance(period, int) else period.year
    rates = rates_by_quarter(session, organisation, year, now, viewer=user)
    ranked = sort_accountability(rows, sort, descending)
    per_page = current_app.config["ACCOUNTABILITY_PAGE_SIZE"]
    page = page_of(ranked, request.args.get("page"), per_page)
    roles = roles_apart(session, organisation, period, now, viewer=user)
    roles_page = page_of(roles, request.args.get("roles_page"), per_page)
    return render_template(
        "dashboard/accountability.html",
        rows=page.rows,
        page=page,
        columns=UNIT_COLUMNS,
        labels={column.key: gettext(column.label) for column in UNIT_COLUMNS},
        roles=roles_page,
        contribution_measures=CONTRIBUTION_MEASURES,
        sort=sort,
        descending=descending,
        period=period,
        period_args=period_args(period),
        years=plan_years(session, organisation),
        chart=rate_chart(
            rates.organisation,
            gettext("Reporting and on-time rates by quarter, %(year)s", year=year),
        ),
        now=now,
    )


@bp.route("/accountability/tasks")
@login_required
def tasks():
    """The tasks behind one figure: of one unit, or of one responsibility of a plan, or all;
    of the units' own work, or with ``work=contributions`` of what they sent as coordinators."""
    user, session, clock = current_user.user, db_session(), app_clock()
    now = clock.now()
    organisation = organisation_of(session, user)
    measure = request.args.get("measure", "expected")
    if measure not in MEASURES:
        abort(404)
    period = requested_period(request.args, clock.today())
    contributions = request.args.get("work") == "contributions"
    unit, responsibility = figure_scope(
        session,
        organisation,
        unit_code=request.args.get("unit"),
        plan_code=request.args.get("plan"),
        ref=request.args.get("ref"),
        viewer=user,
    )
    form = SearchForm()
    form.validate()
    rows = tasks_behind(
        session,
        organisation,
        period,
        measure,
        now,
        unit=unit,
        responsibility=responsibility,
        viewer=user,
        search=form.q.data,
        contributions=contributions,
    )
    return render_template(
        "dashboard/tasks.html",
        form=form,
        keep={k: v for k, v in request.args.items() if k != "q"},
        rows=rows,
        measure=measure,
        measure_label=MEASURE_LABELS[measure],
        contributions=contributions,
        unit=unit,
        responsibility=responsibility,
        period=period,
        period_args=period_args(period),
        now=now,
    )


@bp.route("/plan", endpoint="plan_overview")
@login_required
def plan_page():
    """The plan as written, section by section, with each responsibility's progress by quarter."""
    user, session = current_user.user, db_session()
    return render_template(
        "dashboard/plan.html",
        plans=plan_overview(session, organisation_of(session, user), app_clock().now(), user),
        links=may(user, Access.PLAN_PROGRESS),
    )
