"""The JSON API, ``/api/v1``: Bearer tokens or the browser session."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from web.api import routes  # noqa: E402,F401  (registers the routes)
