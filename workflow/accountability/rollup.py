"""Accountability above a commune: the communes below a city, a province or the nation.

What a roll-up counts is what a commune's accountability page counts (``MEASURES``, the duties
each unit leads), grouped one level coarser: by commune, by the city or province a commune
belongs to, by kind of unit, or by unit with its heads. Each is one ``GROUP BY`` over the tasks
of the communes below the viewer (``workflow.organisations.tree.communes_below``) and comes back
worst first and a page at a time, ordered and cut in SQL: the cost of a page does not grow with
the number of communes, and no figure is cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Float, and_, case, cast, func, literal, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from workflow.accountability.figures import UNIT_FIGURES, Rates
from workflow.accountability.measures import Period, counted, period_clause
from workflow.accounts.models import User
from workflow.errors import NotFound
from workflow.i18n import N_
from workflow.organisations.models import Organisation, Unit
from workflow.organisations.queries import heads_of_units
from workflow.organisations.tree import Level, communes_below, is_below
from workflow.permissions import Access, require
from workflow.plans.models import Plan
from workflow.tasks.kinds import led_clause
from workflow.tasks.models import Task

GROUPINGS = ("commune", "branch", "kind", "unit")


@dataclass(frozen=True)
class AreaFigures(Rates):
    """One row of a roll-up: a commune, a city or province, a kind of unit, or a unit, with
    what a unit's row of a commune counts (``UNIT_FIGURES``)."""

    key: str  # what it is grouped by: an organisation's or a unit's id, a unit kind
    code: str  # the organisation's or the unit's code, the unit kind
    name: str
    within: str  # where it is: a commune's city or province, a unit's commune
    expected: int
    due: int
    reported: int
    on_time: int
    completed_on_time: int
    completed_late: int
    awaiting_review: int
    approved: int
    returned: int
    overdue: int
    extended: int
    heads: tuple[str, ...] = ()


@dataclass(frozen=True)
class RollupPage:
    """A page of a roll-up, and how many rows the whole has."""

    rows: list[AreaFigures]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def rollup(
    session: Session,
    viewer: User,
    by: str,
    period: Period,
    now: datetime,
    *,
    page: int = 1,
    per_page: int = 50,
) -> RollupPage:
    """The communes below ``viewer``'s organisation grouped ``by`` one of ``GROUPINGS``, worst
    first (the order of ``workflow.accountability.sorting``: lowest on-time rate of what is due,
    then most overdue, then lowest reporting rate; nothing due last), one page: two statements,
    the communes' ids and the page with the whole's count (three by unit: its heads)."""
    require(viewer, Access.ROLLUP)
    if by not in GROUPINGS:
        raise ValueError(by)
    communes = communes_below(viewer.organisation_id).subquery("communes")
    ids = session.exec(select(communes.c.id)).all()
    key = {
        "commune": Plan.organisation_id,
        "branch": communes.c.branch,
        "kind": Unit.kind,
        "unit": Task.unit_id,
    }[by]
    counts = (
        select(
            key.label("key"),
            func.count(Task.id).label("expected"),
            *counted(*UNIT_FIGURES),
        )
        .join(Plan, Plan.id == Task.plan_id)
        .join(communes, communes.c.id == Plan.organisation_id)
        .join(Unit, Unit.id == Task.unit_id)
        .where(and_(_among(ids), period_clause(period), led_clause()))
        .group_by(key)
        .subquery("counts")
    )
    query, name = _named(by, counts)
    due = counts.c.due
    rows = session.exec(
        query.add_columns(func.count().over().label("total"))  # the whole's rows, counted once
        .order_by(
            case((due == 0, 1), else_=0),
            cast(counts.c.on_time, Float) / func.nullif(due, 0),
            counts.c.overdue.desc(),
            cast(counts.c.reported, Float) / func.nullif(due, 0),
            name,
            counts.c.key,
        )
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page),
        params={"now": now},
    ).all()
    # a page past the end has no row to carry the count: ask for it, to say how many there are
    total = (
        rows[0].total
        if rows
        else session.exec(select(func.count()).select_from(counts), params={"now": now}).one()
    )
    heads = heads_of_units(session, [row.key for row in rows]) if by == "unit" else {}
    figures = [
        AreaFigures(
            key=str(row.key),
            code=row.code,
            name=row.name or "",
            within=row.within or "",
            expected=row.expected,
            **{n: getattr(row, n) for n in UNIT_FIGURES},
            heads=tuple(heads.get(row.key, ())),
        )
        for row in rows
    ]
    return RollupPage(figures, total, max(page, 1), per_page)


# Below this many communes their ids are written into the aggregate: PostgreSQL cannot
# estimate a recursive query's rows (it guessed 166,219 communes for a city's 99 and read the
# whole country's tasks: 380 ms, 105 ms with the list), but it knows what a list holds. Over
# the whole country the list only costs (1.6 s against 1.1 s): every task is read anyway.
NARROWING_LIST = 1000


def _among(commune_ids: list[int]):
    """SQL: a plan of one of ``commune_ids``, when that narrows the planner's reading."""
    if len(commune_ids) < NARROWING_LIST:
        return Plan.organisation_id.in_(commune_ids)
    return true()


def _named(by: str, counts):
    """The counts with each row's name and where it is: a commune in its city or province, a
    city or province in its place, a unit in its commune; a kind of unit is its own name."""
    if by == "kind":
        kind = counts.c.key
        return select(
            counts, kind.label("code"), kind.label("name"), literal("").label("within")
        ), kind
    if by == "unit":
        name = func.coalesce(func.nullif(Unit.short_name, ""), Unit.name)
        query = (
            select(counts, Unit.code, name.label("name"), Organisation.name.label("within"))
            .join(Unit, Unit.id == counts.c.key)
            .join(Organisation, Organisation.id == Unit.organisation_id)
        )
        return query, name
    if by == "commune":
        parent = aliased(Organisation)
        query = (
            select(
                counts,
                Organisation.code,
                Organisation.name.label("name"),
                parent.name.label("within"),
            )
            .join(Organisation, Organisation.id == counts.c.key)
            .outerjoin(parent, parent.id == Organisation.parent_id)
        )
        return query, Organisation.name
    query = select(
        counts,
        Organisation.code,
        Organisation.name.label("name"),
        Organisation.place.label("within"),
    )
    return query.join(Organisation, Organisation.id == counts.c.key), Organisation.name


def commune_below(session: Session, viewer: User, code: str) -> Organisation:
    """A commune below ``viewer``, to drill into: its accountability and tasks are then read
    as its own leaders read them. Another city's commune is not found, as one that does not
    exist: a code reveals nothing."""
    require(viewer, Access.ROLLUP)
    organisation = session.exec(select(Organisation).where(Organisation.code == code)).first()
    if (
        organisation is None
        or organisation.level != Level.COMMUNE
        or not is_below(session, viewer.organisation_id, organisation.id)
    ):
        raise NotFound(N_("There is no commune %(code)s below your organisation."), code=code)
    return organisation
