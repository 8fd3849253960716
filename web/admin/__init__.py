"""Administration: users, units and their heads, plans and quarters."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from web.admin import outbox, routes  # noqa: E402,F401  (registers the routes)
