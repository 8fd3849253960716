"""Reads of the plans: which are loaded, which years and quarters they cover, one responsibility."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.errors import NotFound
from workflow.i18n import N_
from workflow.organisations.models import Organisation
from workflow.periods import Quarter
from workflow.permissions import Access, require
from workflow.plans.models import Plan, Responsibility


def find_responsibility(
    session: Session, organisation: Organisation, plan_code: str, ref: str
) -> Responsibility:
    """The responsibility ``ref`` of the plan ``plan_code`` of ``organisation``."""
    responsibility = session.exec(
        select(Responsibility)
        .join(Plan, Plan.id == Responsibility.plan_id)
        .where(
            Plan.organisation_id == organisation.id,
            Plan.code == plan_code,
            Responsibility.ref == ref,
        )
    ).first()
    if responsibility is None:
        raise NotFound(N_("There is no responsibility %(ref)s."), ref=ref)
    return responsibility


def plan_years(session: Session, organisation: Organisation) -> list[int]:
    """The years the plans of ``organisation`` cover, in order."""
    years: set[int] = set()
    for start, end in session.exec(
        select(Plan.period_start, Plan.period_end).where(Plan.organisation_id == organisation.id)
    ):
        years.update(range(start.year, end.year + 1))
    return sorted(years)


def loaded_plans(session: Session, actor: User) -> list[Plan]:
    """The organisation's plans, by code."""
    require(actor, Access.ADMINISTRATION)
    return list(
        session.exec(
            select(Plan).where(Plan.organisation_id == actor.organisation_id).order_by(Plan.code)
        )
    )


def quarters_to_open(session: Session, actor: User, today: date) -> tuple[list[Quarter], Quarter]:
    """The quarters the organisation's plans cover (and the current one), and the current one."""
    require(actor, Access.ADMINISTRATION)
    current = Quarter.of(today)
    start, end = session.exec(
        select(func.min(Plan.period_start), func.max(Plan.period_end)).where(
            Plan.organisation_id == actor.organisation_id
        )
    ).one()
    quarters = {current}
    if start is not None and end is not None:
        quarter, last = Quarter.of(start), Quarter.of(end)
        while quarter <= last:
            quarters.add(quarter)
            quarter = quarter.next()
    return sorted(quarters), current
