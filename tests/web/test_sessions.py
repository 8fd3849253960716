"""A session, or a remember-me cookie, ends when its password changes, when an admin resets
it and when its person signs out: a copy of the cookie taken before no longer works."""

from __future__ import annotations

from tests.conftest import PASSWORD, csrf


def signed_in_browser(app, user, remember: bool = False):
    browser = app.test_client()
    page = browser.get("/login").text
    data = {"csrf_token": csrf(page), "username": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert browser.post("/login", data=data).status_code == 302
    return browser


def copy_of(app, browser, *names: str):
    """Another browser holding the same cookies (a stolen or a second device's copy)."""
    other = app.test_client()
    for name in names:
        cookie = browser.get_cookie(name)
        other.set_cookie(name, cookie.value)
    return other


def signed_in(browser) -> bool:
    return browser.get("/plan").status_code == 200


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, make_user):
    head = make_user("unit_head", "UBND")
    browser = signed_in_browser(app, head, remember=True)
    session_copy = copy_of(app, browser, "session")
    remembered_copy = copy_of(app, browser, "remember_token")
    assert signed_in(session_copy) and signed_in(remembered_copy)
    page = browser.get("/password").text
    response = browser.post(
        "/password",
        data={
            "csrf_token": csrf(page),
            "current": PASSWORD,
            "new": "mat-khau-moi-dai",
            "confirm": "mat-khau-moi-dai",
        },
    )
    assert response.status_code == 302
    assert signed_in(browser)  # the person who changed it stays signed in
    assert not signed_in(session_copy)
    assert not signed_in(remembered_copy)


def test_an_admins_reset_ends_every_session_of_the_user(app, make_user):
    head = make_user("unit_head", "UBND")
    browser = signed_in_browser(app, head, remember=True)
    admin = signed_in_browser(app, make_user("admin"))
    page = admin.get(f"/admin/users/{head.id}").text
    response = admin.post(
        f"/admin/users/{head.id}/password",
        data={"csrf_token": csrf(page), "new": "mat-khau-moi-dai", "confirm": "mat-khau-moi-dai"},
    )
    assert response.status_code == 303
    assert not signed_in(browser)
    assert not signed_in(copy_of(app, browser, "remember_token"))


def test_signing_out_ends_a_copied_cookie_too(app, make_user):
    head = make_user("unit_head", "UBND")
    browser = signed_in_browser(app, head)
    session_copy = copy_of(app, browser, "session")
    browser.post("/logout", data={"csrf_token": csrf(browser.get("/plan").text)})
    assert not signed_in(browser)
    assert not signed_in(session_copy)


def test_signing_out_when_signed_out_is_harmless(client, ward):
    page = client.get("/login").text
    assert client.post("/logout", data={"csrf_token": csrf(page)}).status_code == 302
