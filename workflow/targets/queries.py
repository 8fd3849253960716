"""The targets as a user may see them: the pages and the API ask here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.errors import NotFound
from workflow.i18n import N_
from workflow.periods import Quarter
from workflow.permissions import Access, may, require
from workflow.plans.models import Plan, Target
from workflow.targets.figures import visible_target
from workflow.targets.progress import TargetProgress, shown_quarters, targets_progress


@dataclass(frozen=True)
class PlanTargets:
    plans: list[Plan]  # the organisation's plans that have targets with a figure
    plan: Plan | None
    quarters: list[Quarter]
    targets: list[TargetProgress]


def shown_unit(user: User) -> int | None:
    """Whose figures ``user`` sees unit by unit: every unit's (``None``) or their own only."""
    return None if may(user, Access.TARGET_BREAKDOWN) else (user.unit_id or -1)


def plans_with_targets(session: Session, user: User) -> list[Plan]:
    require(user, Access.TARGETS)
    return list(
        session.exec(
            select(Plan)
            .where(
                Plan.organisation_id == user.organisation_id,
                exists().where(
                    Target.plan_id == Plan.id,
                    Target.figure.is_not(None),
                    Target.retired == False,  # noqa: E712
                ),
            )
            .order_by(Plan.period_start.desc(), Plan.code)
        )
    )


def plan_targets(
    session: Session, user: User, today: date, plan_code: str | None = None, year: int | None = None
) -> PlanTargets:
    """Every target of one plan (``plan_code``, else the latest) in the quarters begun by
    ``today`` (of ``year`` when given), with the explanations asked."""
    plans = plans_with_targets(session, user)
    plan = next((p for p in plans if p.code == plan_code), None) if plan_code else None
    if plan_code and plan is None:
        raise NotFound(N_("There is no plan %(code)s with targets."), code=plan_code)
    plan = plan or (plans[0] if plans else None)
    if plan is None:
        return PlanTargets(plans, None, [], [])
    quarters = shown_quarters(plan, today, year)
    targets = targets_progress(
        session, plan, quarters, today, unit_id=shown_unit(user), with_explanations=True
    )
    return PlanTargets(plans, plan, quarters, targets)


def target_progress(
    session: Session, user: User, target_id: int, today: date
) -> tuple[Plan, list[Quarter], TargetProgress]:
    """One target in every quarter of its plan begun by ``today``."""
    target, plan = visible_target(session, user, target_id)
    quarters = shown_quarters(plan, today)
    (progress,) = targets_progress(
        session,
        plan,
        quarters,
        today,
        target_id=target.id,
        unit_id=shown_unit(user),
        with_explanations=True,
    )
    return plan, quarters, progress
