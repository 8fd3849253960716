"""The forms of the task page; each carries a CSRF token (Flask-WTF).

They check the shape of what was sent (a version that is a number, files that are files);
whether the input is complete and allowed is the engine's to say, in the same words for the
pages and the API.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import Field, IntegerField, TextAreaField
from wtforms.validators import InputRequired

from web.actions import TaskAction
from web.storage import uploads
from workflow.tasks.states import TaskEvent

FIGURE_PREFIX = "figure-"


class FiguresField(Field):
    """Every ``figure-<target id>`` input of the form, as ``{target id: text}``."""

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.data = {}
        for name, value in (formdata or {}).items():
            key = name.removeprefix(FIGURE_PREFIX)
            if name.startswith(FIGURE_PREFIX) and key.isascii() and key.isdigit():
                self.data[int(key)] = value


class ActionForm(FlaskForm):
    """Start, approve, return or reopen: the version the person saw, and a comment or reason."""

    version = IntegerField(validators=[InputRequired()])
    comment = TextAreaField(default="")

    def action(self, event: TaskEvent) -> TaskAction:
        return TaskAction(event, self.version.data, self.comment.data or "")


class ReportForm(ActionForm):
    """A report: what was done, links, evidence files and the figures of the task's targets."""

    text = TextAreaField(default="")
    links = TextAreaField(default="")
    files = MultipleFileField()
    figures = FiguresField()

    def action(self, event: TaskEvent) -> TaskAction:
        return TaskAction(
            event,
            self.version.data,
            self.text.data or "",
            links=(self.links.data or "").splitlines(),
            figures=self.figures.data,
            files=uploads(self.files.data or []),
        )


class CommentForm(FlaskForm):
    text = TextAreaField(default="")


def action_form(event: TaskEvent) -> ActionForm:
    """The form that carries ``event``, read from the request."""
    return ReportForm() if event is TaskEvent.REPORT else ActionForm()
