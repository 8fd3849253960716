"""A person's notifications in the app: what the program's emails told them, read or unread."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inbox", __name__, url_prefix="/inbox")

from web.inbox import routes  # noqa: E402,F401  (registers the routes)
