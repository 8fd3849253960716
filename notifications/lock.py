"""The one lock that every path that sends mail goes through: the scheduler process, the
demo's scheduler thread and ``giaoviec reminders run``.

On PostgreSQL it is a session advisory lock (``pg_try_advisory_lock``) held on a connection of
its own, outside any pool, so that no other code can return it to a pool, recycle it or reuse
it. The lock lives exactly as long as that connection: ``held()`` asks the server before each
job and each message, and a dropped connection (the server restarted, a network cut) reads as
lost, so the holder stops instead of racing the scheduler that took over. On SQLite it is an
exclusive ``fcntl.flock`` on a file beside the database, held as long as the file is open.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
import time as time_module
from contextlib import suppress
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.pool import NullPool

LOCK_NAME = "giaoviec.scheduler"


def lock_id(name: str) -> int:
    """A stable signed 64-bit number for an advisory lock named ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class SchedulerLock:
    """Held by the one process that runs the reminder jobs and sends the outbox."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection = None
        self.lock_engine: Engine | None = None
        self.file = None

    def try_acquire(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            return self._try_postgresql()
        return self._try_file()

    def acquire(self, stop: threading.Event | None = None, poll: float = 5.0, on_wait=None) -> bool:
        """Wait for the lock (False if ``stop`` was set first); ``on_wait`` is told once."""
        told = False
        while not self.try_acquire():
            if on_wait is not None and not told:
                on_wait()
                told = True
            if stop is not None and stop.wait(poll):
                return False
            if stop is None:
                time_module.sleep(poll)
        return True

    def held(self) -> bool:
        """Whether this process still holds the lock, asked of the database on PostgreSQL."""
        if self.file is not None:
            return True
        if self.connection is None:
            return False
        try:
            # Re-entrant: taking it again succeeds only for its holder; give the extra back.
            again = self.connection.execute(select(func.pg_try_advisory_lock(self.key))).scalar()
            if again:
                self.connection.execute(select(func.pg_advisory_unlock(self.key)))
            return bool(again)
        except Exception:
            self._drop_connection()
            return False

    def release(self) -> None:
        if self.connection is not None:
            with suppress(Exception):  # a lost connection took the lock with it
                self.connection.execute(select(func.pg_advisory_unlock(self.key)))
            self._drop_connection()
        if self.file is not None:
            handle, self.file = self.file, None
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    @property
    def key(self) -> int:
        return lock_id(LOCK_NAME)

    def _try_postgresql(self) -> bool:
        engine = create_engine(self.engine.url, poolclass=NullPool)
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = connection.execute(select(func.pg_try_advisory_lock(self.key))).scalar()
        if got:
            self.connection, self.lock_engine = connection, engine
        else:
            connection.close()
            engine.dispose()
        return bool(got)

    def _drop_connection(self) -> None:
        connection, self.connection = self.connection, None
        with suppress(Exception):
            connection.close()
        self.lock_engine.dispose()

    def _try_file(self) -> bool:
        database = self.engine.url.database or "giaoviec"
        path = Path(f"{database}.scheduler.lock")
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.file = handle
        return True
