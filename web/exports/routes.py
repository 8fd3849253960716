"""Download routes. Reports and lists are for leaders, reviewers and admins (the engine says
so); everyone may have a calendar feed of their tasks, reached by a secret link that works
without signing in."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import format_percent
from flask_login import current_user, login_required

from web.actions import perform
from web.clock import app_clock
from web.database import db_session
from web.exports import bp
from web.exports.forms import CalendarLinkForm
from web.periods import parse_year, requested_period, requested_quarter
from workflow.accountability.measures import UNIT_COLUMNS
from workflow.accountability.queries import accountability_by_unit
from workflow.organisations.queries import organisation_of
from workflow.reporting.calendar import (
    active_calendar_token,
    calendar_feed,
    calendar_tasks,
    issue_calendar_token,
    revoke_calendar_tokens,
    user_for_calendar_token,
)
from workflow.reporting.exports import FORMATS, file_name, quarterly_file, year_workbook
from workflow.reporting.spreadsheet import csv_separator
from workflow.working_days import calendar_from_config


def file_download(content: bytes, mimetype: str, name: str) -> Response:
    """``content`` as a download named ``name``, kept by no cache: every export is someone's."""
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/quarterly.<file_format>")
@login_required
def quarterly(file_format: str):
    """The quarterly report (.docx; ``signer=plan`` signed as the plan was) or the quarter's
    tasks (.xlsx, .csv; ``sep=semicolon`` for a CSV split by ``;``)."""
    if file_format not in FORMATS:
        abort(404)
    user, session, clock = current_user.user, db_session(), app_clock()
    organisation = organisation_of(session, user)
    quarter = requested_quarter(request.args, clock.today())
    separator = csv_separator(request.args.get("sep") or "comma")
    content = quarterly_file(
        session,
        organisation,
        quarter,
        file_format,
        clock,
        viewer=user,
        plan_code=request.args.get("plan") or None,
        separator=separator,
        signer=request.args.get("signer") or "issuer",
    )
    name = file_name(organisation, quarter, file_format)
    return file_download(content, FORMATS[file_format], name)


@bp.route("/year.xlsx")
@login_required
def year():
    """The whole year's tasks, a sheet per quarter, with the year's summary by unit."""
    user, session, clock = current_user.user, db_session(), app_clock()
    organisation = organisation_of(session, user)
    year = parse_year(request.args.get("year") or str(clock.today().year))
    content = year_workbook(
        session,
        organisation,
        year,
        clock,
        viewer=user,
        plan_code=request.args.get("plan") or None,
    )
    name = f"nhiem-vu-{organisation.code.lower()}-{year}.xlsx"
    return file_download(content, FORMATS["xlsx"], name)


# On paper: what a leader sees at a glance, and how much of it is due.
PRINTED_COLUMNS = [
    column for column in UNIT_COLUMNS if column.at_a_glance or column.key in ("due", "not_yet_due")
]


@bp.route("/accountability/print")
@login_required
def accountability_print():
    """The accountability table on an A4 landscape page, without navigation."""
    user, session, clock = current_user.user, db_session(), app_clock()
    organisation = organisation_of(session, user)
    period = requested_period(request.args, clock.today())
    now = clock.now()
    rows = accountability_by_unit(session, organisation, period, now, viewer=user)
    return render_template(
        "exports/accountability_print.html",
        organisation=organisation,
        period=period,
        rows=rows,
        columns=PRINTED_COLUMNS,
        now=now,
        format_percent=format_percent,
    )


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def calendar():
    """The page to create, replace or revoke one's calendar link; a new link is shown once."""
    user, session, now = current_user.user, db_session(), app_clock().now()
    form, link = CalendarLinkForm(), None
    if form.validate_on_submit():
        if form.revoke.data:
            perform(revoke_calendar_tokens, user, now)
        else:
            token = perform(issue_calendar_token, user, now)
            link = url_for("exports.calendar_feed_file", token=token, _external=True)
    return render_template(
        "exports/calendar.html",
        form=form,
        link=link,
        active=link is not None or active_calendar_token(session, user) is not None,
    )


@bp.route("/calendar/<token>.ics")
def calendar_feed_file(token: str):
    """The feed itself: no sign-in, the secret link is the credential."""
    session = db_session()
    user = user_for_calendar_token(session, token)
    if user is None:
        abort(404)
    content = calendar_feed(
        organisation_of(session, user),
        calendar_tasks(session, user),
        current_app.config["BASE_URL"],
        app_clock(),
        calendar_from_config(current_app.config),
    )
    # content_type is sent as given; a mimetype would get a second "; charset=utf-8" appended
    response = Response(content, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="giaoviec.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
