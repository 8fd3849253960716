"""A unit's work: its tasks this quarter, a task's page, and the actions on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("tasks", __name__)

from web.tasks import routes  # noqa: E402,F401  (registers the routes)
