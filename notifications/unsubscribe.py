"""One-click unsubscribe from the digests (RFC 8058), without signing in.

A digest's ``List-Unsubscribe`` link carries a token signed with the app's ``SECRET_KEY``: it
names the person and is its own credential, since a mail program posts to it with no session
and no CSRF token. It never expires, so an old digest's link still works; it can only switch
digests off, which the person can undo in their settings.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session

from workflow.accounts.models import User
from workflow.errors import NotFound

PATH = "/settings/unsubscribe/"  # + token: the route of ``web.settings``
SALT = "giaoviec.unsubscribe"


def unsubscribe_token(secret: str, user_id: int) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps(user_id)


def unsubscribe_url(base_url: str, secret: str, user_id: int) -> str:
    return base_url.rstrip("/") + PATH + unsubscribe_token(secret, user_id)


def unsubscribing_user(session: Session, secret: str, token: str) -> User:
    """The active person whose link ``token`` is (``NotFound`` for a token not signed with
    ``secret`` or a person no longer active)."""
    try:
        user_id = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        raise NotFound() from None
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound()
    return user
