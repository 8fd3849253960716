"""The JSON API, ``/api/v1``: Bearer tokens or the browser session, errors as JSON in the
caller's language, and an OpenAPI document that says all of this to clients."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from web.api import auth, errors, routes  # noqa: E402,F401  (registers hooks and routes)
