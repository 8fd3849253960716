"""The shape of a plan file, as pydantic models: what each field is and what it may hold.

Only the shape is checked here; what depends on other parts of the file (a lead that names an
unknown unit, a quarter outside the plan's period) is checked in ``plan_format``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from workflow.i18n import N_
from workflow.organisations.models import Organisation, Unit
from workflow.periods import Quarter
from workflow.plans.models import Plan, Responsibility, Target

UNIT_KINDS = (
    "party_committee",  # Đảng ủy, Thường trực Đảng ủy
    "party_board",  # a board of the Party Committee: Ban Xây dựng Đảng, UBKT
    "party_organisation",  # chi bộ, đảng bộ bộ phận
    "government",  # UBND and its offices
    "front",  # Ủy ban MTTQ Việt Nam
    "mass_organisation",  # Đoàn Thanh niên, Hội LHPN, Hội CCB...
    "working_group",  # tổ giúp việc, ban biên tập, ban chỉ đạo
    "position",  # a position rather than a body: "Phó Chủ tịch Thường trực"
    "other",
)


def column_length(model, name: str) -> int:
    """How many characters ``model``'s column ``name`` holds: the one place a plan field's
    limit comes from, so a file that validates also loads (PostgreSQL refuses longer text)."""
    return model.__table__.c[name].type.length


def fits(model, name: str, required: bool = False):
    """Text that fits ``model``'s column ``name``; ``required`` text may not be empty."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=1 if required else 0,
            max_length=column_length(model, name),
        ),
    ]


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Code = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$",
        max_length=column_length(Organisation, "code"),
    ),
]
Ref = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-/_]*$",
        max_length=column_length(Responsibility, "ref"),
    ),
]
UnitName = fits(Unit, "name", required=True)
ShortName = fits(Unit, "short_name")


def _quarter(value: str) -> str:
    try:
        return str(Quarter.parse(value))
    except ValueError:
        raise PydanticCustomError(
            "quarter",
            N_("is not a quarter (write it like 2026-Q3): %(value)s"),
            {"value": value},
        ) from None


QuarterName = Annotated[str, AfterValidator(_quarter)]


DUE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")


def _due(value: object) -> object:
    """A local date (``2026-03-31``) or date and time (``2026-03-31T17:00``), nothing else."""
    if isinstance(value, date):
        return value
    try:
        if not isinstance(value, str) or not DUE_PATTERN.match(value.strip()):
            raise ValueError(value)
        text = value.strip()
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError(
            "due",
            N_("is not a valid date (write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM)"),
        ) from None


