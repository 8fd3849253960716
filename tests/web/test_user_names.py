"""A user name is one organisation's: another commune may have the same, and neither learns it
from the other. Where several organisations share a server, the sign-in page asks for the
organisation's code, and a shared name signs in only with it."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.conftest import PASSWORD, SMALL_PLAN, csrf, other_commune, real_now, set_clock
from workflow.accounts import passwords
from workflow.accounts.models import User
from workflow.accounts.operations import add_user
from workflow.clock import Clock
from workflow.db.migrate import downgrade, upgrade
from workflow.organisations.queries import find_organisation
from workflow.plans.checks import read_plan
from workflow.plans.store import load_plan
from workflow.tasks.models import TaskEventRecord

OTHER_PASSWORD = "mat-khau-cua-xa-khac"


@pytest.fixture
def two_communes(session, ward):
    """The test ward and Phường Khác, each with its administrator."""
    load_plan(
        session,
        read_plan(SMALL_PLAN) | {"organisation": other_commune("XA-KHAC", "Phường Khác")},
        Clock(),
    )
    other = find_organisation(session, "XA-KHAC")
    admins = {}
    for organisation, name in ((ward, "qtv.thunghiem"), (other, "qtv.khac")):
        admins[organisation.code] = add_user(
            session, organisation, name, "admin", f"{name}@example.vn", PASSWORD, now=real_now()
        )
    session.commit()
    return ward, other, admins


def create_user(app, admin, username: str):
    """``admin`` creates ``username`` on the new-user page; the answer."""
    browser = app.test_client()
    page = browser.get("/login").text
    browser.post(
        "/login",
        data={"csrf_token": csrf(page), "username": admin.username, "password": PASSWORD},
    )
    page = browser.get("/admin/users/new").text
    return browser.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf(page),
            "username": username,
            "full_name": "Nguyễn Văn An",
            "email": f"{username}@example.vn",
            "role": "leader",
            "password": PASSWORD,
        },
    )


def sign_in(app, username: str, password: str, organisation: str | None = None):
    browser = app.test_client()
    page = browser.get("/login").text
    data = {"csrf_token": csrf(page), "username": username, "password": password}
    if organisation is not None:
        data["organisation"] = organisation
    return browser, browser.post("/login", data=data)


def test_another_commune_may_take_a_name_and_is_not_told_one_has_it(app, two_communes):
    """Creating a name another commune has is like creating any free name; only the same
    organisation is told that the name is taken."""
    _ward, _other, admins = two_communes
    assert create_user(app, admins["DU-TEST"], "an.nguyen").status_code == 303
    answer = create_user(app, admins["XA-KHAC"], "an.nguyen")
    assert answer.status_code == 303
    assert "an.nguyen" not in answer.text
    again = create_user(app, admins["XA-KHAC"], "an.nguyen")
    assert again.status_code == 422
    assert "Tên đăng nhập an.nguyen đã có người dùng" in again.text


def test_a_shared_name_signs_in_with_its_organisation_and_is_offered_it_next_time(
    app, session, two_communes
):
    ward, other, _admins = two_communes
    ans = {
        organisation.code: add_user(
            session, organisation, "an.nguyen", "leader", "an@example.vn", password, now=real_now()
        )
        for organisation, password in ((ward, PASSWORD), (other, OTHER_PASSWORD))
    }
    session.commit()
    page = app.test_client().get("/login").text
    assert "Mã đơn vị" in page

    _browser, without = sign_in(app, "an.nguyen", PASSWORD)
    assert without.status_code == 200
    assert "Sai tên đăng nhập, mật khẩu hoặc mã đơn vị." in without.text

    browser, answer = sign_in(app, "an.nguyen", OTHER_PASSWORD, "xa-khac")
    assert answer.status_code == 302
    assert browser.get("/api/v1/me").get_json()["id"] == ans["XA-KHAC"].id
    _browser, wrong = sign_in(app, "an.nguyen", PASSWORD, "XA-KHAC")  # the ward's password
    assert "Sai tên đăng nhập, mật khẩu hoặc mã đơn vị." in wrong.text

    browser.post("/logout", data={"csrf_token": csrf(browser.get("/password").text)})
    assert 'value="XA-KHAC"' in browser.get("/login").text


def test_a_ward_alone_on_its_server_is_not_asked_for_its_organisation(client, make_user):
    make_user("leader", username="chutich")
    page = client.get("/login").text
    assert "Mã đơn vị" not in page
    answer = client.post(
        "/login", data={"csrf_token": csrf(page), "username": "chutich", "password": "sai-roi"}
    )
    assert "Sai tên đăng nhập hoặc mật khẩu." in answer.text


@pytest.mark.real_password_hashing
def test_a_name_that_needs_its_organisation_costs_a_hash_like_a_wrong_password(
    session, two_communes, monkeypatch
):
    ward, other, _admins = two_communes
    for organisation in (ward, other):
        add_user(
            session, organisation, "an.nguyen", "leader", "a@example.vn", PASSWORD, now=real_now()
        )
    session.commit()
    checked = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda *a: checked.append(1) or real(*a))
    assert passwords.check_password(session, "an.nguyen", PASSWORD) is None
    assert checked == [1]


def test_the_command_line_names_the_organisation_of_a_shared_name(runner, session, two_communes):
    ward, other, _admins = two_communes
    for organisation in (ward, other):
        add_user(
            session, organisation, "an.nguyen", "leader", "a@example.vn", PASSWORD, now=real_now()
        )
    session.commit()
    refused = runner.invoke(args=["user", "token", "an.nguyen"])
    assert refused.exit_code == 1
    assert "Nhiều đơn vị có người dùng an.nguyen" in refused.stderr
    issued = runner.invoke(args=["user", "token", "an.nguyen", "--org", "XA-KHAC"])
    assert issued.exit_code == 0 and len(issued.stdout.strip()) > 20


def test_an_earlier_release_keeps_its_names_and_people_once_upgraded(session, history, db):
    """A database whose names were unique across the server (0018), with its history, is
    upgraded: every user and every step they took is kept, and now another commune may take a
    name the ward has."""
    users = sorted(session.exec(select(User.id, User.username, User.organisation_id)).all())
    steps = session.exec(select(func.count()).select_from(TaskEventRecord)).one()
    session.commit()
    downgrade(db, "0018")
    upgrade(db)
    assert sorted(session.exec(select(User.id, User.username, User.organisation_id)).all()) == users
    assert session.exec(select(func.count()).select_from(TaskEventRecord)).one() == steps
    load_plan(
        session,
        read_plan(SMALL_PLAN) | {"organisation": other_commune("XA-KHAC", "Phường Khác")},
        Clock(),
    )
    taken = history.heads["UBND"].username
    other = find_organisation(session, "XA-KHAC")
    add_user(session, other, taken, "leader", "a@example.vn", PASSWORD, now=real_now())
    session.commit()
    assert session.exec(select(func.count()).where(User.username == taken)).one() == 2


def test_wrong_passwords_for_one_communes_name_do_not_lock_anothers(app, session, two_communes):
    """Five failures for XA-KHAC's an.nguyen lock that name there; DU-TEST's an.nguyen, from
    another address, still signs in."""
    ward, other, _admins = two_communes
    for organisation in (ward, other):
        add_user(
            session, organisation, "an.nguyen", "leader", "a@example.vn", PASSWORD, now=real_now()
        )
    session.commit()
    set_clock(app, "2026-03-02T09:00")
    for _ in range(5):
        sign_in(app, "an.nguyen", "sai-mat-khau", "XA-KHAC")
    _browser, locked = sign_in(app, "an.nguyen", PASSWORD, "XA-KHAC")
    assert locked.status_code == 429
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    page = browser.get("/login").text
    answer = browser.post(
        "/login",
        data={
            "csrf_token": csrf(page),
            "username": "an.nguyen",
            "password": PASSWORD,
            "organisation": "DU-TEST",
        },
    )
    assert answer.status_code == 302
