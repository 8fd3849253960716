"""The calendar link form; it carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField


class CalendarLinkForm(FlaskForm):
    """Create (or replace) one's calendar link, or revoke it."""

    create = SubmitField()
    revoke = SubmitField()
