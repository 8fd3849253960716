"""Downloads: the quarterly report, task lists, calendar feeds and the printable accountability."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from web.exports import routes  # noqa: E402,F401  (registers the routes)
