"""Error pages in the user's language, and JSON errors under ``/api``.

A refusal of the engine that reaches here becomes the matching status: not allowed 403, not
found 404, illegal or stale 409, bad input 400.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from web.i18n import error_message
from workflow.errors import (
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleVersion,
    TooLarge,
    WorkflowError,
)

STATUS_OF = {
    TooLarge: 413,
    NotAllowed: 403,
    NotFound: 404,
    IllegalTransition: 409,
    StaleVersion: 409,
    InvalidInput: 400,
}
# A form sent back with its refusal keeps what was typed; bad input there is 422.
FORM_STATUS = {**STATUS_OF, InvalidInput: 422}


def status_of(error: WorkflowError, table: dict = STATUS_OF) -> int:
    """The HTTP status of a refusal: the most specific class in ``table`` wins, and a refusal
    that wraps another (a bulk approval) takes its cause's."""
    error = getattr(error, "cause", error)
    return next((table[kind] for kind in type(error).__mro__ if kind in table), 400)


TITLES = {
    400: lambda: gettext("The request is not valid"),
    401: lambda: gettext("Please sign in"),
    403: lambda: gettext("You may not see this page"),
    404: lambda: gettext("This page does not exist"),
    405: lambda: gettext("This action is not available here"),
    409: lambda: gettext("Someone changed this task: reload it"),
    413: lambda: gettext("The file is too large"),
    500: lambda: gettext("Something went wrong on our side"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str, code: str | None = None):
    """The error as JSON for the API, as a page for people."""
    if wants_json():
        return jsonify({"error": {"code": code or str(status), "message": message}}), status
    title = TITLES.get(status, TITLES[500])()
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(WorkflowError)
    def workflow_error(error: WorkflowError):
        return render_error(status_of(error), error_message(error), error.code)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = {
            413: lambda: gettext(
                "A file may be at most %(mb)s MB.", mb=app.config["MAX_UPLOAD_MB"]
            ),
            409: lambda: gettext(
                "Someone else changed this task in the meantime. Reload it and try again."
            ),
        }.get(status, lambda: TITLES.get(status, TITLES[500])())()
        return render_error(status, message, error.name.lower().replace(" ", "_"))
