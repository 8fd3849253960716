"""The app's database engine, and the one session of each request, committed in one place.

A request's session is committed after the view returned a successful response, and rolled
back otherwise: views and services never commit.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g
from sqlalchemy import Engine
from sqlmodel import Session

from workflow.db.engine import make_engine


def init_app(app: Flask) -> None:
    url, pool = app.config["DATABASE_URL"], {}
    if not url.startswith("sqlite"):
        # Per process: a gunicorn sync worker serves one request at a time, so a few
        # connections each (workers × (size + overflow) must stay under max_connections).
        pool = {
            "pool_size": int(app.config["DATABASE_POOL_SIZE"]),
            "max_overflow": int(app.config["DATABASE_MAX_OVERFLOW"]),
        }
    app.extensions["giaoviec.engine"] = make_engine(url, **pool)
    app.after_request(_commit_on_success)
    app.teardown_appcontext(_close)


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["giaoviec.engine"]


def db_session() -> Session:
    """The current request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def rollback() -> None:
    """Undo what the request's session did so far: a refused action leaves nothing behind,
    and the page that tells of the refusal reads the database as it was."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def _commit_on_success(response: Response) -> Response:
    session = g.pop("db_session", None)
    if session is not None:
        try:
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()
    return response


def _close(error: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
