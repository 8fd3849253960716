"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production).

SQLite gets WAL, a busy timeout, foreign keys and ``BEGIN IMMEDIATE`` for every transaction: in
WAL a read that turns into a write fails at once whatever the timeout, so a transaction takes the
write lock up front and waits for it instead. Whoever opens a session commits it: services only
flush."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 15000
AUTOCOMMIT = "AUTOCOMMIT"  # the isolation level of ``autocommit``


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for ``url`` with the settings each backend needs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    # PostgreSQL's JIT compiles a query whose estimated cost is high, which the aggregates of a
    # large deployment are (their correlated EXISTS make the estimates huge): measured at 126
    # communes, a roll-up ran in 78 ms and spent 648 ms more compiling. The app's queries are
    # short; compiling never pays back.
    connect_args = {"options": "-c jit=off"} | kwargs.pop("connect_args", {})
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if connection.get_execution_options().get("isolation_level") != AUTOCOMMIT:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def autocommit(engine: Engine) -> Iterator[Connection]:
    """A connection on which each statement is a transaction of its own (on SQLite, no
    ``BEGIN IMMEDIATE`` is sent for it): for work of single statements, the sender's claims
    and marks, or what cannot run inside a transaction at all (``VACUUM``)."""
    with engine.connect().execution_options(isolation_level=AUTOCOMMIT) as connection:
        yield connection


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements ``engine`` sends inside the block: what the tests and the benchmark
    hold equal at small and large data, instead of timing anything."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit if the block succeeds, roll back if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
