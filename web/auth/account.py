"""The signed-in person as Flask-Login sees them: a thin wrapper around the engine's ``User``."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin

from web.database import db_session
from workflow.accounts.models import User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"


class Account(UserMixin):
    """Flask-Login's view of a user; ``account.user`` is what services receive."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        """The user and their session version: a cookie made before the version last moved
        (a password change, a reset, signing out) no longer signs anyone in."""
        return f"{self.user.id}.{self.user.session_version}"

    @property
    def is_active(self) -> bool:
        return self.user.active


@login_manager.user_loader
def load_account(session_id: str) -> Account | None:
    user_id, _dot, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db_session().get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return Account(user)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
