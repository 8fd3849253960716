"""The year-end evaluation: each unit's year of accountability (by head), its files, the grade
its figures propose and the one a leader confirms, and the rules the office sets."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")

from web.evaluation import routes  # noqa: E402,F401  (registers the routes)