DueValue = Annotated[date | datetime, BeforeValidator(_due)]

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class Strict(BaseModel):
    """Unknown fields are mistakes (usually typos), never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Month(Strict):
    """A month alone ("tháng 11/2025", "dự kiến tháng 11/2025"): due at its end, and shown as
    approximate."""

    year: int = Field(ge=1900, le=2200)
    month: int = Field(ge=1, le=12)


class MilestoneMoment(Strict):
    """A time given by a milestone of the plan: on it, or some days before or after it
    ("chậm nhất trước ngày bầu cử 10 ngày", "sau ngày … 5 ngày", "đến khi kết thúc …")."""

    milestone: Code
    days_before: int = Field(default=0, ge=0, le=3660)
    days_after: int = Field(default=0, ge=0, le=3660)
    time: dt.time | None = None


def _moment(value: object) -> object:
    """A date, a date and time, a month (``2025-11``) or a milestone, as written."""
    if isinstance(value, dict | date | Month | MilestoneMoment):
        return value
    match = MONTH_PATTERN.match(value.strip()) if isinstance(value, str) else None
    if match and 1 <= int(match.group(2)) <= 12:
        return Month(year=int(match.group(1)), month=int(match.group(2)))
    try:
        return _due(value)
    except PydanticCustomError:
        raise PydanticCustomError(
            "moment",
            N_(
                "is not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM or a month YYYY-MM) nor a "
                "milestone ({milestone: CODE, days_before: N})"
            ),
        ) from None


Moment = Annotated[date | datetime | Month | MilestoneMoment, BeforeValidator(_moment)]


# Who issues the plan; the Party's layout for the Party, the state's (with the national motto)
# for the others.
ISSUER_KINDS = ("party", "government", "front", "mass_organisation", "election")


class OrganisationDef(Strict):
    code: Code
    name: fits(Organisation, "name", required=True)
    kind: Literal[ISSUER_KINDS]
    place: fits(Organisation, "place") = ""


class PeriodDef(Strict):
    start: date
    end: date


class SignerDef(Strict):
    on_behalf: str = ""
    title: Text
    name: Text


class PlanInfoDef(Strict):
    code: Code
    number: fits(Plan, "number") | None = None
    symbol: fits(Plan, "symbol") | None = None
    title: Text
    issuing_body: fits(Plan, "issuing_body", required=True)
    issued_on: date | None = None
    period: PeriodDef
    source: str = ""
    based_on: list[Text] = []
    signer: SignerDef | None = None
    recipients: list[Text] = []
    due_on_day_off: Literal["keep", "previous_working_day"] = "keep"


class MilestoneDef(Strict):
    """A named date of the plan (an election day, a congress), that deadlines may follow."""

    code: Code
    name: Text
    date: date
    time: dt.time | None = None
    note: str = ""


class AnnexDef(Strict):
    """Content of the plan that is not a task: slogans, lists of forms, references."""

    title: Text
    kind: Literal["slogans", "forms", "references", "other"] = "other"
    text: Text


class DueRuleDef(Strict):
    """When a quarter's report is due: day ``day`` of the quarter's ``month``-th month."""

    month: int = Field(default=3, ge=1, le=3)
    day: int = Field(default=15, ge=1, le=31)
    time: dt.time = dt.time(17, 0)


class ReminderRulesDef(Strict):
    before_days: list[Annotated[int, Field(ge=0, le=365)]] = [14, 7, 3, 1, 0]
    overdue_after_days: int = Field(default=1, ge=0, le=365)
    overdue_every_days: int = Field(default=7, ge=1, le=365)
    escalate_after_days: int = Field(default=7, ge=0, le=365)


# The one place the default reminder days are written: plans that say nothing get these.
DEFAULT_REMINDERS = ReminderRulesDef().model_dump()


def reminder_rules(details: Mapping) -> dict:
    """The reminder days of a loaded responsibility, from its ``details``; the defaults fill
    what it does not say."""
    return {**DEFAULT_REMINDERS, **(details.get("reminders") or {})}


# The plan's settings that are one number, and what a plan that does not give one gets: how
# many times a task's due date may be extended (gia hạn), and how many days before the lead's
# due day a coordinating unit's contribution is due (phối hợp).
PLAN_SETTINGS = {"extensions_per_task": 1, "contribution_days_before": 5}


class DefaultsDef(Strict):
    report_due: DueRuleDef = DueRuleDef()
    reminders: ReminderRulesDef = ReminderRulesDef()
    # Extensions Ban Xây dựng Đảng may grant on one task; 0: none may be asked for.
    extensions_per_task: int = Field(default=PLAN_SETTINGS["extensions_per_task"], ge=0, le=10)
    # A contribution is due this many days before the lead's report; 0: the same day.
    contribution_days_before: int = Field(
        default=PLAN_SETTINGS["contribution_days_before"], ge=0, le=60
    )


def plan_setting(definition: Mapping, name: str) -> int:
    """One of ``PLAN_SETTINGS`` of a loaded plan; a plan loaded before the setting existed gets
    the default."""
    defaults = definition.get("defaults") or {}
    return defaults.get(name, PLAN_SETTINGS[name])


class UnitDef(Strict):
    code: Code
    name: UnitName
    short_name: ShortName = ""
    aliases: list[UnitName] = []
    kind: Literal[UNIT_KINDS]
    head_title: fits(Unit, "head_title") = ""
    holder: fits(Unit, "holder") = ""
    example: bool = False  # not named by the plan: invented for the demo


class GroupDef(Strict):
    code: Code
    name: UnitName
    short_name: ShortName = ""
    aliases: list[UnitName] = []
    members: list[UnitName] = []
    members_later: bool = False  # "các đồng chí Phó Chủ tịch": the admin names them
    note: str = ""


class SectionDef(Strict):
    ref: Ref
    title: Text


class QuarterlyCadence(Strict):
    """Owed every quarter of the plan's period (định kỳ, thường xuyên)."""

    kind: Literal["quarterly"]


class QuartersCadence(Strict):
    """Owed once in each of the given quarters."""

    kind: Literal["quarters"]
    quarters: list[QuarterName] = Field(min_length=1)


class OnceCadence(Strict):
    """Owed once, by a date or a date-time."""

    kind: Literal["once"]
    due: Moment


class RangeCadence(Strict):
    """Carried out within a date range, due at its end."""

    kind: Literal["range"]
    start: date
    end: date


class SpanCadence(Strict):
    """Work that runs from one time to another ("từ tháng 12/2025 đến quý I/2026"): owed in
    every quarter it covers, each by that quarter's report due day, the last by its end."""

    kind: Literal["span"]
    start: Moment | QuarterName
    end: Moment | QuarterName


class PhaseDue(Strict):
    """One phase (đợt): due by a time, by the report due day of a quarter, or, with a start,
    by its end (which may be a milestone, or the plan's end: ``{milestone: plan_end}``)."""

    name: Text
    due: Moment | None = None
    quarter: QuarterName | None = None
    start: Moment | None = None
    end: Moment | None = None


