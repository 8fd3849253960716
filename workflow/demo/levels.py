"""The demo's levels above the ward: Hà Nội, where Việt Hưng is, under the national level, each
with an overseer who follows the communes below."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from workflow.accounts.operations import add_user
from workflow.accounts.roles import Role
from workflow.organisations.models import Organisation
from workflow.organisations.tree import Level, add_level, place_under

LEVELS = (
    ("TW", "Trung ương", Level.NATIONAL, None, "theodoi.tw", "Cán bộ theo dõi Trung ương"),
    ("HN", "Thành phố Hà Nội", Level.CITY, "TW", "theodoi.hanoi", "Cán bộ theo dõi Thành ủy"),
)


def demo_levels(
    session: Session, ward: Organisation, password: str, now: datetime
) -> list[Organisation]:
    """Create the levels and their overseers and place the ward under the city, the first time
    (a restarted demo finds them); the levels, top first."""
    found = {
        o.code: o
        for o in session.exec(select(Organisation).where(Organisation.level != Level.COMMUNE.value))
    }
    for code, name, level, parent, username, full_name in LEVELS:
        if code in found:
            continue
        found[code] = add_level(session, code, name, level, found.get(parent))
        add_user(
            session,
            found[code],
            username,
            Role.OVERSEER,
            f"{username}@example.vn",
            password,
            full_name=full_name,
            now=now,
        )
    if ward.parent_id is None:
        place_under(session, ward, found["HN"])
    return [found[code] for code, *_ in LEVELS]
