"""The target page's two forms: a unit's figure, and a request for an explanation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from web.tasks.forms import DayField
from workflow.targets.figures import FigureEntry


class FigureForm(FlaskForm):
    period = SelectField(_l("Quarter"), choices=[])
    value = StringField(_l("Figure reached"), default="")
    count = StringField(_l("Count"), default="")
    total = StringField(_l("Out of"), default="")
    source = TextAreaField(_l("Source of the figure"), default="")
    evidence_link = StringField(_l("Link to evidence"), default="")

    def entry(self) -> FigureEntry:
        return FigureEntry(
            period=self.period.data or "",
            value=self.value.data or "",
            count=self.count.data or "",
            total=self.total.data or "",
            source=self.source.data or "",
            evidence_link=self.evidence_link.data or "",
        )


class ExplanationForm(FlaskForm):
    unit_id = IntegerField(validators=[InputRequired()])
    period = StringField(validators=[InputRequired()])
    due_on = DayField(_l("Answer by"))
    text = TextAreaField(_l("What the unit should explain"), default="")
