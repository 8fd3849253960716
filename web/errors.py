"""Refusals as answers: the one map from a refusal to its HTTP status, error pages in the
user's language, and JSON errors under ``/api``.

Not allowed is 403, not found 404, an illegal or stale action 409, a file too large 413, bad
input 400 (422 on a page that shows its form again with what was typed), no credentials 401;
a database that stopped answering mid-request (a connection cut, SQLite still locked after its
wait) 503, with nothing saved.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from web.database import rollback
from web.i18n import error_message
from workflow.errors import (
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleVersion,
    StorageFailed,
    TooLarge,
    WorkflowError,
)
from workflow.i18n import N_


class Unauthenticated(WorkflowError):
    """No credentials, or credentials that name no active user."""

    code = "unauthenticated"
    message = N_("Sign in, or send an API token in the header Authorization: Bearer <token>.")


class CsrfRefused(WorkflowError):
    """A change asked for through the session cookie without the session's CSRF token."""

    code = "csrf_failed"
    message = N_(
        "A change made with the browser session needs the session's CSRF token in the "
        "X-CSRFToken header."
    )


STATUS_OF = {
    TooLarge: 413,
    NotAllowed: 403,
    NotFound: 404,
    IllegalTransition: 409,
    StaleVersion: 409,
    InvalidInput: 400,
    Unauthenticated: 401,
    CsrfRefused: 400,
    StorageFailed: 503,
}
FORM_REFUSED = 422  # bad input, answered with the form and what was typed in it


def status_of(error: WorkflowError, *, form: bool = False) -> int:
    """The HTTP status of a refusal: the most specific class in ``STATUS_OF`` wins. A refusal
    that wraps another (one report of a selection) takes its cause's, a task gone from a
    selection being a conflict. ``form``: bad input shown again in its form."""
    cause = getattr(error, "cause", None)
    if cause is not None:
        return 409 if isinstance(cause, NotFound) else status_of(cause, form=form)
    status = next((STATUS_OF[kind] for kind in type(error).__mro__ if kind in STATUS_OF), 400)
    return FORM_REFUSED if form and status == 400 else status


TITLES = {
    400: lambda: gettext("The request is not valid"),
    401: lambda: gettext("Please sign in"),
    403: lambda: gettext("You may not see this page"),
    404: lambda: gettext("This page does not exist"),
    405: lambda: gettext("This action is not available here"),
    409: lambda: gettext("Someone changed this task: reload it"),
    413: lambda: gettext("The file is too large"),
    500: lambda: gettext("Something went wrong on our side"),
    503: lambda: gettext("Nothing was saved"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str, code: str | None = None):
    """The error as JSON for the API, as a page for people. What the request did is rolled
    back first (an error commits nothing), so a failed flush cannot break the error page too."""
    rollback()
    if wants_json():
        return jsonify({"error": {"code": code or str(status), "message": message}}), status
    title = TITLES.get(status, TITLES[500])()
    return render_template("errors/error.html", status=status, title=title, message=message), status


def headers_of(error: HTTPException) -> dict[str, str]:
    """What an HTTP error says besides its body (a 405's ``Allow``: the methods the address
    takes), kept when the error is answered with a page or JSON of ours."""
    return {name: value for name, value in error.get_headers() if name.lower() != "content-type"}


RETRY_AFTER_SECONDS = 5


def database_unavailable():
    """The answer when the database stops answering mid-request: the request's transaction is
    rolled back (the connection, if it was cut, is thrown away and the next request gets a new
    one), so nothing of it was saved and sending it again is safe."""
    message = gettext("The database did not answer: nothing was saved. Try again in a moment.")
    response, status = render_error(503, message, "database_unavailable")
    return response, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, lambda error: database_unavailable())

    @app.errorhandler(WorkflowError)
    def workflow_error(error: WorkflowError):
        return render_error(status_of(error), error_message(error), error.code)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = {
            413: lambda: gettext(
                "A file may be at most %(mb)s MB, and a report's files %(total)s MB together.",
                mb=app.config["MAX_UPLOAD_MB"],
                total=app.config["MAX_REQUEST_MB"],
            ),
            409: lambda: gettext(
                "Someone else changed this task in the meantime. Reload it and try again."
            ),
        }.get(status, lambda: TITLES.get(status, TITLES[500])())()
        response, status = render_error(status, message, error.name.lower().replace(" ", "_"))
        return response, status, headers_of(error)
