"""The outbox under failure: SMTP down, a sender killed mid-batch, attempts used up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from notifications import outbox
from notifications.mailer import MailSettings, send_queued
from notifications.settings import NotificationSettings
from notifications.sweep import run_sweep
from workflow import clock
from workflow.outbox.models import OutboxMessage
from workflow.outbox.operations import retry_failed


@pytest.fixture
def queued(app, session, make_user):
    """Three quarter-opening digests queued on Friday 2 January 2026 at 07:30."""
    for unit in ("BXDD", "UBND", "CB1"):
        make_user("unit_head", unit)
    clock.set_now("2026-01-02T07:30")
    settings = NotificationSettings.from_config(app.config)
    engine = app.extensions["giaoviec.engine"]
    from notifications.scheduler import open_quarter_if_due

    with app.app_context():
        open_quarter_if_due(engine, settings)
        assert len(run_sweep(engine, settings, clock.now()).queued) == 3
    return engine, settings


def rows(session) -> list[OutboxMessage]:
    """The outbox as it stands, read in a transaction that ends at once (SQLite's write lock)."""
    session.expire_all()
    found = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    session.expunge_all()
    session.commit()
    return found


def later(minutes: float) -> None:
    clock.set_now(clock.now() + timedelta(minutes=minutes))


def test_smtp_down_for_a_sweep_then_up_delivers_each_once(queued, session, smtp_server):
    """Do messages queued while the server is down go out later, once each?"""
    engine, settings = queued
    smtp_server.stop()
    result = send_queued(engine, settings.mail, settings.calendar)
    assert (result.count, result.retried) == (0, 3)
    assert {(r.status, r.attempts) for r in rows(session)} == {("queued", 1)}
    assert all("ConnectionRefusedError" in r.last_error for r in rows(session))
    assert send_queued(engine, settings.mail, settings.calendar).count == 0  # backing off

    smtp_server.start()
    later(2)
    assert send_queued(engine, settings.mail, settings.calendar).count == 3
    later(60)
    assert send_queued(engine, settings.mail, settings.calendar).count == 0
    received = smtp_server.mailbox.take()
    assert sorted(m.to[0] for m in received) == sorted(r.to_address for r in rows(session))
    assert {r.status for r in rows(session)} == {"sent"}


def test_sender_killed_mid_batch_resends_only_the_message_in_flight(
    queued, session, smtp_server, monkeypatch
):
    """Killed after the server accepted message 2 but before it was marked sent: message 3 goes
    out on restart, message 2 again (same Message-ID) once it is stale, message 1 never again."""
    engine, settings = queued
    real_mark_sent = outbox.mark_sent
    calls = []

    def dies_on_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed")
        real_mark_sent(*args, **kwargs)

    monkeypatch.setattr(outbox, "mark_sent", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        send_queued(engine, settings.mail, settings.calendar)
    monkeypatch.setattr(outbox, "mark_sent", real_mark_sent)
    first, second, third = rows(session)
    assert (first.status, second.status, third.status) == ("sent", "sending", "queued")

    assert send_queued(engine, settings.mail, settings.calendar).count == 1  # the third
    later(settings.mail.stale_after.total_seconds() / 60 - 1)
    assert send_queued(engine, settings.mail, settings.calendar).count == 0  # not stale yet
    later(2)
    resent = send_queued(engine, settings.mail, settings.calendar).sent
    assert [row.id for row in resent] == [second.id]
    assert {r.status for r in rows(session)} == {"sent"}

    ids = [m.message["Message-ID"] for m in smtp_server.mailbox.take()]
    assert ids == [first.message_id, second.message_id, third.message_id, second.message_id]


def test_a_message_fails_after_the_configured_attempts(queued, session, smtp_server):
    """Does a message give up (failed, with the error) after MAIL_MAX_ATTEMPTS tries, and can
    an admin queue it again?"""
    engine, settings = queued
    mail = MailSettings.from_config({**settings_config(settings), "MAIL_MAX_ATTEMPTS": 2})
    smtp_server.stop()
    send_queued(engine, mail)
    later(5)
    send_queued(engine, mail)
    assert {(r.status, r.attempts) for r in rows(session)} == {("failed", 2)}
    smtp_server.start()
    later(600)
    assert send_queued(engine, mail).count == 0
    assert retry_failed(session, rows(session)[0].id, clock.now())
    session.commit()
    assert send_queued(engine, mail).count == 1


def settings_config(settings: NotificationSettings) -> dict:
    mail = settings.mail
    return {"SMTP_HOST": mail.host, "SMTP_PORT": mail.port, "MAIL_FROM": mail.mail_from}
