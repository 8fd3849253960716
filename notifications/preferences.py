"""A person's notification settings: reminder digests on or off, and the language of emails."""

from __future__ import annotations

from sqlmodel import Session

from workflow.accounts import set_language
from workflow.models import User


def set_email_digests(session: Session, user: User, on: bool) -> None:
    """Switch ``user``'s reminder digests on or off (escalations and returned-report notices
    are sent whatever this says); flushes only."""
    user.email_digests = bool(on)
    session.add(user)
    session.flush()


def save_notification_settings(session: Session, user: User, digests: bool, locale: str) -> None:
    """What the settings page saves: both choices, or neither (``InvalidInput``)."""
    set_language(session, user, locale)
    set_email_digests(session, user, digests)
