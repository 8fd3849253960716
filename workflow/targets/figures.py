"""Entering a unit's figure for a target on the target's page, without a task's report: where
a figure is counted apart from the report that describes the work (a census of party members,
an application's installations).

A figure is never changed, only followed by a later one: the latest counts, and the earlier
ones are the target's history of who said what when (``figure_history``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP

from sqlalchemy import false
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.errors import InvalidFields, InvalidInput, NotAllowed, NotFound
from workflow.i18n import N_
from workflow.organisations.models import Unit
from workflow.periods import Quarter
from workflow.permissions import Access, may, may_report_figure, require
from workflow.plans.models import Plan, Target, TargetResponsibility
from workflow.targets.numbers import CENT, parse_figure
from workflow.targets.progress import plan_quarters
from workflow.tasks.models import TargetFigure, Task
from workflow.tasks.operations import COMMENT_LIMIT, clean_links
from workflow.tasks.states import TaskKind


@dataclass(frozen=True)
class FigureEntry:
    """What a unit head typed on the target's page; numbers as typed, checked by the service."""

    period: str
    value: str = ""
    count: str = ""
    total: str = ""
    source: str = ""
    evidence_link: str = ""


def visible_target(session: Session, user: User, target_id: int) -> tuple[Target, Plan]:
    """A target with a figure of ``user``'s organisation; ``NotFound`` otherwise."""
    require(user, Access.TARGETS)
    found = session.exec(
        select(Target, Plan)
        .join(Plan, Plan.id == Target.plan_id)
        .where(
            Target.id == target_id,
            Plan.organisation_id == user.organisation_id,
            Target.figure.is_not(None),
            Target.retired == False,  # noqa: E712
        )
    ).first()
    if found is None:
        raise NotFound(N_("There is no target %(id)s, or you may not see it."), id=target_id)
    return found


def owing_responsibility(session: Session, target: Target, unit_id: int) -> int | None:
    """The responsibility under which ``unit_id`` reports ``target`` (its first, in the plan's
    order): the unit owes a task of it; ``None`` when the unit does not report the target."""
    return session.exec(
        select(TargetResponsibility.responsibility_id)
        .join(Task, Task.responsibility_id == TargetResponsibility.responsibility_id)
        .where(
            TargetResponsibility.target_id == target.id,
            Task.unit_id == unit_id,
            Task.kind == TaskKind.DUTY.value,
        )
        .order_by(TargetResponsibility.responsibility_id)
    ).first()


def begun_quarter(plan: Plan, text: str, today) -> Quarter:
    """``text`` as a quarter of ``plan`` that has begun by ``today``; a refusal otherwise."""
    try:
        quarter = Quarter.parse(text)
    except ValueError:
        raise InvalidInput(N_("Choose a quarter of the plan.")) from None
    if quarter not in plan_quarters(plan) or quarter.first_day > today:
        raise InvalidInput(N_("Choose a quarter of the plan that has begun."))
    return quarter


def enter_figure(
    session: Session,
    user: User,
    target_id: int,
    entry: FigureEntry,
    *,
    now: datetime,
    today,
) -> TargetFigure:
    """A unit head gives their unit's figure for a target in a quarter, with its source."""
    target, plan = visible_target(session, user, target_id)
    if (
        user.unit_id is None
        or not may_report_figure(user, user.unit_id)
        or owing_responsibility(session, target, user.unit_id) is None
    ):
        raise NotAllowed(N_("Only the head of a unit that reports this target may enter it."))
    problems: dict[str, InvalidInput] = {}
    quarter = checked(problems, "period", lambda: begun_quarter(plan, entry.period, today))
    count = checked(problems, "count", lambda: parse_figure(entry.count))
    total = checked(problems, "total", lambda: parse_figure(entry.total))
    value = checked(problems, "value", lambda: parse_figure(entry.value))
    if target.unit_of_measure.startswith("%") and (count is not None or total is not None):
        if count is None or not total:
            problems["total"] = InvalidInput(N_("Give both the count and a total above zero."))
        elif count > total:
            problems["count"] = InvalidInput(N_("The count cannot be more than the total."))
        else:
            value = (count * 100 / total).quantize(CENT, ROUND_HALF_UP)
    elif count is not None or total is not None:
        count = total = None  # an amount is one figure: nothing to divide
    if value is None and not problems.keys() & {"value", "count", "total"}:
        problems["value"] = InvalidInput(N_("Give the figure, or a count and a total."))
    source = entry.source.strip()
    if not source:
        problems["source"] = InvalidInput(N_("Say where the figure comes from."))
    elif len(source) > COMMENT_LIMIT:
        problems["source"] = InvalidInput(N_("At most %(count)s characters."), count=COMMENT_LIMIT)
    links = checked(problems, "evidence_link", lambda: clean_links([entry.evidence_link]))
    if problems:
        raise InvalidFields(problems)
    figure = TargetFigure(
        target_id=target.id,
        unit_id=user.unit_id,
        period=str(quarter),
        reported_by=user.id,
        reported_at=now,
        value=value,
        count=count,
        total=total,
        source=source,
        evidence_link=links[0] if links else "",
    )
    session.add(figure)
    session.flush()
    return figure


def checked(problems: dict, name: str, read):
    """``read()``, or ``None`` with its refusal kept under ``name``, so that a form says every
    field's mistake at once."""
    try:
        return read()
    except InvalidInput as refusal:
        problems[name] = refusal
        return None


@dataclass(frozen=True)
class FigureStep:
    figure: TargetFigure
    unit_name: str
    author: str


def figure_history(
    session: Session, user: User, target: Target, limit: int = 50
) -> list[FigureStep]:
    """The figures given for ``target``, newest first: every unit's for whoever sees the
    breakdown, one's own unit's for a unit head."""
    query = (
        select(TargetFigure, Unit, User)
        .join(Unit, Unit.id == TargetFigure.unit_id)
        .join(User, User.id == TargetFigure.reported_by)
        .where(TargetFigure.target_id == target.id)
    )
    if not may(user, Access.TARGET_BREAKDOWN):
        query = query.where(
            TargetFigure.unit_id == user.unit_id if user.unit_id is not None else false()
        )
    rows = session.exec(query.order_by(TargetFigure.id.desc()).limit(limit)).all()
    return [
        FigureStep(figure, unit.display_name, author.full_name or author.username)
        for figure, unit, author in rows
    ]
