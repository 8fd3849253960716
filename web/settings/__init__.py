"""A person's own settings: notifications by email, language, and a preview of the reminders."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/settings")

from web.settings import routes  # noqa: E402,F401  (registers the routes)
