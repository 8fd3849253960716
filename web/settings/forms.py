"""The notification settings form; it carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired


class NotificationSettingsForm(FlaskForm):
    email_digests = BooleanField(_l("Send me reminder digests by email"))
    locale = RadioField(
        _l("Language of pages and emails"),
        choices=[SelectChoice("vi", "Tiếng Việt"), SelectChoice("en", "English")],
        validators=[InputRequired(_l("Choose a language."))],
    )
    submit = SubmitField(_l("Save"))
