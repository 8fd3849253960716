"""The year-end evaluation's two actions: a leader confirms a unit's grade for the year, and
the office sets the rules that propose the grades. Each flushes; the caller commits."""

from __future__ import annotations

from sqlmodel import Session

from workflow.accountability.grading import Grade, GradeRule, checked_rules, rules_data
from workflow.accountability.models import GradingRules, UnitGrade
from workflow.accountability.year import unit_year
from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.organisations.models import Organisation, Unit
from workflow.permissions import Access, require
from workflow.tasks.operations import COMMENT_LIMIT


def confirm_grade(
    session: Session,
    user: User,
    organisation: Organisation,
    unit: Unit,
    year: int,
    grade: str,
    note: str = "",
    *,
    clock: Clock,
) -> UnitGrade:
    """A leader confirms ``unit``'s grade for ``year``: the one its figures propose now, or
    another one with the reason in ``note``. Confirming again replaces it."""
    require(user, Access.GRADE_CONFIRMATION, organisation.id)
    try:
        chosen = Grade(grade)
    except ValueError:
        raise InvalidInput(N_("Choose one of the grades.")) from None
    note = (note or "").strip()
    if len(note) > COMMENT_LIMIT:
        raise InvalidInput(N_("A reason may be at most %(count)s characters."), count=COMMENT_LIMIT)
    proposed = unit_year(session, organisation, unit, year, clock, viewer=user).proposed
    if chosen is not proposed and not note:
        raise InvalidInput(N_("Say why the grade differs from the one the figures propose."))
    record = session.get(UnitGrade, (unit.id, year)) or UnitGrade(unit_id=unit.id, year=year)
    record.grade = chosen.value
    record.proposed = proposed.value if proposed else None
    record.note = note
    record.confirmed_by = user.id
    record.confirmed_at = clock.now()
    session.add(record)
    session.flush()
    return record


def save_grading_rules(
    session: Session, user: User, rules: dict[Grade, GradeRule], *, clock: Clock
) -> GradingRules:
    """The office sets the rules its units' grades are proposed by."""
    require(user, Access.GRADING_RULES)
    record = session.get(GradingRules, user.organisation_id) or GradingRules(
        organisation_id=user.organisation_id
    )
    record.rules = rules_data(checked_rules(rules))
    record.updated_by = user.id
    record.updated_at = clock.now()
    session.add(record)
    session.flush()
    return record
