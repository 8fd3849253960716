"""The evaluation's forms: a leader's grade, and the office's rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from workflow.accountability.grading import Grade, GradeRule

RULED = (Grade.EXCELLENT, Grade.GOOD, Grade.DONE)


class GradeForm(FlaskForm):
    grade = SelectField(_l("Grade"), choices=[])
    note = TextAreaField(_l("Reason, if it differs from the grade proposed"), default="")

    def offer(self, gettext) -> None:
        self.grade.choices = [(grade.value, gettext(grade.label)) for grade in Grade]


def _share(label):
    return DecimalField(label, places=0, validators=[InputRequired(), NumberRange(0, 100)])


def _count(label):
    return IntegerField(label, validators=[InputRequired(), NumberRange(0, 1000)])


class RulesForm(FlaskForm):
    """Three lines, from the highest grade: the shares in per cent, the counts as numbers."""

    excellent_on_time = _share(_l("Least share completed on time (%)"))
    excellent_targets = _share(_l("Least share of target figures reached (%)"))
    excellent_overdue = _count(_l("Most duties overdue"))
    excellent_unanswered = _count(_l("Most explanations unanswered"))
    good_on_time = _share(_l("Least share completed on time (%)"))
    good_targets = _share(_l("Least share of target figures reached (%)"))
    good_overdue = _count(_l("Most duties overdue"))
    good_unanswered = _count(_l("Most explanations unanswered"))
    done_on_time = _share(_l("Least share completed on time (%)"))
    done_targets = _share(_l("Least share of target figures reached (%)"))
    done_overdue = _count(_l("Most duties overdue"))
    done_unanswered = _count(_l("Most explanations unanswered"))

    def fill(self, rules: dict[Grade, GradeRule]) -> None:
        for grade in RULED:
            rule = rules[grade]
            self[f"{grade.value}_on_time"].data = round(rule.min_on_time * 100)
            self[f"{grade.value}_targets"].data = round(rule.min_targets * 100)
            self[f"{grade.value}_overdue"].data = rule.max_overdue
            self[f"{grade.value}_unanswered"].data = rule.max_unanswered

    def rules(self) -> dict[Grade, GradeRule]:
        return {
            grade: GradeRule(
                float(self[f"{grade.value}_on_time"].data) / 100,
                float(self[f"{grade.value}_targets"].data) / 100,
                self[f"{grade.value}_overdue"].data,
                self[f"{grade.value}_unanswered"].data,
            )
            for grade in RULED
        }

    def fields_of(self, grade: Grade):
        return [
            self[f"{grade.value}_{name}"]
            for name in ("on_time", "targets", "overdue", "unanswered")
        ]
