"""The levels above a commune: the communes below a city, a province or the nation, worst first,
and each commune down to its units and their tasks."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rollup", __name__, url_prefix="/rollup")

from web.rollup import routes  # noqa: E402,F401  (registers the routes)
