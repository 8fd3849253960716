"""Reads of the accounts: one user, the organisation's users."""

from __future__ import annotations

from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.errors import InvalidInput, NotFound
from workflow.i18n import N_
from workflow.organisations.models import Organisation, Unit
from workflow.permissions import Access, require


def find_user(session: Session, username: str, organisation_code: str | None = None) -> User:
    """The user with this name (for the command line), in the organisation with this code when
    several organisations use the name."""
    query = select(User).where(User.username == username)
    if organisation_code:
        query = query.join(Organisation, Organisation.id == User.organisation_id).where(
            Organisation.code == organisation_code
        )
    found = session.exec(query.limit(2)).all()
    if not found:
        raise NotFound(N_("There is no user %(username)s."), username=username)
    if len(found) > 1:
        raise InvalidInput(
            N_("Several organisations have a user %(username)s: name the organisation (--org)."),
            username=username,
        )
    return found[0]


# Reads of the administration pages, refused to anyone but an admin like the actions.


def managed_user(session: Session, actor: User, user_id: int) -> User:
    """A user of the admin's organisation; ``NotFound`` for anyone else's, so ids reveal nothing."""
    require(actor, Access.ADMINISTRATION)
    user = session.get(User, user_id)
    if user is None or user.organisation_id != actor.organisation_id:
        raise NotFound(N_("There is no user %(username)s."), username=f"#{user_id}")
    return user


def list_users(session: Session, actor: User) -> list[tuple[User, Unit | None]]:
    """The organisation's users with their unit, by user name."""
    require(actor, Access.ADMINISTRATION)
    return list(
        session.exec(
            select(User, Unit)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .where(User.organisation_id == actor.organisation_id)
            .order_by(User.username)
        )
    )
