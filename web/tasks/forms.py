"""The forms of the task page, each with a CSRF token (Flask-WTF), and the filters of a list.

They check the shape of what was sent (a version that is a number, files that are files);
whether the input is complete and allowed is the engine's to say, in the same words for the
pages and the API.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import Field, IntegerField, SearchField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import DateInput

from web.actions import TaskAction
from web.storage import uploads
from workflow.periods import Quarter
from workflow.tasks.deadlines import DeadlineStatus
from workflow.tasks.states import TaskEvent, TaskState

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


class AssignForm(ActionForm):
    """The member the head gives the task to (a user name; empty: take it back)."""

    assignee = StringField(default="")

    def action(self, event: TaskEvent) -> TaskAction:
        return TaskAction(event, self.version.data, assignee=(self.assignee.data or "").strip())


class DraftForm(ActionForm):
    """The draft of the report: its text and links, for the head to send later."""

    text = TextAreaField(default="")
    links = TextAreaField(default="")

    def action(self, event: TaskEvent) -> TaskAction:
        links = (self.links.data or "").splitlines()
        return TaskAction(event, self.version.data, self.text.data or "", links=links)


class CommentForm(FlaskForm):
    text = TextAreaField(default="")


class DayField(Field):
    """A day, as a date input sends it (``2026-03-31``) or as a person types it where there is
    no date picker (``31/03/2026``); empty is None, and the engine says it is missing."""

    widget = DateInput()

    def _value(self) -> str:
        return self.data.isoformat() if self.data else (self.raw_data or [""])[0]

    def process_formdata(self, valuelist) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                self.data = datetime.strptime(text, pattern).date()
                return
            except ValueError:
                continue
        raise ValueError(_l("Write the date as dd/mm/yyyy, e.g. 31/03/2026."))


class ExtensionRequestForm(FlaskForm):
    """A request for a later due date: the version seen, the new day and the reason."""

    version = IntegerField(validators=[InputRequired()])
    due_date = DayField(_l("New due date"))
    reason = TextAreaField(_l("Reason for the extension"), default="")

    def action(self, event: TaskEvent) -> TaskAction:
        day: date | None = self.due_date.data
        return TaskAction(event, self.version.data, self.reason.data or "", due_date=day)


class ExtensionDecisionForm(FlaskForm):
    """Grant the waiting request, or refuse it with a reason."""

    version = IntegerField(validators=[InputRequired()])
    reason = TextAreaField(_l("Reason for refusing"), default="")
    following = IntegerField(validators=[Optional()])  # the review queue's next item

    def action(self, event: TaskEvent) -> TaskAction:
        return TaskAction(event, self.version.data, self.reason.data or "")


def action_form(event: TaskEvent) -> ActionForm:
    """The form that carries ``event``, read from the request."""
    forms = {
        TaskEvent.REPORT: ReportForm,
        TaskEvent.ASSIGN: AssignForm,
        TaskEvent.SAVE_DRAFT: DraftForm,
    }
    return forms.get(event, ActionForm)()


def extension_form(event: TaskEvent) -> ExtensionRequestForm | ExtensionDecisionForm:
    """The form that carries an extension's ``event``, read from the request."""
    if event is TaskEvent.ASK_EXTENSION:
        return ExtensionRequestForm()
    return ExtensionDecisionForm()


class SearchForm(FlaskForm):
    """Words of a ref or title a list of tasks is narrowed to, read from the query string. No
    CSRF token: it changes nothing."""

    class Meta:
        csrf = False

    q = SearchField(default="", filters=[lambda text: (text or "").strip()])

    def __init__(self, **kwargs) -> None:
        super().__init__(formdata=request.args, **kwargs)

    @property
    def selects(self) -> list[SelectField]:
        """The lists of choices beside the words (none here)."""
        return []

    @property
    def narrowed(self) -> bool:
        """Whether anything was asked for; without it a list shows what is still owed."""
        return any([self.q.data, *(field.data for field in self.selects)])


class TaskFilterForm(SearchForm):
    """Words, a quarter, a state, a deadline status."""

    quarter = SelectField(default="")
    state = SelectField(default="")
    status = SelectField(default="")

    def __init__(self, quarters: list[Quarter], **kwargs) -> None:
        super().__init__(**kwargs)
        self.quarter.choices = [("", _l("Every quarter"))] + [
            (str(quarter), _l("Quarter %(quarter)s", quarter=quarter.roman)) for quarter in quarters
        ]
        self.state.choices = [("", _l("Every state"))] + [
            (state.value, _l(state.label)) for state in TaskState
        ]
        self.status.choices = [("", _l("Every deadline status"))] + [
            (status.value, _l(status.label)) for status in DeadlineStatus
        ]

    @property
    def selects(self) -> list[SelectField]:
        return [self.quarter, self.state, self.status]

    def filters(self) -> dict:
        """The ``list_tasks`` filters asked for; a choice not offered is ignored (and the form
        says so in its errors)."""
        self.validate()
        valid = {name: field.data for name, field in self._fields.items() if not field.errors}
        filters: dict = {"search": valid.get("q") or ""}
        if valid.get("quarter"):
            filters["quarter"] = Quarter.parse(valid["quarter"])
        if valid.get("state"):
            filters["state"] = valid["state"]
        if valid.get("status"):
            filters["status"] = DeadlineStatus(valid["status"])
        if not self.narrowed:
            filters["completed"] = False
        return filters
