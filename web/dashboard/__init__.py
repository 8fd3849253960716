"""What leaders look at: accountability by unit head, and the plan's progress."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from web.dashboard import routes  # noqa: E402,F401  (registers the routes)
