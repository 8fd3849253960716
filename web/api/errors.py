"""API refusals as JSON ``{"error": {"code", "message"}}``, in the language of the user the
request acts for, whether a token or the session signed them in."""

from __future__ import annotations

from flask import g
from flask_babel import force_locale, get_locale
from werkzeug.exceptions import HTTPException

from web.api import bp
from web.errors import TITLES, headers_of, render_error, status_of
from web.i18n import LOCALES, error_message
from workflow.errors import WorkflowError

CHALLENGE = 'Bearer realm="giaoviec"'


@bp.errorhandler(WorkflowError)
def refusal(error: WorkflowError):
    with force_locale(_reader_locale()):
        response, status = render_error(status_of(error), error_message(error), error.code)
    if status == 401:
        response.headers["WWW-Authenticate"] = CHALLENGE
    return response, status


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    status = error.code or 500
    with force_locale(_reader_locale()):
        message = TITLES.get(status, TITLES[500])()
        response, status = render_error(status, message, error.name.lower().replace(" ", "_"))
    return response, status, headers_of(error)


def _reader_locale() -> str:
    """The caller's own language once known; before that, what a page would be shown in."""
    user = g.get("api_user")
    if user is not None and user.locale in LOCALES:
        return user.locale
    return str(get_locale())
