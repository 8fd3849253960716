"""The levels above a commune: organisations form a tree, and each level oversees what is below.

A commune or ward (xã, phường) holds plans, units and users; a city or province (thành phố,
tỉnh) and the national level hold only the users who oversee the communes below them. One
rule, written here: what is *below* an organisation is every organisation reached by following
``parent_id`` down from it, at any depth; a commune has nothing below it. Every read of a level
starts from ``below``, one recursive SQL query whatever the depth or the number of communes.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import literal
from sqlmodel import Session, select

from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.organisations.models import Organisation


class Level(StrEnum):
    COMMUNE = "commune"  # xã, phường, đặc khu: holds the plans
    CITY = "city"  # thành phố trực thuộc trung ương
    PROVINCE = "province"  # tỉnh
    NATIONAL = "national"  # trung ương

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def rank(self) -> int:
        return RANKS[self]


LEVEL_LABELS = {
    Level.COMMUNE: N_("Commune or ward"),
    Level.CITY: N_("City"),
    Level.PROVINCE: N_("Province"),
    Level.NATIONAL: N_("National"),
}
RANKS = {Level.COMMUNE: 0, Level.CITY: 1, Level.PROVINCE: 1, Level.NATIONAL: 2}


def below(organisation_id: int):
    """A recursive CTE of the organisations below ``organisation_id`` (``id``), each with the
    organisation directly below it that it is reached through (``branch``: for the national
    level, the city or province a commune belongs to)."""
    tree = (
        select(Organisation.id.label("id"), Organisation.id.label("branch"))
        .where(Organisation.parent_id == organisation_id)
        .cte("below", recursive=True)
    )
    return tree.union_all(
        select(Organisation.id, tree.c.branch).join(tree, Organisation.parent_id == tree.c.id)
    )


def communes_below(organisation_id: int):
    """SQL: the ids of the communes below ``organisation_id``, with their branch."""
    tree = below(organisation_id)
    return (
        select(tree.c.id, tree.c.branch)
        .join(Organisation, Organisation.id == tree.c.id)
        .where(Organisation.level == Level.COMMUNE.value)
    )


def is_below(session: Session, ancestor_id: int, organisation_id: int) -> bool:
    tree = below(ancestor_id)
    found = session.exec(select(literal(1)).where(tree.c.id == organisation_id)).first()
    return found is not None


def parse_level(value: str) -> Level:
    try:
        return Level(value)
    except ValueError:
        raise InvalidInput(
            N_("Unknown level %(level)s; use one of: %(levels)s"),
            level=value,
            levels=", ".join(Level),
        ) from None


def place_under(session: Session, organisation: Organisation, parent: Organisation) -> None:
    """Put ``organisation`` directly below ``parent``: a level above its own, never itself or
    one of its own descendants (the tree has no cycles)."""
    if Level(parent.level).rank <= Level(organisation.level).rank:
        raise InvalidInput(
            N_("%(parent)s is not a level above %(name)s."),
            parent=parent.name,
            name=organisation.name,
        )
    if parent.id == organisation.id or is_below(session, organisation.id, parent.id):
        raise InvalidInput(
            N_("%(parent)s is below %(name)s."), parent=parent.name, name=organisation.name
        )
    organisation.parent_id = parent.id
    session.add(organisation)
    session.flush()


def add_level(
    session: Session, code: str, name: str, level: Level, parent: Organisation | None = None
) -> Organisation:
    """A city, province or national organisation, which oversees the communes placed below it."""
    if level is Level.COMMUNE:
        raise InvalidInput(N_("A commune comes in with its plan file, not on its own."))
    if session.exec(select(Organisation.id).where(Organisation.code == code)).first():
        raise InvalidInput(N_("There is already an organisation %(code)s."), code=code)
    organisation = Organisation(code=code, name=name, kind="party", level=level.value)
    session.add(organisation)
    session.flush()
    if parent is not None:
        place_under(session, organisation, parent)
    return organisation
