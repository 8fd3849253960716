"""The outbox under failure: SMTP down, a sender killed mid-batch, attempts used up."""

from __future__ import annotations

import pytest
from sqlmodel import select

from notifications import outbox
from notifications.mailer import MailSettings
from notifications.settings import NotificationSettings
from workflow.outbox.models import OutboxMessage
from workflow.outbox.operations import retry_failed


@pytest.fixture
def queued(office, session, make_user):
    """Three quarter-opening digests queued on Friday 2 January 2026 at 07:30."""
    for unit in ("BXDD", "UBND", "CB1"):
        make_user("unit_head", unit)
    office.at("2026-01-02T07:30")
    office.open_quarter()
    assert len(office.sweep().queued) == 3
    return office


def rows(session) -> list[OutboxMessage]:
    """The outbox as it stands, read in a transaction that ends at once (SQLite's write lock)."""
    session.expire_all()
    found = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    session.expunge_all()
    session.commit()
    return found


def test_smtp_down_for_a_sweep_then_up_delivers_each_once(queued, session, smtp_server):
    """Do messages queued while the server is down go out later, once each?"""
    office = queued
    smtp_server.stop()
    result = office.send()
    assert (result.count, result.retried) == (0, 3)
    assert {(r.status, r.attempts) for r in rows(session)} == {("queued", 1)}
    assert all("ConnectionRefusedError" in r.last_error for r in rows(session))
    assert office.send().count == 0  # backing off

    smtp_server.start()
    office.later(2)
    assert office.send().count == 3
    office.later(60)
    assert office.send().count == 0
    received = smtp_server.mailbox.take()
    assert sorted(m.to[0] for m in received) == sorted(r.to_address for r in rows(session))
    assert {r.status for r in rows(session)} == {"sent"}


def test_sender_killed_mid_batch_resends_only_the_message_in_flight(
    queued, session, smtp_server, monkeypatch
):
    """Killed after the server accepted message 2 but before it was marked sent: message 3 goes
    out on restart, message 2 again (same Message-ID) once it is stale, message 1 never again."""
    office = queued
    real_claim_next = outbox.claim_next
    calls = []

    def dies_marking_the_second(*args, **kwargs):  # message 2 is marked with the third claim
        calls.append(args)
        if len(calls) == 3:
            raise KeyboardInterrupt("killed")
        return real_claim_next(*args, **kwargs)

    monkeypatch.setattr(outbox, "claim_next", dies_marking_the_second)
    with pytest.raises(KeyboardInterrupt):
        office.send()
    monkeypatch.setattr(outbox, "claim_next", real_claim_next)
    first, second, third = rows(session)
    assert (first.status, second.status, third.status) == ("sent", "sending", "queued")

    assert office.send().count == 1  # the third
    office.later(office.settings.mail.stale_after.total_seconds() / 60 - 1)
    assert office.send().count == 0  # not stale yet
    office.later(2)
    resent = office.send().sent
    assert [row.id for row in resent] == [second.id]
    assert {r.status for r in rows(session)} == {"sent"}

    ids = [m.message["Message-ID"] for m in smtp_server.mailbox.take()]
    assert ids == [first.message_id, second.message_id, third.message_id, second.message_id]


def test_a_message_fails_after_the_configured_attempts(queued, session, smtp_server):
    """Does a message give up (failed, with the error) after MAIL_MAX_ATTEMPTS tries, and can
    an admin queue it again?"""
    office = queued
    mail = MailSettings.from_config({**settings_config(office.settings), "MAIL_MAX_ATTEMPTS": 2})
    smtp_server.stop()
    office.send(mail)
    office.later(5)
    office.send(mail)
    assert {(r.status, r.attempts) for r in rows(session)} == {("failed", 2)}
    smtp_server.start()
    office.later(600)
    assert office.send(mail).count == 0
    assert retry_failed(session, rows(session)[0].id, office.now())
    session.commit()
    assert office.send(mail).count == 1


def settings_config(settings: NotificationSettings) -> dict:
    mail = settings.mail
    return {"SMTP_HOST": mail.host, "SMTP_PORT": mail.port, "MAIL_FROM": mail.mail_from}
