"""The forms of a plan draft: one per item, each with proper inputs (unit pickers, dates,
milestones, cadence choices), each turning its item into fields and its fields back into the
item as a plan file writes it.

Every validator names its message, in the reader's language (WTForms ships none in
Vietnamese)."""

from __future__ import annotations

from datetime import date, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from workflow.periods import Quarter, quarters_between
from workflow.plans.importer.documents import MAX_DOCUMENT_BYTES
from workflow.plans.schema import UNIT_KINDS

REQUIRED = _l("This field is required.")
CODE = Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9_\-]*$",
    message=_l("Letters without accents, digits, - and _ only (no spaces)."),
)
REF = Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9.\-/_]*$",
    message=_l("Letters without accents, digits and . - / _ only (no spaces)."),
)
DOCUMENT_TYPES = ["docx", "htm", "html", "txt", "pdf"]
UNIT_KIND_LABELS = {
    "party_committee": _l("Party committee"),
    "party_board": _l("Board of the Party committee"),
    "party_organisation": _l("Party organisation"),
    "government": _l("Government"),
    "front": _l("Fatherland Front"),
    "mass_organisation": _l("Socio-political organisation"),
    "working_group": _l("Working group"),
    "position": _l("Position"),
    "other": _l("Other"),
}


def _choices(*pairs: tuple[str, object]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


CADENCES = _choices(
    ("quarterly", _l("Every quarter")),
    ("quarters", _l("In some quarters")),
    ("once", _l("Once, by a time")),
    ("span", _l("Over a span (owed in each quarter it covers)")),
    ("range", _l("Within dates, due at the end")),
    ("phases", _l("In phases (đợt)")),
)
COMPARATORS = _choices(
    ("", _l("— no figure —")), ("=", "="), (">", ">"), (">=", "≥"), ("<", "<"), ("<=", "≤")
)
ROLE_LABELS = {
    "lead": _l("Lead (owes the task)"),
    "coordinating": _l("Coordinating"),
    "directs": _l("Directs"),
    "in_charge": _l("In overall charge"),
    "takes_part": _l("Takes part"),
}


class Picks(SelectMultipleField):
    """Several choices as checkboxes (units, quarters, duties): usable on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        known = {value for value, _ in self.choices or []}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Choose from the list."))


class DocumentForm(FlaskForm):
    file = FileField(
        _l("The plan's document"),
        validators=[
            FileRequired(_l("Choose the plan's document.")),
            FileAllowed(
                DOCUMENT_TYPES,
                _l("A plan's document is .docx, .htm, .txt or .pdf (export .doc as .docx)."),
            ),
            FileSize(
                MAX_DOCUMENT_BYTES,
                message=_l("A document may be at most %(mb)s MB.", mb=MAX_DOCUMENT_BYTES >> 20),
            ),
        ],
    )
    submit = SubmitField(_l("Draft the plan"))


class VersionForm(FlaskForm):
    """Publish, discard, confirm, remove: an action on what the person saw (its version)."""

    version = HiddenField(validators=[InputRequired()])


class MomentForm(Form):
    """A time as plans give one: a date (and time), a month, a quarter, or a milestone and
    some days before or after it."""

    mode = SelectField(
        _l("Given as"),
        choices=_choices(
            ("date", _l("a date")),
            ("month", _l("a month (approximate)")),
            ("quarter", _l("a quarter")),
            ("milestone", _l("a milestone")),
        ),
        default="date",
    )
    day = DateField(_l("Date"), validators=[Optional()])
    at = TimeField(_l("Time"), validators=[Optional()])
    month = StringField(
        _l("Month"),
        validators=[Optional(), Regexp(r"^\d{4}-\d{2}$", message=_l("Write it as YYYY-MM."))],
        render_kw={"type": "month"},
    )
    quarter = SelectField(_l("Quarter"), choices=[], validate_choice=False)
    milestone = SelectField(_l("Milestone"), choices=[], validate_choice=False)
    days = IntegerField(
        _l("Days"),
        validators=[Optional(), NumberRange(min=0, max=3660, message=_l("0 to 3660 days."))],
        default=0,
    )
    direction = SelectField(
        _l("Before or after"), choices=_choices(("before", _l("before")), ("after", _l("after")))
    )
    milestone_at = TimeField(_l("Time"), validators=[Optional()])

    def set_choices(self, quarters: list[str], milestones: list[tuple[str, str]]) -> None:
        self.quarter.choices = [(q, q) for q in quarters]
        self.milestone.choices = milestones

    def fill(self, value: object) -> None:
        if isinstance(value, dict):
            self.mode.data, self.milestone.data = "milestone", value.get("milestone")
            before = value.get("days_before", 0)
            self.days.data = before or value.get("days_after", 0)
            self.direction.data = "before" if before else "after"
            self.milestone_at.data = _time(value.get("time"))
        elif isinstance(value, str) and "-Q" in value:
            self.mode.data, self.quarter.data = "quarter", value
        elif isinstance(value, str) and len(value) == 7:
            self.mode.data, self.month.data = "month", value
        elif isinstance(value, str) and value:
            self.mode.data, self.day.data = "date", date.fromisoformat(value[:10])
            self.at.data = _time(value[11:16])

    def value(self) -> object:
        """The time as the plan file writes it; ``ValidationError`` when it is incomplete."""
        mode = self.mode.data
        if mode == "milestone":
            if not self.milestone.data:
                raise ValidationError(_l("Choose a milestone."))
            moment = {"milestone": self.milestone.data}
            if self.days.data:
                moment[f"days_{self.direction.data}"] = self.days.data
            if self.milestone_at.data:
                moment["time"] = self.milestone_at.data.strftime("%H:%M")
            return moment
        if mode == "quarter":
            if not self.quarter.data:
                raise ValidationError(_l("Choose a quarter."))
            return self.quarter.data
        if mode == "month":
            if not self.month.data:
                raise ValidationError(_l("Give the month."))
            return self.month.data
        if self.day.data is None:
            raise ValidationError(_l("Give the date."))
        if self.at.data:
            return f"{self.day.data.isoformat()}T{self.at.data.strftime('%H:%M')}"
        return self.day.data.isoformat()


class PhaseRowForm(Form):
    """One đợt: due in a quarter, or by a time, perhaps from a start date."""

    name = StringField(_l("Phase"), validators=[Length(max=200)])
    quarter = SelectField(_l("Quarter"), choices=[], validate_choice=False)
    start = DateField(_l("From"), validators=[Optional()])
    end = FormField(MomentForm, label=_l("Due"))


class PlanFieldsForm(FlaskForm):
    title = TextAreaField(_l("Title"), validators=[InputRequired(REQUIRED)])
    number = StringField(_l("Number"), validators=[Length(max=32)])
    symbol = StringField(_l("Symbol"), validators=[Length(max=64)])
    issuing_body = StringField(
        _l("Issued by"), validators=[InputRequired(REQUIRED), Length(max=255)]
    )
    issued_on = DateField(_l("Issued on"), validators=[Optional()])
    start = DateField(_l("From"), validators=[InputRequired(REQUIRED)])
    end = DateField(_l("To"), validators=[InputRequired(REQUIRED)])
    due_on_day_off = SelectField(
        _l("A deadline on a day off"),
        choices=_choices(
            ("keep", _l("stays there")),
            ("previous_working_day", _l("moves to the working day before")),
        ),
    )
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The plan cannot end before it starts."))

    def fill(self, plan: dict) -> None:
        for name in ("title", "number", "symbol", "issuing_body"):
            getattr(self, name).data = plan.get(name) or ""
        self.issued_on.data = _day(plan.get("issued_on"))
        self.start.data = _day(plan.get("period", {}).get("start"))
        self.end.data = _day(plan.get("period", {}).get("end"))
        self.due_on_day_off.data = plan.get("due_on_day_off", "keep")

    def fields(self, original: dict) -> dict:
        return {
            "title": " ".join(self.title.data.split()),
            "number": self.number.data.strip() or None,
            "symbol": self.symbol.data.strip() or None,
            "issuing_body": self.issuing_body.data.strip(),
            "issued_on": self.issued_on.data.isoformat() if self.issued_on.data else None,
            "period": {"start": self.start.data.isoformat(), "end": self.end.data.isoformat()},
            "due_on_day_off": self.due_on_day_off.data,
        }


class UnitForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(REQUIRED), CODE, Length(max=64)])
    name = StringField(_l("Name"), validators=[InputRequired(REQUIRED), Length(max=255)])
    kind = SelectField(
        _l("Kind"), choices=_choices(*((k, UNIT_KIND_LABELS[k]) for k in UNIT_KINDS))
    )
    holder = StringField(_l("Held by (for a position)"), validators=[Length(max=255)])
    aliases = TextAreaField(_l("Other spellings in the document (one a line)"))
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def fill(self, unit: dict) -> None:
        self.code.data, self.name.data = unit["code"], unit["name"]
        self.kind.data, self.holder.data = unit.get("kind", "other"), unit.get("holder", "")
        self.aliases.data = "\n".join(unit.get("aliases", []))

    def fields(self, original: dict) -> dict:
        kept = {k: v for k, v in original.items() if k in ("short_name", "head_title", "example")}
        return kept | {
            "code": self.code.data.strip(),
            "name": self.name.data.strip(),
            "aliases": _lines(self.aliases.data),
            "kind": self.kind.data,
            "holder": self.holder.data.strip(),
        }


class GroupForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(REQUIRED), CODE, Length(max=64)])
    name = StringField(_l("Name"), validators=[InputRequired(REQUIRED), Length(max=255)])
    aliases = TextAreaField(_l("Other spellings in the document (one a line)"))
    members = Picks(_l("Members"), choices=[])
    members_later = BooleanField(_l("The administrator names the members after publishing"))
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def fill(self, group: dict) -> None:
        self.code.data, self.name.data = group["code"], group["name"]
        self.aliases.data = "\n".join(group.get("aliases", []))
        self.members.data = list(group.get("members", []))
        self.members_later.data = bool(group.get("members_later"))

    def fields(self, original: dict) -> dict:
        kept = {k: v for k, v in original.items() if k in ("short_name", "note")}
        return kept | {
            "code": self.code.data.strip(),
            "name": self.name.data.strip(),
            "aliases": _lines(self.aliases.data),
            "members": list(self.members.data or []),
            "members_later": self.members_later.data,
        }


class MergeForm(FlaskForm):
    into = SelectField(_l("Merge into"), choices=[], validate_choice=False)
    version = HiddenField()
    submit = SubmitField(_l("Merge"))


class MilestoneForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(REQUIRED), CODE, Length(max=64)])
    name = StringField(_l("Name"), validators=[InputRequired(REQUIRED), Length(max=255)])
    day = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    at = TimeField(_l("Time"), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def fill(self, milestone: dict) -> None:
        self.code.data, self.name.data = milestone["code"], milestone["name"]
        self.day.data = _day(milestone["date"])
        self.at.data = _time(milestone.get("time"))

    def fields(self, original: dict) -> dict:
        return {
            "code": self.code.data.strip(),
            "name": self.name.data.strip(),
            "date": self.day.data.isoformat(),
            "time": self.at.data.strftime("%H:%M") if self.at.data else None,
            "note": original.get("note", ""),
        }


class _Roles:
    """The five role pickers of a duty or phase, over the draft's units."""

    lead = Picks(ROLE_LABELS["lead"], choices=[])
    coordinating = Picks(ROLE_LABELS["coordinating"], choices=[])
    directs = Picks(ROLE_LABELS["directs"], choices=[])
    in_charge = Picks(ROLE_LABELS["in_charge"], choices=[])
    takes_part = Picks(ROLE_LABELS["takes_part"], choices=[])

    def set_units(self, units: list[tuple[str, str]]) -> None:
        for role in ROLE_LABELS:
            getattr(self, role).choices = units

    def fill_roles(self, item: dict) -> None:
        for role in ROLE_LABELS:
            getattr(self, role).data = list(item.get(role, []))

    def roles(self) -> dict:
        return {role: list(getattr(self, role).data or []) for role in ROLE_LABELS}


class ResponsibilityForm(FlaskForm, _Roles):
    ref = StringField(_l("Ref"), validators=[InputRequired(REQUIRED), REF, Length(max=32)])
    section = SelectField(_l("Section"), choices=[], validate_choice=False)
    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED)])
    text = TextAreaField(_l("Text, as the plan writes it"), validators=[InputRequired(REQUIRED)])
    result = StringField(_l("Result or product"))
    cadence = SelectField(_l("When it is owed"), choices=CADENCES)
    quarters = Picks(_l("Quarters"), choices=[])
    due = FormField(MomentForm, label=_l("Due"))
    span_start = FormField(MomentForm, label=_l("From"))
    span_end = FormField(MomentForm, label=_l("To"))
    range_start = DateField(_l("From"), validators=[Optional()])
    range_end = DateField(_l("To"), validators=[Optional()])
    phases = FieldList(FormField(PhaseRowForm), min_entries=1)
    note = TextAreaField(_l("Note"))
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def set_choices(self, context: DraftChoices) -> None:
        self.set_units(context.units)
        self.section.choices = context.sections
        self.quarters.choices = [(q, q) for q in context.quarters]
        for moment in (self.due, self.span_start, self.span_end):
            moment.form.set_choices(context.quarters, context.milestones)
        for row in self.phases:
            row.form.quarter.choices = [("", "—")] + [(q, q) for q in context.quarters]
            row.form.end.form.set_choices(context.quarters, context.milestones)

    def fill(self, item: dict) -> None:
        self.ref.data, self.section.data = item["ref"], item.get("section", "")
        self.title.data, self.text.data = item.get("title", ""), item.get("text", "")
        self.result.data, self.note.data = item.get("result", ""), item.get("note", "")
        self.fill_roles(item)
        cadence = item.get("cadence", "quarterly")
        cadence = {"kind": cadence} if isinstance(cadence, str) else cadence
        self.cadence.data = cadence["kind"]
        self.quarters.data = list(cadence.get("quarters", []))
        if cadence["kind"] == "once":
            self.due.form.fill(cadence["due"])
        elif cadence["kind"] == "span":
            self.span_start.form.fill(cadence["start"])
            self.span_end.form.fill(cadence["end"])
        elif cadence["kind"] == "range":
            self.range_start.data, self.range_end.data = (
                _day(cadence["start"]),
                _day(cadence["end"]),
            )
        phases = cadence.get("phases", []) if cadence["kind"] == "phases" else []
        while len(self.phases) < len(phases) + 1:
            self.phases.append_entry()
        for row, phase in zip(self.phases, phases, strict=False):
            row.form.name.data = phase["name"]
            row.form.quarter.data = phase.get("quarter") or ""
            row.form.start.data = _day(phase.get("start"))
            if not phase.get("quarter"):
                row.form.end.form.fill(phase.get("end", phase.get("due")))

    def validate_cadence(self, field) -> None:
        """The fields of the chosen cadence must say a time."""
        self._cadence = self._read_cadence(field.data)

    def _read_cadence(self, kind: str) -> object:
        if kind == "quarterly":
            return "quarterly"
        if kind == "quarters":
            if not self.quarters.data:
                raise ValidationError(_l("Choose at least one quarter."))
            return {"kind": "quarters", "quarters": sorted(self.quarters.data)}
        if kind == "once":
            return {"kind": "once", "due": self.due.form.value()}
        if kind == "span":
            return {
                "kind": "span",
                "start": self.span_start.form.value(),
                "end": self.span_end.form.value(),
            }
        if kind == "range":
            if not (self.range_start.data and self.range_end.data):
                raise ValidationError(_l("Give the first and the last day."))
            return {
                "kind": "range",
                "start": self.range_start.data.isoformat(),
                "end": self.range_end.data.isoformat(),
            }
        if kind != "phases":  # no cadence chosen: the choice's own error says so
            return None
        phases = []
        for row in self.phases:
            form = row.form
            name = (form.name.data or "").strip()
            if not name:
                continue
            phase = {"name": name}
            if form.quarter.data:
                phase["quarter"] = form.quarter.data
            elif form.start.data:
                phase |= {"start": form.start.data.isoformat(), "end": form.end.form.value()}
            else:
                phase["due"] = form.end.form.value()
            phases.append(phase)
        if not phases:
            raise ValidationError(_l("Name at least one phase."))
        return {"kind": "phases", "phases": phases}

    def fields(self, original: dict) -> dict:
        """The duty as saved; what the form does not show (its own due day, reminders) is
        kept from ``original``."""
        return _unshown(original) | {
            "ref": self.ref.data.strip(),
            "section": self.section.data,
            "title": " ".join(self.title.data.split()),
            "text": _text(self.text.data),
            **self.roles(),
            "result": self.result.data.strip(),
            "cadence": self._cadence,
            "note": _text(self.note.data),
        }


