"""Ban Xây dựng Đảng's review queue: every reported task, oldest first."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from web.review import routes  # noqa: E402,F401  (registers the routes)
