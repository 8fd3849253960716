"""Sign-in throttling: too many wrong passwords for one name, or from one address, lock signing
in for a while; the tries are rows of the database, so every worker of a deployment counts the
same ones.

A name is locked after ``NAME_FAILURES`` wrong tries within ``WINDOW`` since its last good one,
an address after ``ADDRESS_FAILURES`` (someone trying many names); either lock lasts until the
oldest of those failures leaves the window. A locked try is refused before the password is even
checked, so guessing gains nothing while it lasts.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from workflow.accounts.models import LoginAttempt
from workflow.errors import WorkflowError
from workflow.i18n import N_

WINDOW = timedelta(minutes=15)
NAME_FAILURES = 5
ADDRESS_FAILURES = 30
log = logging.getLogger("giaoviec.auth")


class SignInLocked(WorkflowError):
    """Too many wrong passwords: signing in waits ``minutes`` minutes."""

    code = "sign_in_locked"
    message = N_("Too many wrong passwords: signing in is locked for %(minutes)s minutes.")


def _name(username: str) -> str:
    return username.strip().lower()[:64]


def _locked_until(session: Session, column, value: str, limit: int, now: datetime):
    """When the lock on ``column == value`` ends, or None if there is none."""
    last_good = (
        select(func.max(LoginAttempt.at))
        .where(column == value, LoginAttempt.succeeded == True)  # noqa: E712
        .scalar_subquery()
    )
    failures = session.exec(
        select(LoginAttempt.at)
        .where(
            column == value,
            LoginAttempt.succeeded == False,  # noqa: E712
            LoginAttempt.at > now - WINDOW,
            LoginAttempt.at > func.coalesce(last_good, now - WINDOW),
        )
        .order_by(LoginAttempt.at.desc())
        .limit(limit)
    ).all()
    return failures[-1] + WINDOW if len(failures) >= limit else None


def refuse_if_locked(session: Session, username: str, address: str, now: datetime) -> None:
    """``SignInLocked`` while the name or the address is locked."""
    for column, value, limit in (
        (LoginAttempt.username, _name(username), NAME_FAILURES),
        (LoginAttempt.address, address[:64], ADDRESS_FAILURES),
    ):
        until = _locked_until(session, column, value, limit, now)
        if until is not None:
            minutes = max(math.ceil((until - now).total_seconds() / 60), 1)
            raise SignInLocked(minutes=minutes)


def record_attempt(
    session: Session, username: str, address: str, succeeded: bool, now: datetime
) -> None:
    """Keep a try (flushes only); the try that locks a name or an address is logged."""
    session.add(
        LoginAttempt(username=_name(username), address=address[:64], at=now, succeeded=succeeded)
    )
    session.flush()
    if not succeeded:
        try:
            refuse_if_locked(session, username, address, now)
        except SignInLocked:
            log.warning("sign-in locked: name %r from %s", _name(username), address)
