"""Notification settings: every signed-in person's page, and what it changes in the sweep."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import csrf, sign_in_on, sweep
from workflow.accounts.models import User
from workflow.outbox.models import OutboxMessage

ROLES = [
    ("admin", None),
    ("leader", None),
    ("reviewer", None),
    ("unit_head", "UBND"),
    ("member", "CB1"),
]
URL = "/settings/notifications"


def save(browser, **data):
    """Submit the settings form as a browser would (an unchecked box is not sent)."""
    token = csrf(browser.get(URL).text)
    return browser.post(URL, data={"csrf_token": token, **data})


def outbox(session) -> list[OutboxMessage]:
    session.expire_all()
    rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    session.commit()
    return rows


@pytest.mark.parametrize(("role", "unit"), ROLES)
def test_every_signed_in_person_has_the_page_in_vietnamese(app, make_user, role, unit):
    browser = app.test_client()
    sign_in_on(browser, make_user(role, unit))
    response = browser.get(URL)
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert 'name="email_digests"' in response.text
    assert '<input checked id="locale-0"' in response.text  # Vietnamese chosen by default


def test_the_settings_link_sends_a_signed_out_visitor_to_sign_in_and_back(client, make_user):
    """The emails' settings link points here: sign in, then land on the settings page."""
    from tests.conftest import PASSWORD

    user = make_user("unit_head", "UBND")
    response = client.get(URL)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=%2Fsettings%2Fnotifications")
    page = client.get(response.location).text
    back = client.post(
        response.location,
        data={"csrf_token": csrf(page), "username": user.username, "password": PASSWORD},
    )
    assert back.status_code == 302 and back.location == URL


def test_saving_needs_a_csrf_token(app, make_user):
    browser = app.test_client()
    sign_in_on(browser, make_user("unit_head", "UBND"))
    assert browser.post(URL, data={"locale": "en"}).status_code == 400


def test_an_unknown_language_is_refused(app, session, make_user):
    head = make_user("unit_head", "UBND")
    browser = app.test_client()
    sign_in_on(browser, head)
    assert save(browser, locale="fr", email_digests="y").status_code == 422
    session.expire_all()
    assert session.get(User, head.id).locale == "vi"
    session.commit()


def test_leaders_are_told_escalations_cannot_be_switched_off(app, make_user):
    leader, head = app.test_client(), app.test_client()
    sign_in_on(leader, make_user("leader"))
    sign_in_on(head, make_user("unit_head", "UBND"))
    assert 'role="note"' in leader.get(URL).text
    assert 'role="note"' not in head.get(URL).text


def test_digests_off_means_no_digest_from_the_sweep(app, office, session, make_user):
    """A head who switched digests off gets no quarter list; the other head still does."""
    quiet, other = make_user("unit_head", "UBND"), make_user("unit_head", "BXDD")
    browser = app.test_client()
    sign_in_on(browser, quiet)
    response = save(browser, locale="vi")
    assert response.status_code == 303
    session.expire_all()
    assert session.get(User, quiet.id).email_digests is False
    session.commit()
    sweep(office, "2026-01-02T07:30")
    assert [row.recipient_id for row in outbox(session)] == [other.id]


def test_a_leader_with_digests_off_still_gets_the_escalation(office, app, session, make_user):
    """UBND's task due Sunday 15 March is 7 days overdue on Sunday 22nd: escalated Monday 23rd."""
    make_user("unit_head", "UBND")
    leader = make_user("leader", full_name="Vũ Quốc Khánh")
    browser = app.test_client()
    sign_in_on(browser, leader)
    assert save(browser, locale="vi").status_code == 303
    sweep(office, "2026-01-02T07:30")
    sweep(office, "2026-03-23T07:30")
    mine = [row for row in outbox(session) if row.recipient_id == leader.id]
    assert len(mine) == 1 and "cần đôn đốc" in mine[0].subject
    assert "UBND" in mine[0].body_text


def test_english_chosen_means_an_english_subject(office, app, session, make_user):
    head = make_user("unit_head", "UBND")
    browser = app.test_client()
    sign_in_on(browser, head)
    response = save(browser, locale="en", email_digests="y")
    assert response.status_code == 303
    assert '<html lang="en">' in browser.get(URL).text
    sweep(office, "2026-01-02T07:30")
    (row,) = outbox(session)
    assert row.subject == "[Giao Việc] 02/01/2026: 1 new task of quarter I/2026"
