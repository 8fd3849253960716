"""The scheduler lock: only its holder queues and sends, and a holder that lost it stops.

On PostgreSQL the lock lives on a database connection of its own; that connection can drop (the
server restarts, the network cuts), and with it the lock, while the process goes on. The tests
cut it by terminating its backend from another connection, as a restart would.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from notifications.lock import SchedulerLock
from notifications.scheduler import LockLost, run_scheduler
from web.clock import app_clock
from workflow.outbox.models import OutboxMessage


def cut(lock: SchedulerLock, engine) -> None:
    """Drop the lock's connection from the server's side."""
    pid = lock.connection.execute(select(func.pg_backend_pid())).scalar()
    with engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.commit()


def statuses(session) -> list[str]:
    session.expire_all()
    found = session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)).all()
    session.commit()
    return list(found)


def test_nobody_sends_without_the_lock(office, session, make_user, smtp_server):
    """The outbox is sent only by the lock's holder: without it, mail stays queued."""
    make_user("unit_head", "UBND")
    office.at("2026-01-02T07:30")
    office.open_quarter()
    assert len(office.sweep().queued) == 1
    office.lock.release()
    assert office.send().count == 0
    assert statuses(session) == ["queued"] and smtp_server.mailbox.take() == []
    with pytest.raises(LockLost):
        office.sweep()
    assert office.lock.try_acquire()
    assert office.send().count == 1


# A connection can be dropped from the server's side only on PostgreSQL: on SQLite the lock is
# a file lock, which cannot be lost while the process that holds it lives.
@pytest.mark.postgresql_only
def test_a_lock_whose_connection_dropped_is_lost_and_free(office, session, make_user, smtp_server):
    """The holder's connection drops: it reads the lock as lost, sends nothing, queues nothing,
    and another scheduler can take the lock at once."""
    make_user("unit_head", "UBND")
    office.at("2026-01-02T07:30")
    office.open_quarter()
    assert len(office.sweep().queued) == 1
    assert office.lock.held()
    cut(office.lock, office.engine)
    assert not office.lock.held()
    assert office.send().count == 0
    with pytest.raises(LockLost):
        office.sweep()
    assert statuses(session) == ["queued"] and smtp_server.mailbox.take() == []
    successor = SchedulerLock(office.engine)
    try:
        assert successor.try_acquire()
    finally:
        successor.release()


@pytest.mark.postgresql_only
def test_a_scheduler_that_lost_its_lock_stops_and_waits_for_it_again(app):
    """A running scheduler whose lock drops stops its jobs within a sender run, and takes the
    lock again to start over (here nobody else wants it)."""
    engine = app.extensions["giaoviec.engine"]
    started: list[SchedulerLock] = []
    again = threading.Event()

    def on_start(jobs):
        started.append(jobs.lock)
        if len(started) == 2:
            again.set()

    stop = threading.Event()
    runner = threading.Thread(
        target=run_scheduler,
        args=(app, engine, app_clock(app), stop),
        kwargs={"on_start": on_start, "poll": 0.1, "sender_seconds": 0.2},
        daemon=True,
    )
    runner.start()
    try:
        for _ in range(50):
            if started and started[0].connection is not None:
                break
            stop.wait(0.1)
        cut(started[0], engine)
        assert again.wait(20), "the scheduler did not take the lock again"
        assert started[1] is not started[0]
    finally:
        stop.set()
        runner.join(20)
    assert not runner.is_alive()
    assert not started[0].held() and started[1].connection is None  # both let go
