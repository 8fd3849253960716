"""Vietnamese first, English second: Flask-Babel set up for pages, emails and the command line."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, gettext
from flask_login import current_user

from workflow.errors import WorkflowError

LOCALES = ("vi", "en")
TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    """The signed-in user's language, else the one chosen on this browser, else Vietnamese
    (the configured default): a Vietnamese office gets Vietnamese whatever the browser says."""
    if has_request_context():
        if current_user.is_authenticated:
            return current_user.user.locale
        chosen = request.cookies.get("lang")
        if chosen in LOCALES:
            return chosen
    return current_app.config["LOCALE"]


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_locale,
        default_locale=app.config["LOCALE"],
        default_timezone=app.config["TIMEZONE"],
        default_translation_directories=str(TRANSLATIONS),
    )


def error_message(error: WorkflowError) -> str:
    """A refusal of the engine, in the current language."""
    return error.translate(gettext)


def show_beside_fields(form, problems: dict[str, WorkflowError]) -> bool:
    """Write each of the engine's refusals beside its field, in the current language, unless
    the form's own checks already say what is wrong with that field. Whether the form now
    has any error at all (its own or the engine's)."""
    for name, problem in problems.items():
        field = form[name]
        if not field.errors:
            field.errors = [error_message(problem)]
    return any(field.errors for field in form)
