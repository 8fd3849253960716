"""Signing in and out, changing one's password, choosing one's language."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)

from web.auth import routes  # noqa: E402,F401  (registers the routes)