class PhaseForm(FlaskForm, _Roles):
    """A quarter's orientation (a plan's section per quarter)."""

    ref = StringField(_l("Ref"), validators=[InputRequired(REQUIRED), REF, Length(max=32)])
    section = SelectField(_l("Section"), choices=[], validate_choice=False)
    quarter = SelectField(_l("Quarter"), choices=[], validate_choice=False)
    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED)])
    goal = TextAreaField(_l("Goal"))
    content = TextAreaField(_l("Content"))
    forms = TextAreaField(_l("Forms"))
    result = StringField(_l("Result or product"))
    note = TextAreaField(_l("Note"))
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def set_choices(self, context: DraftChoices) -> None:
        self.set_units(context.units)
        self.section.choices = context.sections
        self.quarter.choices = [(q, q) for q in context.quarters]

    def fill(self, item: dict) -> None:
        for name in (
            "ref",
            "section",
            "quarter",
            "title",
            "goal",
            "content",
            "forms",
            "result",
            "note",
        ):
            getattr(self, name).data = item.get(name, "")
        self.fill_roles(item)

    def fields(self, original: dict) -> dict:
        texts = {n: _text(getattr(self, n).data) for n in ("goal", "content", "forms", "note")}
        return _unshown(original) | {
            "ref": self.ref.data.strip(),
            "section": self.section.data,
            "quarter": self.quarter.data,
            "title": " ".join(self.title.data.split()),
            **texts,
            **self.roles(),
            "result": self.result.data.strip(),
        }


