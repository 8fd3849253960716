"""What an administrator does with plans: load a file, open a quarter."""

from __future__ import annotations

from sqlmodel import Session

from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.organisations.queries import organisation_of
from workflow.periods import Quarter
from workflow.permissions import Access, require
from workflow.plans.checks import PlanInvalid, PlanProblem, parse_plan
from workflow.plans.opening import OpenResult, open_quarter
from workflow.plans.store import LoadResult, load_plan


def load_plan_file(
    session: Session, actor: User, text: str | bytes, filename: str, clock: Clock
) -> LoadResult:
    """Check a plan file and load it for the admin's organisation; any mistake loads nothing.

    Raises:
        PlanInvalid: the file has mistakes, each located as ``FILE:LINE: field: message``.
        InvalidInput: the file is the plan of another organisation.
    """
    require(actor, Access.ADMINISTRATION)
    if isinstance(text, bytes):
        text = _decode(text, filename)
    return load_for(session, actor, parse_plan(text, filename), clock)


def load_for(session: Session, actor: User, definition: dict, clock: Clock) -> LoadResult:
    """Load a checked plan of ``actor``'s own organisation (whoever may load it has been
    asked already: an administrator's file, a published draft)."""
    organisation = organisation_of(session, actor)
    code = definition["organisation"]["code"]
    if code != organisation.code:
        raise InvalidInput(
            N_("This plan is for the organisation %(code)s, not yours (%(mine)s): not loaded."),
            code=code,
            mine=organisation.code,
        )
    return load_plan(session, definition, clock, actor)


def open_quarter_for(session: Session, actor: User, quarter: Quarter, clock: Clock) -> OpenResult:
    """Create the tasks the admin's organisation owes in ``quarter``; opening twice adds none."""
    require(actor, Access.ADMINISTRATION)
    return open_quarter(session, organisation_of(session, actor), quarter, clock)


def _decode(data: bytes, filename: str) -> str:
    """The text of an uploaded plan file, which must be UTF-8 (a byte-order mark is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problem = PlanProblem(filename, 1, "-", N_("the file is not UTF-8 text"))
        raise PlanInvalid([problem]) from None
