"""The app's database engine, made once per process from ``GIAOVIEC_DATABASE_URL``."""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy import Engine

from workflow.db import make_engine


def init_app(app: Flask) -> None:
    app.extensions["giaoviec.engine"] = make_engine(app.config["DATABASE_URL"])


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["giaoviec.engine"]