class TargetForm(FlaskForm):
    ref = StringField(_l("Ref"), validators=[InputRequired(REQUIRED), REF, Length(max=32)])
    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED)])
    text = TextAreaField(_l("Text, as the plan writes it"), validators=[InputRequired(REQUIRED)])
    comparator = SelectField(_l("Target"), choices=COMPARATORS)
    figure = DecimalField(
        _l("Figure"),
        validators=[Optional()],
        places=None,
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    unit = StringField(_l("Unit of measure"), validators=[Length(max=16)])
    measure = StringField(_l("What is measured"))
    reported_in = Picks(_l("Reported in"), choices=[])
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def validate_figure(self, field) -> None:
        if (field.data is None) != (not self.comparator.data):
            raise ValidationError(_l("A figure and a comparator go together: give both or none."))

    def fill(self, target: dict) -> None:
        for name in ("ref", "title", "text", "unit", "measure"):
            getattr(self, name).data = target.get(name, "")
        self.comparator.data = target.get("comparator") or ""
        self.figure.data = target.get("figure")
        self.reported_in.data = list(target.get("reported_in", []))

    def fields(self, original: dict) -> dict:
        figure = self.figure.data
        number = None if figure is None else int(figure) if figure == int(figure) else float(figure)
        return {
            "ref": self.ref.data.strip(),
            "title": " ".join(self.title.data.split()),
            "text": _text(self.text.data),
            "figure": number,
            "unit": self.unit.data.strip(),
            "comparator": self.comparator.data or None,
            "measure": self.measure.data.strip(),
            "reported_in": list(self.reported_in.data or []),
            "note": original.get("note", ""),
        }


class DraftChoices:
    """What the pickers of a draft offer: its units, sections, quarters, milestones, duties."""

    def __init__(self, data: dict) -> None:
        units = data.get("units", []) + data.get("groups", [])
        self.units = [(u["code"], f"{u['code']} · {u['name']}") for u in units]
        self.members = [(u["code"], f"{u['code']} · {u['name']}") for u in data.get("units", [])]
        self.sections = [
            (s["ref"], f"{s['ref']} · {s['title'][:60]}") for s in data.get("sections", [])
        ]
        period = data["plan"].get("period", {})
        try:
            start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
            self.quarters = [str(q) for q in quarters_between(start, end)]
        except (KeyError, ValueError):
            self.quarters = [str(Quarter.of(date.today()))]
        self.milestones = [
            (m["code"], f"{m['name']} ({m['date']})") for m in data.get("milestones", [])
        ]
        duties = data.get("responsibilities", []) + data.get("phases", [])
        self.duties = [(r["ref"], f"{r['ref']} · {r['title'][:60]}") for r in duties]


def _unshown(original: dict) -> dict:
    return {k: v for k, v in original.items() if k in ("report_due", "reminders")}


def _day(value: object) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _time(value: object) -> time | None:
    return time.fromisoformat(value) if isinstance(value, str) and value else None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _text(text: str) -> str:
    """A text as typed: lines kept, blank lines and trailing spaces dropped."""
    return "\n".join(_lines(text))
