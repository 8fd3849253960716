"""Plan drafts in the browser: a plan's document drafted, checked beside its source, and
published, by the administrator and Ban Xây dựng Đảng."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("drafts", __name__, url_prefix="/plans/drafts")

from web.drafts import routes  # noqa: E402,F401  (registers the routes)