class PhasesCadence(Strict):
    kind: Literal["phases"]
    phases: list[PhaseDue] = Field(min_length=1)


def _cadence_shorthand(value: object) -> object:
    return {"kind": value} if isinstance(value, str) else value


Cadence = Annotated[
    QuarterlyCadence | QuartersCadence | OnceCadence | RangeCadence | SpanCadence | PhasesCadence,
    Field(discriminator="kind"),
    BeforeValidator(_cadence_shorthand),
]


class ResponsibilityDef(Strict):
    ref: Ref
    section: Ref
    title: Text
    text: Text
    lead: list[UnitName] = Field(min_length=1)
    coordinating: list[UnitName] = []
    directs: list[UnitName] = []  # chỉ đạo
    in_charge: list[UnitName] = []  # phụ trách chung
    takes_part: list[UnitName] = []  # tham gia
    result: str = ""
    cadence: Cadence = QuarterlyCadence(kind="quarterly")
    report_due: DueRuleDef | None = None
    reminders: ReminderRulesDef | None = None
    note: str = ""


class PhaseDef(Strict):
    """A quarter's orientation (section IV of a plan): its goal, content and forms, owed by its
    lead units in that quarter."""

    ref: Ref
    section: Ref
    quarter: QuarterName
    title: Text
    goal: str = ""
    content: str = ""
    forms: str = ""
    lead: list[UnitName] = Field(min_length=1)
    coordinating: list[UnitName] = []
    directs: list[UnitName] = []
    in_charge: list[UnitName] = []
    takes_part: list[UnitName] = []
    result: str = ""
    report_due: DueRuleDef | None = None
    reminders: ReminderRulesDef | None = None
    note: str = ""


class TargetDef(Strict):
    ref: Ref
    title: Text
    text: Text
    figure: Decimal | None = None
    unit: fits(Target, "unit_of_measure") = "%"
    comparator: Literal["=", ">", ">=", "<", "<="] | None = None
    measure: str = ""
    baseline: Decimal | None = None
    milestones: dict[QuarterName, Decimal] = {}
    at_risk_within: Decimal | None = Field(default=None, ge=0)
    reported_in: list[Ref] = []
    note: str = ""


class PlanFileDef(Strict):
    format: Literal[1, 2]
    organisation: OrganisationDef
    plan: PlanInfoDef
    milestones: list[MilestoneDef] = []
    defaults: DefaultsDef = DefaultsDef()
    units: list[UnitDef] = Field(min_length=1)
    groups: list[GroupDef] = []
    sections: list[SectionDef] = []
    responsibilities: list[ResponsibilityDef] = []
    phases: list[PhaseDef] = []
    targets: list[TargetDef] = []
    annexes: list[AnnexDef] = []


# What pydantic's error types mean, said for a plan's author. ``%(name)s`` come from the error.
SHAPE_MESSAGES = {
    "missing": N_("is required"),
    "extra_forbidden": N_("is not a known field (check the spelling)"),
    "string_type": N_("must be text"),
    "string_too_short": N_("must not be empty"),
    "string_too_long": N_("is too long (at most %(max_length)s characters)"),
    "string_pattern_mismatch": N_(
        "may hold only letters without accents, digits and . - / _ (no spaces)"
    ),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "decimal_parsing": N_("must be a number"),
    "decimal_type": N_("must be a number"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "date_type": N_("must be a date written as YYYY-MM-DD"),
    "date_parsing": N_("is not a valid date (write it as YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("is not a valid date (write it as YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("must be a date without a time"),
    "datetime_type": N_("must be a date or a date and time"),
    "datetime_parsing": N_("is not a valid date (write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM)"),
    "datetime_from_date_parsing": N_(
        "is not a valid date (write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
    ),
    "time_type": N_("must be a time written as HH:MM"),
    "time_parsing": N_("is not a valid time (write it as HH:MM)"),
    "literal_error": N_("must be one of: %(expected)s"),
    "list_type": N_("must be a list"),
    "too_short": N_("must not be empty"),
    "model_type": N_("must be a set of fields"),
    "model_attributes_type": N_("must be a set of fields"),
    "dict_type": N_("must be a set of fields"),
    "greater_than_equal": N_("must be at least %(ge)s"),
    "less_than_equal": N_("must be at most %(le)s"),
    "union_tag_invalid": N_("%(tag)s is not a known kind; use one of: %(expected_tags)s"),
    "union_tag_not_found": N_(
        "needs a kind: one of quarterly, quarters, once, range, span, phases"
    ),
    "moment": N_(
        "is not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM or a month YYYY-MM) nor a "
        "milestone ({milestone: CODE, days_before: N})"
    ),
    "due": N_("is not a valid date (write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM)"),
    "quarter": N_("is not a quarter (write it like 2026-Q3): %(value)s"),
}
