"""The admin outbox page: what the sweep queued, as sent, and failed messages sent again."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update
from sqlmodel import select

from tests.conftest import csrf, sign_in_on, sweep
from workflow.outbox.models import OutboxMessage

ROLES = [
    ("admin", None, 200),
    ("leader", None, 403),
    ("reviewer", None, 403),
    ("unit_head", "UBND", 403),
    ("member", "CB1", 403),
]


@pytest.fixture
def queued(office, session, make_user):
    """The quarter-opening digest of UBND's head, queued by a real sweep on 2 January 2026."""
    head = make_user("unit_head", "UBND", full_name="Trần Văn Hùng")
    assert len(sweep(office, "2026-01-02T07:30").queued) == 1
    row = session.exec(select(OutboxMessage)).one()
    session.commit()
    return head, row


def test_the_outbox_pages_are_for_admins_only(app, make_user, queued):
    """Can anyone but an admin see the outbox or a message?"""
    _head, row = queued
    for role, unit, status in ROLES:
        browser = app.test_client()
        sign_in_on(browser, make_user(role, unit))
        assert browser.get("/admin/outbox").status_code == status, role
        assert browser.get(f"/admin/outbox/{row.id}").status_code == status, role


def test_signed_out_visitors_are_sent_to_sign_in(client, queued):
    _head, row = queued
    for url in ("/admin/outbox", f"/admin/outbox/{row.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_a_message_queued_by_the_sweep_is_listed_with_its_vietnamese_subject(
    sign_in, make_user, queued
):
    """Does the admin see the queued digest, in Vietnamese, with its recipient and counts?"""
    _head, row = queued
    browser = sign_in(make_user("admin"))
    page = browser.get("/admin/outbox?status=queued").text
    assert "<h1>Hộp thư đi</h1>" in page
    assert "[Giao Việc] 02/01/2026: 1 nhiệm vụ mới" in page
    assert f'Trần Văn Hùng<br><span class="muted">{row.to_address}</span>' in page
    assert '<span class="badge outbox-queued">Chờ gửi</span>' in page
    filters = re.findall(r'href="/admin/outbox[^"]*"[^>]*>([^<]+ \(\d+\))</a>', page)
    assert filters == ["Tất cả (1)", "Chờ gửi (1)", "Đang gửi (0)", "Đã gửi (0)", "Gửi lỗi (0)"]
    assert 'aria-current="page">Chờ gửi (1)</a>' in page
    sent = browser.get("/admin/outbox?status=sent").text
    assert row.subject not in sent and "Không có thư nào." in sent


def test_a_message_is_shown_as_sent_with_decoded_headers_and_the_html_sandboxed(
    sign_in, make_user, queued
):
    """Are From, To, Subject, Message-ID and Date decoded, and the HTML never raw in the page?"""
    _head, row = queued
    browser = sign_in(make_user("admin"))
    page = browser.get(f"/admin/outbox/{row.id}").text
    assert "Subject</th><td>[Giao Việc] 02/01/2026: 1 nhiệm vụ mới" in page
    assert f"To</th><td>Trần Văn Hùng &lt;{row.to_address}&gt;" in page
    assert "From</th><td>Giao Việc &lt;giaoviec@localhost&gt;" in page
    assert f"Message-ID</th><td>{row.message_id.replace('<', '&lt;').replace('>', '&gt;')}" in page
    assert "Date</th><td>" in page and "List-Unsubscribe" in page
    assert "Kính gửi đồng chí Trần Văn Hùng" in page  # the text part
    assert 'sandbox="" ' in page and 'srcdoc="&lt;!doctype html&gt;' in page
    assert "<!doctype html>\n<html>\n<body" not in page
    assert "=?utf-8?" in page  # the source shows the encoded header


def test_retrying_a_failed_message_queues_it_again(app, session, sign_in, make_user, queued):
    """Does 'send again' turn a failed message back to queued, with a message to the admin?"""
    _head, row = queued
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id)
        .values(status="failed", attempts=10, last_error="SMTPRecipientsRefused: 550 no such user")
    )
    session.commit()
    browser = sign_in(make_user("admin"))
    listing = browser.get("/admin/outbox?status=failed").text
    assert "550 no such user" in listing
    page = browser.get(f"/admin/outbox/{row.id}").text
    response = browser.post(f"/admin/outbox/{row.id}/retry", data={"csrf_token": csrf(page)})
    assert response.status_code == 303
    after = browser.get(response.location).text
    assert "Thư đã được xếp lại vào hàng đợi; thư sẽ đi trong lần gửi tới." in after
    session.expire_all()
    again = session.get(OutboxMessage, row.id)
    assert (again.status, again.attempts) == ("queued", 0)
    session.commit()


def test_retry_needs_a_csrf_token_and_an_admin(app, session, sign_in, make_user, queued):
    _head, row = queued
    session.execute(update(OutboxMessage).values(status="failed"))
    session.commit()
    admin = sign_in(make_user("admin"))
    assert admin.post(f"/admin/outbox/{row.id}/retry").status_code == 400
    leader = app.test_client()
    sign_in_on(leader, make_user("leader"))
    token = csrf(leader.get("/settings/notifications").text)
    assert (
        leader.post(f"/admin/outbox/{row.id}/retry", data={"csrf_token": token}).status_code == 403
    )
    session.expire_all()
    assert session.get(OutboxMessage, row.id).status == "failed"
    session.commit()


@pytest.mark.parametrize("status", ["queued", "sending", "sent"])
def test_retrying_a_message_that_has_not_failed_changes_nothing(
    session, sign_in, make_user, queued, status
):
    """Can "send again" put back in the queue a message that is waiting, going or gone?"""
    _head, row = queued
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id == row.id).values(status=status, attempts=1)
    )
    session.commit()
    browser = sign_in(make_user("admin"))
    page = browser.get(f"/admin/outbox/{row.id}").text
    response = browser.post(f"/admin/outbox/{row.id}/retry", data={"csrf_token": csrf(page)})
    assert response.status_code == 303
    assert "Chỉ gửi lại được thư gửi không thành công." in browser.get(response.location).text
    session.expire_all()
    again = session.get(OutboxMessage, row.id)
    assert (again.status, again.attempts) == (status, 1)
    session.commit()
