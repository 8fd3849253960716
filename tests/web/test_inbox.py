"""Notifications in the app: what the emails told a person, read or unread, theirs alone."""

from __future__ import annotations

import re

from sqlalchemy import update

from tests.conftest import at, csrf, return_a_report, sign_in_on, sweep
from workflow.outbox.models import OutboxMessage


def menu_badge(page: str) -> str | None:
    """The unread count beside "Thông báo" in the menu, or None when there is none."""
    found = re.search(r'Thông báo <span class="count">(\d+)</span>', page)
    return found.group(1) if found else None


def test_a_digest_is_listed_unread_and_opening_it_shows_its_tasks_and_reads_it(
    office, app, make_user
):
    """The quarter's list reaches UBND's head on 2 January: the menu shows 1 unread, the list
    shows the subject in bold, the message links to the task, and the email's text has working
    links; after opening, nothing is unread."""
    head = make_user("unit_head", "UBND", full_name="Trần Văn Hùng")
    sweep(office, "2026-01-02T07:30")
    browser = app.test_client()
    sign_in_on(browser, head)

    listing = browser.get("/inbox/").text
    assert menu_badge(listing) == "1"
    assert '<li class="unread">' in listing
    assert "[Giao Việc] 02/01/2026: 1 nhiệm vụ mới của Quý I/2026" in listing
    message_url = re.search(r'href="(/inbox/\d+)"', listing).group(1)

    message = browser.get(message_url).text
    assert "Nhiệm vụ trong thông báo này" in message
    assert re.search(r'<a href="/tasks/\d+"><strong>VI.2.1</strong> Cung cấp thông tin', message)
    assert "Kính gửi đồng chí Trần Văn Hùng" in message
    task_id = re.search(r'<a href="/tasks/(\d+)"><strong>VI.2.1', message).group(1)
    link = f"http://localhost/tasks/{task_id}"  # the email's own links, on the address in use
    assert f'<a href="{link}">{link}</a>' in message
    assert "{GIAOVIEC_BASE_URL}" not in message
    assert "Email chưa được gửi" in message  # queued, not yet sent
    assert menu_badge(message) is None

    listing = browser.get("/inbox/").text
    assert '<li class="read">' in listing and '<li class="unread">' not in listing


def test_nobody_else_sees_or_opens_a_persons_notification(office, app, make_user):
    """BXDD's head and the admin see nothing of UBND's head's digest, and its address gives
    them 'not found'."""
    head = make_user("unit_head", "UBND")
    others = [make_user("unit_head", "BXDD"), make_user("admin"), make_user("reviewer")]
    sweep(office, "2026-01-02T07:30")
    browser = app.test_client()
    sign_in_on(browser, head)
    message_url = re.search(r'href="(/inbox/\d+)"', browser.get("/inbox/").text).group(1)
    for other in others:
        browser = app.test_client()
        sign_in_on(browser, other)
        assert browser.get(message_url).status_code == 404, other.role
        assert f'href="{message_url}"' not in browser.get("/inbox/").text, other.role
    browser = app.test_client()
    sign_in_on(browser, head)
    assert menu_badge(browser.get("/inbox/").text) == "1"  # their look read nothing of it


def test_a_returned_report_is_a_notification_that_names_the_task_and_the_reason(
    office, app, session, make_user, open_tasks
):
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head, reviewer = make_user("unit_head", "UBND"), make_user("reviewer")
    return_a_report(session, task, head, reviewer)
    office.at("2026-03-10T09:01")
    office.send_outbox()  # queues the notice (no mail server here: it stays queued)
    session.execute(update(OutboxMessage).values(sent_at=at("2026-03-10T09:02")))
    session.commit()
    browser = app.test_client()
    sign_in_on(browser, head)
    listing = browser.get("/inbox/").text
    assert "Báo cáo bị trả lại: VI.2.1 Cung cấp thông tin chính thống" in listing
    message = browser.get(re.search(r'href="(/inbox/\d+)"', listing).group(1)).text
    assert f'<a href="/tasks/{task.id}"><strong>VI.2.1</strong>' in message
    assert "Thiếu ảnh minh chứng" in message
    assert f"Đã gửi email tới {head.email}" in message


def test_mark_all_as_read(office, app, make_user):
    """Two digests (2 January and the overdue one of 2 April) are unread; one press reads
    both."""
    head = make_user("unit_head", "UBND")
    sweep(office, "2026-01-02T07:30")
    sweep(office, "2026-04-02T07:30")
    browser = app.test_client()
    sign_in_on(browser, head)
    listing = browser.get("/inbox/").text
    assert menu_badge(listing) == "2"
    response = browser.post("/inbox/read", data={"csrf_token": csrf(listing)})
    assert response.status_code == 303
    page = browser.get("/inbox/").text
    assert "Đã đánh dấu 2 thông báo là đã đọc." in page
    assert menu_badge(page) is None
    assert browser.post("/inbox/read", data={}).status_code == 400  # no CSRF token, refused
