"""The outbox under failure: SMTP down, a sender killed mid-batch, attempts used up."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import update
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


def test_a_server_that_says_try_later_gets_the_message_later_once(queued, session, smtp_server):
    """A 451 for the first message: nothing more is sent this run, all three go out after the
    back-off, once each."""
    office = queued
    smtp_server.mailbox.faults = ["451 4.3.0 Mailbox busy, try again later"]
    result = office.send()
    assert (result.count, result.retried) == (0, 3)
    assert "451" in rows(session)[0].last_error
    office.later(2)
    assert office.send().count == 3
    assert len(smtp_server.mailbox.take()) == 3
    assert {r.status for r in rows(session)} == {"sent"}


def test_a_message_the_server_refuses_for_good_fails_alone(queued, session, smtp_server):
    """A 554 for the first message: it fails at once and is never sent again; the other two go
    out in the same run."""
    office = queued
    smtp_server.mailbox.faults = ["554 5.7.1 Message rejected"]
    result = office.send()
    assert (result.count, result.failed) == (2, 1)
    failed = [r for r in rows(session) if r.status == "failed"]
    assert len(failed) == 1 and "554" in failed[0].last_error
    office.later(120)
    assert office.send().count == 0
    assert len(smtp_server.mailbox.take()) == 2


def test_a_connection_dropped_mid_message_is_sent_again_once(queued, session, smtp_server):
    """The server hangs up while the first message is being sent: the sender connects again
    and sends it at once; hung up on twice in a row, it waits for the back-off. Each message
    arrives once."""
    office = queued
    smtp_server.mailbox.faults = [smtp_server.mailbox.DROP]
    assert office.send().count == 3
    assert len(smtp_server.mailbox.take()) == 3

    office.at("2026-04-01T07:30")
    office.open_quarter()
    assert len(office.sweep().queued) == 3
    smtp_server.mailbox.faults = [smtp_server.mailbox.DROP, smtp_server.mailbox.DROP]
    result = office.send()
    assert (result.count, result.retried) == (0, 3)
    waiting = [r for r in rows(session) if r.status == "queued"]
    assert len(waiting) == 3 and "SMTPServerDisconnected" in waiting[0].last_error
    office.later(2)
    assert office.send().count == 3
    received = smtp_server.mailbox.take()
    assert sorted(m.to[0] for m in received) == sorted(r.to_address for r in waiting)


def test_a_server_that_never_answers_times_out_and_is_tried_again(queued, session, mail_config):
    """A server that accepts the connection and says nothing: the sender gives up after its
    timeout and the messages wait for the next run."""
    office = queued
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        mail = MailSettings.from_config(
            {**mail_config, "SMTP_PORT": silent.getsockname()[1], "SMTP_TIMEOUT": 1}
        )
        result = office.send(mail)
    assert (result.count, result.retried) == (0, 3)
    assert all("timed out" in r.last_error.lower() for r in rows(session))


def test_a_line_break_in_a_name_or_a_subject_goes_out_on_one_line(
    office, session, make_user, smtp_server
):
    """A full name pasted from Word (its vertical tab, a line feed) and a subject that tries to
    start a header of its own: the message still goes, to its one recipient, each on one line."""
    head = make_user("unit_head", "UBND", full_name="Trần\x0bThị\nBình")
    office.at("2026-01-02T07:30")
    office.open_quarter()
    assert len(office.sweep().queued) == 1
    session.execute(
        update(OutboxMessage).values(subject=OutboxMessage.subject + "\r\nBcc: ai@ngoai.example")
    )
    session.commit()

    assert office.send().count == 1
    [received] = smtp_server.mailbox.take()
    assert received.to == [head.email]
    assert received.message["To"].addresses[0].display_name == "Trần Thị Bình"
    assert received.subject.endswith(" Bcc: ai@ngoai.example")
    assert received.message["Bcc"] is None
    assert {r.status for r in rows(session)} == {"sent"}
