"""Accountability by unit, the tasks behind each of its figures, and the plan overview."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import format_percent, gettext
from flask_login import current_user, login_required

from web.dashboard import bp
from web.dashboard.charts import rate_chart
from web.database import db_session
from web.pages import requested_period_or_404
from workflow import clock
from workflow.accountability.measures import MEASURE_LABELS, MEASURES, Period
from workflow.accountability.overview import plan_overview
from workflow.accountability.queries import accountability_by_unit, rates_by_quarter, tasks_behind
from workflow.accountability.sorting import SORT_KEYS, sort_accountability
from workflow.organisations.models import Organisation
from workflow.organisations.queries import find_unit
from workflow.permissions import ORGANISATION_WIDE, may_see_task_lists, require_role
from workflow.plans.queries import find_responsibility, plan_years


@bp.context_processor
def formatting() -> dict:
    return {"format_percent": format_percent}


@bp.route("/accountability")
@login_required
def accountability():
    """One row per unit for a quarter or a year, worst first unless sorted otherwise, and the
    organisation's rates across the year's quarters."""
    user, session, now = current_user.user, db_session(), clock.now()
    require_role(user, *ORGANISATION_WIDE)
    organisation = session.get(Organisation, user.organisation_id)
    period = requested_period_or_404()
    rows = accountability_by_unit(session, organisation, period, now, viewer=user)
    sort = request.args.get("sort", "worst")
    if sort not in SORT_KEYS:
        sort = "worst"
    descending = request.args.get("dir") == "desc"
    year = period if isinstance(period, int) else period.year
    rates = rates_by_quarter(session, organisation, year, now, viewer=user)
    return render_template(
        "dashboard/accountability.html",
        rows=sort_accountability(rows, sort, descending),
        sort=sort,
        descending=descending,
        period=period,
        period_args=_period_args(period),
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
    """The tasks behind one figure: of one unit, or of one responsibility of a plan, or all."""
    user, session, now = current_user.user, db_session(), clock.now()
    require_role(user, *ORGANISATION_WIDE)
    organisation = session.get(Organisation, user.organisation_id)
    measure = request.args.get("measure", "expected")
    if measure not in MEASURES:
        abort(404)
    period = requested_period_or_404()
    unit = responsibility = None
    if request.args.get("unit"):
        unit = find_unit(session, organisation, request.args["unit"])
    if request.args.get("ref"):
        responsibility = find_responsibility(
            session, organisation, request.args.get("plan", ""), request.args["ref"]
        )
    rows = tasks_behind(
        session,
        organisation,
        period,
        measure,
        now,
        unit=unit,
        responsibility=responsibility,
        viewer=user,
    )
    return render_template(
        "dashboard/tasks.html",
        rows=rows,
        measure=measure,
        measure_label=MEASURE_LABELS[measure],
        unit=unit,
        responsibility=responsibility,
        period=period,
        period_args=_period_args(period),
        now=now,
    )


@bp.route("/plan", endpoint="plan_overview")
@login_required
def plan_page():
    """The plan as written, section by section, with each responsibility's progress by quarter."""
    user, session = current_user.user, db_session()
    organisation = session.get(Organisation, user.organisation_id)
    return render_template(
        "dashboard/plan.html",
        plans=plan_overview(session, organisation, clock.now()),
        links=may_see_task_lists(user),
    )


def _period_args(period: Period) -> dict:
    return {"year": period} if isinstance(period, int) else {"quarter": str(period)}
