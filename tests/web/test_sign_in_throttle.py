"""Guessing passwords is slowed to nothing: five wrong tries lock a name for fifteen minutes,
thirty from one address lock the address, the counts are shared through the database, a lock
is logged once, and an unknown name costs the same hashing as a wrong password."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import PASSWORD, csrf, set_clock
from workflow.accounts import passwords


def try_password(client, username: str, password: str):
    page = client.get("/login").text
    return client.post(
        "/login", data={"csrf_token": csrf(page), "username": username, "password": password}
    )


def test_five_wrong_passwords_lock_the_name_for_fifteen_minutes(app, client, make_user, caplog):
    head = make_user("unit_head", "UBND")
    set_clock(app, "2026-03-02T09:00")
    with caplog.at_level(logging.WARNING, logger="giaoviec.auth"):
        for _ in range(5):
            assert try_password(client, head.username, "sai-mat-khau").status_code == 200
        locked = try_password(client, head.username, PASSWORD)  # right, but locked
        try_password(client, head.username.upper(), "sai")  # the same name, in capitals
    assert locked.status_code == 429
    assert "Đăng nhập tạm khóa 15 phút" in locked.text
    assert [r.getMessage() for r in caplog.records].count(
        f"sign-in locked: name '{head.username}' from 127.0.0.1"
    ) == 1
    set_clock(app, "2026-03-02T09:14")
    assert try_password(client, head.username, PASSWORD).status_code == 429
    set_clock(app, "2026-03-02T09:15:01")
    assert try_password(client, head.username, PASSWORD).status_code == 302


def test_a_good_password_starts_the_count_again(app, make_user):
    head = make_user("unit_head", "UBND")
    set_clock(app, "2026-03-02T09:00")
    for tries in (4, 4):
        client = app.test_client()
        for _ in range(tries):
            try_password(client, head.username, "sai-mat-khau")
        assert try_password(client, head.username, PASSWORD).status_code == 302


def test_thirty_failures_from_one_address_lock_it_for_every_name(app, client, session, ward):
    session.commit()  # the ward is loaded: let the app write
    set_clock(app, "2026-03-02T09:00")
    for n in range(30):
        try_password(client, f"ai-do-{n}", "sai")
    assert try_password(client, "nguoi-moi", "sai").status_code == 429


@pytest.mark.real_password_hashing
def test_an_unknown_name_costs_a_hash_like_a_wrong_password(session, make_user, monkeypatch):
    make_user("unit_head", "UBND", username="co-that")
    checked = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda *a: checked.append(1) or real(*a))
    assert passwords.check_password(session, "khong-co-ai", "x") is None
    assert passwords.check_password(session, "co-that", "x") is None
    assert checked == [1, 1]
