"""One-click unsubscribe (RFC 8058): a digest names a link that a mail program posts to, with no
session and no CSRF token, to switch the reader's digests off; following it only asks."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from notifications.unsubscribe import unsubscribe_token
from tests.conftest import return_a_report, sweep
from tests.notifications.conftest import BASE_URL
from workflow.accounts.models import User
from workflow.outbox.models import OutboxMessage


def digests_on(session, user) -> bool:
    session.expire_all()
    on = session.get(User, user.id).email_digests
    session.commit()
    return on


def unsubscribe_path(received) -> str:
    """The digest's ``List-Unsubscribe`` link, as a path of the test app."""
    url = re.fullmatch(r"<(.+)>", received.message["List-Unsubscribe"]).group(1)
    assert url.startswith(f"{BASE_URL}/settings/unsubscribe/")
    return url.removeprefix(BASE_URL)


@pytest.fixture
def digest(office, make_user, smtp_server):
    """The quarter's list of UBND's head, sent on 2 January; BXDD's head gets one too."""
    head, other = make_user("unit_head", "UBND"), make_user("unit_head", "BXDD")
    sweep(office, "2026-01-02T07:30")
    assert office.send().count == 2
    received = {m.to[0]: m for m in smtp_server.mailbox.take()}
    return head, other, received[head.email]


def test_one_click_switches_the_digests_off_without_signing_in(app, office, session, digest):
    """The mail program posts ``List-Unsubscribe=One-Click`` to the link: 200, the head's
    digests are off (and only theirs), and the next reminders do not come to them."""
    head, other, received = digest
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_program = app.test_client()  # no session, no CSRF token
    response = mail_program.post(
        unsubscribe_path(received),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not digests_on(session, head) and digests_on(session, other)
    sweep(office, "2026-03-02T07:30")  # UBND's VI.2.1 is 14 days away: due soon
    session.expire_all()
    to_head = session.exec(select(OutboxMessage).where(OutboxMessage.recipient_id == head.id))
    assert len(to_head.all()) == 1  # the quarter's list, before unsubscribing
    session.commit()


def test_following_the_link_only_asks_and_the_button_switches_off(app, session, digest):
    """A GET (a mail scanner, or the reader's browser) changes nothing and shows a button; the
    button switches the digests off; the link then says they are off."""
    head, _other, received = digest
    browser = app.test_client()
    path = unsubscribe_path(received)
    page = browser.get(path)
    assert page.status_code == 200
    assert f'<form method="post" action="{path}">' in page.text
    assert "Đồng chí muốn tắt thư nhắc việc hằng ngày?" in page.text
    assert digests_on(session, head)
    done = browser.post(path)
    assert done.status_code == 200 and "Đã tắt thư nhắc việc" in done.text
    assert not digests_on(session, head)
    again = browser.get(path).text
    assert "đã được tắt từ trước" in again and "Tắt thư nhắc việc</button>" not in again


def test_a_forged_or_altered_link_is_not_found(app, session, make_user):
    head = make_user("unit_head", "UBND")
    genuine = unsubscribe_token(app.config["SECRET_KEY"], head.id)
    forged = unsubscribe_token("another key", head.id)
    client = app.test_client()
    for token in (forged, genuine[:-1] + ("A" if genuine[-1] != "A" else "B"), "nothing"):
        assert client.get(f"/settings/unsubscribe/{token}").status_code == 404
        assert client.post(f"/settings/unsubscribe/{token}").status_code == 404
    assert digests_on(session, head)


def test_mail_that_cannot_be_switched_off_offers_no_unsubscribe(
    office, session, make_user, open_tasks, smtp_server
):
    """A leader's mail of escalations alone, and a returned-report notice, go out whatever the
    digest setting says: neither carries the unsubscribe headers."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head, reviewer = make_user("unit_head", "UBND"), make_user("reviewer")
    leader = make_user("leader")
    return_a_report(session, task, head, reviewer)
    office.at("2026-03-10T09:01")
    office.send_outbox()
    sweep(office, "2026-03-23T07:30")
    office.send()
    received = {(m.to[0], str(m.subject)): m for m in smtp_server.mailbox.take()}
    notice = received[
        (head.email, "[Giao Việc] Báo cáo bị trả lại: VI.2.1 Cung cấp thông tin chính thống")
    ]
    escalations = [m for (to, _s), m in received.items() if to == leader.email]
    assert len(escalations) == 1 and "cần đôn đốc" in escalations[0].subject
    for message in (notice, escalations[0]):
        assert message.message["List-Unsubscribe"] is None
        assert message.message["List-Unsubscribe-Post"] is None
