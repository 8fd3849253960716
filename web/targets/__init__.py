"""The plan's targets (chỉ tiêu): where each stands, one target's page, figures entered on it,
and the explanations leaders ask for."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("targets", __name__, url_prefix="/targets")

from web.targets import routes  # noqa: E402,F401  (registers the routes)
