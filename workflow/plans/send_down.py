"""Sending a plan down: a city's, a province's or the nation's plan loaded into every commune
below it, as each commune's own.

The plan says which units lead and coordinate; each commune keeps its own units' names, short
names and head titles where it already has a unit of that code, and gains the plan's units it
lacks. Loading is ``load_plan``'s, once per commune, so each commune's responsibilities, tasks
and history are its own from then on, and loading the same file again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.organisations.models import Organisation, Unit
from workflow.organisations.tree import communes_below
from workflow.plans.store import LoadResult, load_plan

KEPT_FROM_THE_COMMUNE = ("name", "short_name", "head_title")


@dataclass(frozen=True)
class SentDown:
    commune: Organisation
    result: LoadResult


def send_plan_down(
    session: Session, definition: dict, above: Organisation, clock: Clock, by: User | None = None
) -> list[SentDown]:
    """Load ``definition`` (from ``checks``) into every commune below ``above``, by code."""
    communes = communes_below(above.id).subquery()
    found = session.exec(
        select(Organisation)
        .where(Organisation.id.in_(select(communes.c.id)))
        .order_by(Organisation.code)
    ).all()
    units = _units_by_commune(session, [commune.id for commune in found])
    sent = []
    for commune in found:
        own = units.get(commune.id, {})
        local = definition | {
            "organisation": {
                "code": commune.code,
                "name": commune.name,
                "kind": commune.kind,
                "place": commune.place,
            },
            "units": [
                _as_the_communes(item, own.get(item["code"])) for item in definition["units"]
            ],
        }
        sent.append(SentDown(commune, load_plan(session, local, clock, by=by)))
    return sent


def _units_by_commune(session: Session, commune_ids: list[int]) -> dict[int, dict[str, Unit]]:
    units: dict[int, dict[str, Unit]] = {}
    for unit in session.exec(select(Unit).where(Unit.organisation_id.in_(commune_ids))):
        units.setdefault(unit.organisation_id, {})[unit.code] = unit
    return units


def _as_the_communes(item: dict, unit: Unit | None) -> dict:
    if unit is None:
        return item
    return item | {key: getattr(unit, key) for key in KEPT_FROM_THE_COMMUNE}
