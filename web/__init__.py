"""The Flask application: pages, API and command line around the ``workflow`` engine."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app
from flask_wtf.csrf import CSRFProtect

from web.clock import app_clock
from workflow.clock import DEFAULT_TIMEZONE
from workflow.tasks.deadlines import days_left

csrf = CSRFProtect()

DEFAULTS = {
    "DATABASE_URL": None,  # SQLite in the instance folder
    "SECRET_KEY": None,  # required outside the demo and the tests
    "TIMEZONE": DEFAULT_TIMEZONE,
    "LOCALE": "vi",
    "NOW": None,
    "BASE_URL": "http://127.0.0.1:5000",
    "UPLOAD_DIR": None,
    "MAX_UPLOAD_MB": 20,  # one evidence file
    "MAX_REQUEST_MB": 50,  # a whole request: a report with all its files
    "REVIEW_PAGE_SIZE": 10,  # reports per page of the review queue
    "ACCOUNTABILITY_PAGE_SIZE": 50,  # units per page of the accountability page
    "DATABASE_POOL_SIZE": 5,  # PostgreSQL connections kept open per process
    "DATABASE_MAX_OVERFLOW": 5,  # and opened beyond them at a peak
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
}


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then the instance folder's ``config.py``, then ``GIAOVIEC_*``
    environment variables, then ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("GIAOVIEC")
    if test_config:
        app.config.update(test_config)
    if not app.config["DATABASE_URL"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'giaoviec.db'}"

    from web import (
        admin,
        api,
        auth,
        cli,
        clock,
        dashboard,
        database,
        drafts,
        errors,
        evaluation,
        exports,
        health,
        i18n,
        inbox,
        pages,
        refused_input,
        review,
        rollup,
        security,
        settings,
        storage,
        targets,
        tasks,
    )
    from web.auth.account import init_app as init_login

    clock.init_app(app)
    database.init_app(app)
    storage.init_app(app)
    i18n.init_app(app)
    init_login(app)
    csrf.init_app(app)
    pages.init_app(app)
    security.init_app(app)
    refused_input.init_app(app)
    app.add_template_global(_days_left, "days_left")
    errors.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(health.bp)
    blueprints = (
        tasks,
        review,
        dashboard,
        targets,
        evaluation,
        rollup,
        admin,
        drafts,
        inbox,
        settings,
        api,
    )
    for blueprint in (room.bp for room in blueprints):
        app.register_blueprint(blueprint)
    app.register_blueprint(exports.bp)
    csrf.exempt(api.bp)  # the API authenticates each request; see web/api
    cli.init_app(app)
    app.before_request(_refuse_without_secret_key)
    return app


def _days_left(due_at, now) -> int:
    """Task lists count days as the reminder emails do, where the organisation is."""
    return days_left(due_at, now, app_clock().zone)


def _refuse_without_secret_key():
    """Outside the demo and the tests a secret key must be configured: no default is safe."""
    if not current_app.config["SECRET_KEY"]:
        abort(500, description="GIAOVIEC_SECRET_KEY is not set: sessions cannot be protected.")
