"""The forms of the review queue; each carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError


class DecisionForm(FlaskForm):
    """Approve one report, or return it with a reason."""

    version = IntegerField(validators=[InputRequired()])
    comment = TextAreaField(default="")
    following = IntegerField(validators=[Optional()])  # the next report on the page


class TickedTasksField(Field):
    """The ticked boxes, each ``<task id>:<version seen>``, as ``[(task id, version)]``."""

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.raw_data = formdata.getlist(self.name) if formdata else []
        self.data = []
        for value in self.raw_data:
            task_id, _colon, version = value.partition(":")
            if not (task_id.isdigit() and version.isdigit()):
                self.process_errors.append(ValidationError(value))
                continue
            self.data.append((int(task_id), int(version)))


class BulkApproveForm(FlaskForm):
    """The ticked reports, or with ``everything`` every approvable report of the page."""

    task = TickedTasksField()
    every = TickedTasksField()
    everything = SubmitField()
    comment = StringField(default="")
