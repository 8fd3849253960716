"""Links are written into the outbox with a mark for the site's address and made absolute when
the mail leaves, so that mail queued before the site moved still leads to it."""

from __future__ import annotations

from sqlmodel import select

from notifications.settings import NotificationSettings
from tests.conftest import sweep
from tests.notifications.conftest import BASE_URL
from workflow.outbox.models import OutboxMessage

MOVED = "https://giaoviec.phuong-thu-nghiem.gov.vn"


def test_mail_queued_before_the_site_moved_links_to_where_it_is_when_sent(
    office, session, make_user, open_tasks, smtp_server
):
    """Queued at 07:30 on 2 January while the site is at giaoviec.example.vn, sent after
    GIAOVIEC_BASE_URL changed: every link, and the unsubscribe header, lead to the new address,
    and the message keeps its Message-ID."""
    head = make_user("unit_head", "UBND")
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    session.commit()
    sweep(office, "2026-01-02T07:30")
    row = session.exec(select(OutboxMessage)).one()
    session.commit()
    assert BASE_URL not in row.body_text and BASE_URL not in row.body_html

    moved = NotificationSettings.from_config({**office.app.config, "BASE_URL": MOVED + "/"})
    assert office.send(moved.mail).count == 1
    (received,) = smtp_server.mailbox.take()
    assert received.to == [head.email]
    for body in (received.text, received.html):
        assert f"{MOVED}/tasks/{task.id}" in body
        assert f"{MOVED}/settings/notifications" in body
        assert BASE_URL not in body and "{GIAOVIEC_BASE_URL}" not in body
    assert received.message["List-Unsubscribe"].startswith(f"<{MOVED}/settings/unsubscribe/")
    assert received.message["Message-ID"] == row.message_id
