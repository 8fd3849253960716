"""Who is calling: a Bearer token first, else the browser session.

The blueprint is exempt from Flask-WTF's form CSRF check so that token clients need none; a
request that rides on the session cookie and changes something must therefore prove, with the
session's CSRF token in ``X-CSRFToken``, that a page of this site sent it.
"""

from __future__ import annotations

from flask import g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from web.api import bp
from web.clock import app_clock
from web.database import db_session
from web.errors import CsrfRefused, Unauthenticated
from workflow.accounts.models import User
from workflow.accounts.tokens import user_for_token
from workflow.i18n import N_

PUBLIC_ENDPOINTS = frozenset({"api.openapi"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRFToken"


@bp.before_request
def authenticate() -> None:
    """Every endpoint but the public ones acts for a known, active user."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.method == "OPTIONS":
        return
    g.api_user = _caller()


def api_user() -> User:
    """The user this request acts for."""
    return g.api_user


def _caller() -> User:
    header = request.headers.get("Authorization")
    if header is not None:
        return _token_user(header)
    if not current_user.is_authenticated:
        raise Unauthenticated()
    if request.method not in SAFE_METHODS:
        try:
            validate_csrf(request.headers.get(CSRF_HEADER))
        except ValidationError:
            raise CsrfRefused() from None
    return current_user.user


def _token_user(header: str) -> User:
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated()
    user = user_for_token(db_session(), token.strip(), app_clock().now())
    if user is None:
        raise Unauthenticated(
            N_("This API token is not valid: it is unknown or revoked, or its user is inactive.")
        )
    return user
