"""Forms of the administration pages. Every validator names its message: WTForms ships none in
Vietnamese, and an admin must read what is wrong in their own language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from workflow.accounts.passwords import MIN_PASSWORD_LENGTH
from workflow.accounts.roles import Role

PLAN_MAX_MB = 2
REQUIRED = _l("This field is required.")
TOO_SHORT = _l("At least %(min)d characters.")
TOO_LONG = _l("At most %(max)d characters.")


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, _l(role.label)) for role in Role]


class UnitChoice(SelectField):
    """A unit picked by code; "none" is the empty string, for roles without a unit."""

    def set_units(self, units) -> None:
        self.choices = [("", _l("— none —"))] + [
            (unit.code, f"{unit.code} · {unit.display_name}") for unit in units
        ]


class NewUserForm(FlaskForm):
    username = StringField(
        _l("User name"), validators=[InputRequired(REQUIRED), Length(max=64, message=TOO_LONG)]
    )
    full_name = StringField(_l("Full name"), validators=[Length(max=255, message=TOO_LONG)])
    email = StringField(
        _l("Email"), validators=[InputRequired(REQUIRED), Length(max=255, message=TOO_LONG)]
    )
    role = SelectField(_l("Role"), choices=role_choices, default=Role.UNIT_HEAD.value)
    unit = UnitChoice(_l("Unit"), default="")
    password = PasswordField(
        _l("Initial password"),
        validators=[InputRequired(REQUIRED), Length(min=MIN_PASSWORD_LENGTH, message=TOO_SHORT)],
    )
    submit = SubmitField(_l("Create user"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)
    unit = UnitChoice(_l("Unit"), default="")
    submit = SubmitField(_l("Save role and unit"))


class PasswordResetForm(FlaskForm):
    new = PasswordField(
        _l("New password"),
        validators=[InputRequired(REQUIRED), Length(min=MIN_PASSWORD_LENGTH, message=TOO_SHORT)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Set the new password"))


class PlanUploadForm(FlaskForm):
    file = FileField(
        _l("Plan file (YAML)"),
        validators=[
            FileRequired(_l("Choose a plan file.")),
            FileAllowed(["yaml", "yml"], _l("A plan file ends in .yaml or .yml.")),
            FileSize(
                PLAN_MAX_MB << 20,
                message=_l("A plan file may be at most %(mb)s MB.", mb=PLAN_MAX_MB),
            ),
        ],
    )
    submit = SubmitField(_l("Check and load"))


class GroupMembersForm(FlaskForm):
    """The member units of a group the plan leaves to the admin, ticked."""

    members = SelectMultipleField(
        _l("Member units"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    submit = SubmitField(_l("Save the members"))

    def set_units(self, units) -> None:
        self.members.choices = [(unit.code, f"{unit.code} · {unit.display_name}") for unit in units]


class OpenQuarterForm(FlaskForm):
    quarter = SelectField(_l("Quarter"))
    submit = SubmitField(_l("Open the quarter"))
