"""Who was the head of a unit, and when: the head history that a year's accountability credits.

One rule, written here: a person is the head of a unit while their account is active, has the
role of unit head and belongs to that unit. Every change to an account (created, given a role or
a unit, switched off or on) ends the terms that no longer hold and begins the one that now does,
at the instant of the change and with who made it: the history is never edited afterwards.
A task is credited to whoever was head when it fell due (``covers``): at its due time exactly,
the head who begins then, not the one who ended then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.organisations.models import HeadTerm, Unit


def head_unit(user: User) -> int | None:
    """The unit ``user`` heads now, by the rule above; None if none."""
    if user.active and user.role == Role.UNIT_HEAD and user.unit_id is not None:
        return user.unit_id
    return None


def record_head_change(session: Session, user: User, now: datetime, by: User | None) -> None:
    """Bring ``user``'s terms in line with what the account now is: end an open term of another
    unit (or of any unit, if they no longer head one), begin one for the unit they now head."""
    heads = head_unit(user)
    open_terms = session.exec(
        select(HeadTerm).where(HeadTerm.user_id == user.id, HeadTerm.ended_at.is_(None))
    ).all()
    for term in open_terms:
        if term.unit_id != heads:
            term.ended_at = now
            session.add(term)
    if heads is not None and all(term.unit_id != heads for term in open_terms):
        session.add(
            HeadTerm(
                unit_id=heads,
                user_id=user.id,
                started_at=now,
                recorded_by=by.id if by is not None else None,
            )
        )
    session.flush()


def covers(term_started, term_ended, instant):
    """SQL: a term (its start and end columns) covers ``instant`` (a value or a column): from
    its start, up to but not including its end."""
    return and_(term_started <= instant, or_(term_ended.is_(None), instant < term_ended))


@dataclass(frozen=True)
class Term:
    """A head's term, with their name, as the year page and the head history list it; who
    recorded its start (the admin who gave the role or the unit), empty if the system did."""

    id: int
    unit_id: int
    user_id: int
    name: str
    started_at: datetime
    ended_at: datetime | None
    recorded_by: str = ""


def _terms(session: Session, *where) -> list[Term]:
    recorder = aliased(User)
    rows = session.exec(
        select(HeadTerm, User.full_name, User.username, recorder.full_name, recorder.username)
        .join(User, User.id == HeadTerm.user_id)
        .outerjoin(recorder, recorder.id == HeadTerm.recorded_by)
        .where(*where)
        .order_by(HeadTerm.unit_id, HeadTerm.started_at, HeadTerm.id)
    ).all()
    return [
        Term(
            t.id,
            t.unit_id,
            t.user_id,
            full or username,
            t.started_at,
            t.ended_at,
            by_full or by_username or "",
        )
        for t, full, username, by_full, by_username in rows
    ]


def terms_between(
    session: Session, unit_ids: list[int], start: datetime, end: datetime
) -> list[Term]:
    """The terms of heads of ``unit_ids`` that overlap [start, end), by unit and start."""
    return _terms(
        session,
        HeadTerm.unit_id.in_(unit_ids),
        HeadTerm.started_at < end,
        or_(HeadTerm.ended_at.is_(None), HeadTerm.ended_at > start),
    )


def terms_of_units(session: Session, unit_ids: list[int]) -> list[Term]:
    """Every term of heads of ``unit_ids``, ended or not, by unit and start."""
    return _terms(session, HeadTerm.unit_id.in_(unit_ids))


def head_at(session: Session, unit: Unit, instant: datetime) -> User | None:
    """The head of ``unit`` at ``instant`` (the one who began last, if two overlap)."""
    return session.exec(
        select(User)
        .join(HeadTerm, HeadTerm.user_id == User.id)
        .where(
            HeadTerm.unit_id == unit.id,
            covers(HeadTerm.started_at, HeadTerm.ended_at, instant),
        )
        .order_by(HeadTerm.started_at.desc(), HeadTerm.id.desc())
    ).first()
